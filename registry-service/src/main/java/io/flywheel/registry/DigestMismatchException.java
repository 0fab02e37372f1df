package io.flywheel.registry;

/** The bytes received do not hash to the Digest the caller announced; nothing was stored. */
public class DigestMismatchException extends RegistryException {
    public DigestMismatchException(String expectedHex, String actualHex, long size) {
        super("the body's SHA-256 is " + actualHex + " (" + size + " bytes) but the Digest header announced "
                + expectedHex + "; nothing was stored, send the upload again");
    }
}
