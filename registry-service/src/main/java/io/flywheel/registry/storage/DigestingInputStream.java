package io.flywheel.registry.storage;

import io.flywheel.registry.DigestMismatchException;
import io.flywheel.registry.PayloadTooLargeException;
import io.flywheel.registry.RegistryException;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Passes an upload through while computing its SHA-256 and size, showing each byte to an
 * inspector, and enforcing a size limit. At the end of the content it checks the expected digest
 * (if any) and lets the inspector have its say, <em>before</em> reporting the end: a refusal is
 * thrown from {@code read}, so a multipart upload reading this stream is aborted and never
 * completed. The refusal is kept ({@link #refusal()}) because S3 clients wrap what they catch.
 */
public class DigestingInputStream extends FilterInputStream {

    private final MessageDigest sha256;
    private final String expectedSha256;
    private final long maxBytes;
    private final ContentInspector inspector;
    private long size;
    private String actualSha256;
    private RegistryException refusal;
    private IOException readFailure;

    public DigestingInputStream(InputStream in, String expectedSha256, long maxBytes, ContentInspector inspector) {
        super(in);
        this.sha256 = newSha256();
        this.expectedSha256 = expectedSha256;
        this.maxBytes = maxBytes;
        this.inspector = inspector;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        if (refusal != null) {
            throw refusal;
        }
        if (actualSha256 != null) {
            return -1;
        }
        int n;
        try {
            n = in.read(bytes, offset, length);
        } catch (IOException e) {
            readFailure = e;
            throw e;
        }
        try {
            if (n < 0) {
                end();
                return -1;
            }
            if (n > 0) {
                size += n;
                if (size > maxBytes) {
                    throw new PayloadTooLargeException("the body is larger than the limit of " + maxBytes + " bytes");
                }
                sha256.update(bytes, offset, n);
                inspector.update(bytes, offset, n);
            }
            return n;
        } catch (RegistryException e) {
            refusal = e;
            throw e;
        }
    }

    @Override
    public long skip(long n) throws IOException {
        // skipping would leave bytes unhashed
        byte[] buffer = new byte[(int) Math.min(n, 8192)];
        int read = read(buffer, 0, buffer.length);
        return Math.max(read, 0);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Reads to the end (hashing, inspecting, verifying) without keeping anything. */
    public void drain() throws IOException {
        byte[] buffer = new byte[65536];
        while (read(buffer, 0, buffer.length) >= 0) {
            // only the digest and the inspector keep what passes
        }
    }

    private void end() {
        String actual = HexFormat.of().formatHex(sha256.digest());
        if (expectedSha256 != null && !expectedSha256.equals(actual)) {
            throw new DigestMismatchException(expectedSha256, actual, size);
        }
        inspector.finish();
        actualSha256 = actual;
    }

    /** True once the whole content was read and accepted. */
    public boolean complete() {
        return actualSha256 != null;
    }

    public String sha256Hex() {
        if (actualSha256 == null) {
            throw new IllegalStateException("the content has not been read to its end");
        }
        return actualSha256;
    }

    public long size() {
        return size;
    }

    /** Why the content was refused (digest, size, inspector), or null. */
    public RegistryException refusal() {
        return refusal;
    }

    /** The client's side failed (connection dropped mid-upload), or null. */
    public IOException readFailure() {
        return readFailure;
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
