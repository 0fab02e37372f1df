package io.flywheel.registry;

/** A dataset upload is not valid CSV or JSON Lines; the message names the first bad line. */
public class MalformedDatasetException extends RegistryException {
    private final long line;

    public MalformedDatasetException(long line, String problem) {
        super("line " + line + ": " + problem);
        this.line = line;
    }

    public long line() {
        return line;
    }
}
