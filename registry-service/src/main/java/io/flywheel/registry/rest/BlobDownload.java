package io.flywheel.registry.rest;

import io.flywheel.registry.storage.ContentDigest;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.function.Supplier;

/**
 * The HTTP side of streaming stored bytes back: ETag (the SHA-256), Digest, Content-Length,
 * conditional GET, and single byte ranges. The body is the S3 object's stream, copied to the
 * client in small buffers by a worker thread, so memory stays flat whatever the size.
 *
 * <p>The bytes are whatever an uploader sent, under whatever Content-Type it chose, and the gateway
 * serves them from its own origin: they are always an attachment, never sniffed, and sandboxed, so
 * an "artifact" of type text/html can't run script in a signed-in dashboard's origin.
 */
final class BlobDownload {

    /** Opens {@code length} bytes of the content from {@code offset}. */
    @FunctionalInterface
    interface Opener {
        InputStream open(long offset, long length);
    }

    /** What the request asked for, from its headers. */
    record Conditions(String range, String ifRange, String ifNoneMatch) {
    }

    private BlobDownload() {
    }

    static Response respond(String sha256, long size, String contentType, String filename, Conditions conditions, boolean head,
                            Opener opener) {
        String etag = "\"" + sha256 + "\"";
        if (matches(conditions.ifNoneMatch(), etag)) {
            return Response.notModified().header(HttpHeaders.ETAG, etag).build();
        }
        ByteRange range = conditions.ifRange() == null || conditions.ifRange().strip().equals(etag)
                ? ByteRange.parse(conditions.range(), size) : null;
        long offset = range == null ? 0 : range.first();
        long length = range == null ? size : range.length();
        Response.ResponseBuilder response = Response.status(range == null ? 200 : 206)
                .type(contentType)
                .header(HttpHeaders.ETAG, etag)
                .header("Digest", ContentDigest.header(sha256))
                .header("Accept-Ranges", "bytes")
                .header(HttpHeaders.CONTENT_LENGTH, length)
                .header("Content-Disposition", attachment(filename))
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "default-src 'none'; sandbox");
        if (range != null) {
            response.header("Content-Range", range.contentRange(size));
        }
        if (!head) {
            response.entity(length == 0 ? new ByteArrayInputStream(new byte[0]) : opener.open(offset, length));
        }
        return response.build();
    }

    /**
     * A 307 to {@code location}, where S3 serves the same bytes (a presigned URL): ETag and Digest as
     * the relay sends them, so a client can check what it gets from S3 (whose own ETag is not the
     * SHA-256); never cached, as the URL expires. A matching If-None-Match is still a 304 from here.
     * A client that follows it sends its Range there too, which S3 honours.
     */
    static Response redirect(String sha256, Conditions conditions, Supplier<String> location) {
        String etag = "\"" + sha256 + "\"";
        if (matches(conditions.ifNoneMatch(), etag)) {
            return Response.notModified().header(HttpHeaders.ETAG, etag).build();
        }
        return Response.status(Response.Status.TEMPORARY_REDIRECT)
                .header(HttpHeaders.LOCATION, location.get())
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header(HttpHeaders.ETAG, etag)
                .header("Digest", ContentDigest.header(sha256))
                .build();
    }

    /** The Content-Disposition of a download: always an attachment, under a name that needs no quoting. */
    static String attachment(String filename) {
        return "attachment; filename=\"" + filename.replaceAll("[^A-Za-z0-9._-]", "_") + "\"";
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.equals("*") || tag.equals(etag) || tag.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }
}
