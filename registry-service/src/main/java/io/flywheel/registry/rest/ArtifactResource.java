package io.flywheel.registry.rest;

import io.flywheel.registry.ModelVersion;
import io.flywheel.registry.service.ArtifactService;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.InputStream;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A version's artifact bytes. Uploads and downloads run on worker threads and stream: the body is
 * an {@link InputStream} read as the client sends it (Quarkus REST hands a blocking method the live
 * request stream, with back-pressure), and downloads copy S3's stream to the response in small buffers,
 * unless a large one is handed to S3 itself with a redirect, as container registries do for blobs.
 */
@Path("/api/v1/models/{name}/versions/{version}/artifact")
public class ArtifactResource {

    /**
     * Who signs every call from outside Flywheel: the gateway (its quarkus.application.name), read from
     * the "signed-by" attribute InternalTokenMechanism gives the caller's identity.
     */
    private static final String CLIENTS_SIGNER = "gateway";

    private final ArtifactService artifacts;
    private final SecurityIdentity caller;

    public ArtifactResource(ArtifactService artifacts, SecurityIdentity caller) {
        this.artifacts = artifacts;
        this.caller = caller;
    }

    /**
     * Streams the bytes to S3 (SHA-256 and size computed on the way) and finalises the version. With
     * {@code Digest: sha-256=<base64>} a body that hashes differently is refused (422) and nothing is kept.
     */
    @PUT
    @Blocking
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public VersionView upload(@PathParam("name") String model, @PathParam("version") int version,
                              @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                              @HeaderParam("Digest") String digest,
                              InputStream body) {
        String type = contentType == null || contentType.isBlank() ? MediaType.APPLICATION_OCTET_STREAM : contentType;
        return VersionView.of(artifacts.upload(model, version, body, type, digest));
    }

    /**
     * The bytes, with Content-Length, ETag (the SHA-256) and Digest; honours Range, If-Range and
     * If-None-Match. Or a 307 to a presigned S3 URL that serves them ({@link #redirects}).
     */
    @GET
    @Blocking
    public Response download(@PathParam("name") String model, @PathParam("version") int version,
                             @HeaderParam("Range") String range, @HeaderParam("If-Range") String ifRange,
                             @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
                             @QueryParam("redirect") @Pattern(regexp = "true|false", message = "redirect must be true or false")
                             String redirect) {
        BlobDownload.Conditions conditions = new BlobDownload.Conditions(range, ifRange, ifNoneMatch);
        ModelVersion ready = artifacts.readable(model, version);
        if (redirects(ready, conditions, redirect)) {
            Supplier<String> location = () -> artifacts.redirectUrl(ready, BlobDownload.attachment(filename(model, version)));
            return BlobDownload.redirect(ready.artifactSha256, conditions, location);
        }
        return relay(ready, filename(model, version), conditions, false);
    }

    /**
     * Whether a GET is answered with a redirect: always on {@code redirect=true}, never on
     * {@code redirect=false}; otherwise for a client's call (through the gateway) without If-Range (S3's
     * ETag is not our SHA-256, so S3 could not honour it) for an artifact of registry.artifacts.redirect-above
     * bytes or more. Flywheel's own services call directly with REST clients that don't follow
     * redirects (and would carry their internal token to S3): unless they ask, they get the bytes.
     */
    private boolean redirects(ModelVersion ready, BlobDownload.Conditions conditions, String asked) {
        if (asked != null) {
            return Boolean.parseBoolean(asked);
        }
        return CLIENTS_SIGNER.equals(caller.getAttribute("signed-by")) && conditions.ifRange() == null
                && artifacts.redirectsBySize(ready);
    }

    /** Headers only, as the relay sends them: never a redirect (a presigned URL is signed for GET; S3 refuses a HEAD on it). */
    @HEAD
    @Blocking
    public Response head(@PathParam("name") String model, @PathParam("version") int version,
                         @HeaderParam("Range") String range, @HeaderParam("If-Range") String ifRange,
                         @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        return relay(artifacts.readable(model, version), filename(model, version),
                new BlobDownload.Conditions(range, ifRange, ifNoneMatch), true);
    }

    /** A presigned URL that fetches the artifact straight from S3 until it expires (default 15 minutes). */
    @GET
    @Path("url")
    @Blocking
    @Produces(MediaType.APPLICATION_JSON)
    public PresignedUrlView presigned(@PathParam("name") String model, @PathParam("version") int version,
                                      @QueryParam("expires_in")
                                      @Min(value = 1, message = "expires_in is in seconds: 1 or more")
                                      @Max(value = 604800, message = "expires_in is at most 604800 seconds (7 days)")
                                      Long expiresIn) {
        ModelVersion ready = artifacts.readable(model, version);
        ArtifactService.PresignedUrl url = artifacts.presign(ready, expiresIn == null ? null : Duration.ofSeconds(expiresIn));
        return new PresignedUrlView(url.url(), url.expiresAt(), ready.artifactSha256, ready.artifactSize, ready.artifactContentType);
    }

    private Response relay(ModelVersion ready, String filename, BlobDownload.Conditions conditions, boolean head) {
        return BlobDownload.respond(ready.artifactSha256, ready.artifactSize, ready.artifactContentType, filename, conditions, head,
                (offset, length) -> artifacts.open(ready, offset, length));
    }

    private static String filename(String model, int version) {
        return model + "-v" + version;
    }
}
