package io.flywheel.registry;

/** A Range that starts beyond the end of the content. */
public class RangeNotSatisfiableException extends RegistryException {
    private final long size;

    public RangeNotSatisfiableException(String range, long size) {
        super("the range '" + range + "' is outside the content (" + size + " bytes)");
        this.size = size;
    }

    public long size() {
        return size;
    }
}
