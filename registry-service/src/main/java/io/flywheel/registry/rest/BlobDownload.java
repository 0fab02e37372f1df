package io.flywheel.registry.rest;

import io.flywheel.registry.storage.ContentDigest;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import java.io.ByteArrayInputStream;
import java.io.InputStream;

/**
 * The HTTP side of streaming stored bytes back: ETag (the SHA-256), Digest, Content-Length,
 * conditional GET, and single byte ranges. The body is the S3 object's stream, copied to the
 * client in small buffers by a worker thread, so memory stays flat whatever the size.
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

    static Response respond(String sha256, long size, String contentType, Conditions conditions, boolean head, Opener opener) {
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
                .header(HttpHeaders.CONTENT_LENGTH, length);
        if (range != null) {
            response.header("Content-Range", range.contentRange(size));
        }
        if (!head) {
            response.entity(length == 0 ? new ByteArrayInputStream(new byte[0]) : opener.open(offset, length));
        }
        return response.build();
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
