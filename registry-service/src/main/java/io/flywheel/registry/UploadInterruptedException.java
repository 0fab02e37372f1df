package io.flywheel.registry;

/** The client stopped sending before the body ended; nothing was stored. */
public class UploadInterruptedException extends RegistryException {
    public UploadInterruptedException(long received) {
        super("the upload ended early after " + received + " bytes; nothing was stored, send it again");
    }
}
