package io.flywheel.registry.rest;

import io.flywheel.registry.ModelVersion;
import io.flywheel.registry.service.ArtifactService;
import io.smallrye.common.annotation.Blocking;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
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

/**
 * A version's artifact bytes. Uploads and downloads run on worker threads and stream: the body is
 * an {@link InputStream} read as the client sends it (Quarkus REST hands a blocking method the live
 * request stream, with back-pressure), and downloads copy S3's stream to the response in small buffers.
 */
@Path("/api/v1/models/{name}/versions/{version}/artifact")
public class ArtifactResource {

    private final ArtifactService artifacts;

    public ArtifactResource(ArtifactService artifacts) {
        this.artifacts = artifacts;
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

    /** The bytes, with Content-Length, ETag (the SHA-256) and Digest; honours Range, If-Range and If-None-Match. */
    @GET
    @Blocking
    public Response download(@PathParam("name") String model, @PathParam("version") int version,
                             @HeaderParam("Range") String range, @HeaderParam("If-Range") String ifRange,
                             @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        return respond(model, version, new BlobDownload.Conditions(range, ifRange, ifNoneMatch), false);
    }

    @HEAD
    @Blocking
    public Response head(@PathParam("name") String model, @PathParam("version") int version,
                         @HeaderParam("Range") String range, @HeaderParam("If-Range") String ifRange,
                         @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        return respond(model, version, new BlobDownload.Conditions(range, ifRange, ifNoneMatch), true);
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

    private Response respond(String model, int version, BlobDownload.Conditions conditions, boolean head) {
        ModelVersion ready = artifacts.readable(model, version);
        return BlobDownload.respond(ready.artifactSha256, ready.artifactSize, ready.artifactContentType, conditions, head,
                (offset, length) -> artifacts.open(ready, offset, length));
    }
}
