package io.flywheel.retrain.registry;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import io.flywheel.internalauth.InternalTokens;
import io.flywheel.internalauth.ServiceCallerHeaders;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.io.File;
import java.io.InputStream;

/**
 * The registry's endpoints as retraining uses them. Every call carries retrain's internal token, or, where
 * it acts for someone, one for that principal (the {@code authorization} parameters). Blocking signatures: they are
 * called from job worker threads, never from the event loop. Failures are
 * WebApplicationExceptions (status >= 400) or ProcessingExceptions (no answer); {@link Registry}
 * classifies and retries them.
 */
@RegisterRestClient(configKey = "registry")
@RegisterClientHeaders(ServiceCallerHeaders.class)
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public interface RegistryApi {

    String NDJSON = "application/x-ndjson";

    @POST
    @Path("/datasets")
    @Consumes(MediaType.APPLICATION_JSON)
    RegistryDtos.DatasetView createDataset(RegistryDtos.DatasetRequest request, @HeaderParam(InternalTokens.HEADER) String authorization);

    /** 201 for new content, 200 when the same bytes were registered before: the same id either way. */
    @PUT
    @Path("/datasets/{name}/versions")
    @Consumes(NDJSON)
    RegistryDtos.DatasetVersion putDatasetVersion(@PathParam("name") String dataset, @HeaderParam("Digest") String digest,
                                                  @HeaderParam(InternalTokens.HEADER) String authorization, File body);

    @GET
    @Path("/datasets/{name}/versions")
    RegistryDtos.Page<RegistryDtos.DatasetVersion> datasetVersions(@PathParam("name") String dataset, @QueryParam("limit") int limit);

    @GET
    @Path("/datasets/{name}/versions/{id}")
    RegistryDtos.DatasetVersion datasetVersion(@PathParam("name") String dataset, @PathParam("id") String id);

    @GET
    @Path("/datasets/{name}/versions/{id}/content")
    @Produces(MediaType.WILDCARD)
    InputStream datasetContent(@PathParam("name") String dataset, @PathParam("id") String id);

    @GET
    @Path("/models/{name}/aliases/{alias}")
    RegistryDtos.Alias alias(@PathParam("name") String model, @PathParam("alias") String alias);

    @GET
    @Path("/models/{name}/versions/{version}")
    RegistryDtos.Version version(@PathParam("name") String model, @PathParam("version") int version);

    @GET
    @Path("/models/{name}/versions/{version}/artifact")
    @Produces(MediaType.WILDCARD)
    byte[] artifact(@PathParam("name") String model, @PathParam("version") int version);

    /** A draft; the same Idempotency-Key returns the draft the first call registered. */
    @POST
    @Path("/models/{name}/versions")
    @Consumes(MediaType.APPLICATION_JSON)
    RegistryDtos.Version createVersion(@PathParam("name") String model, @HeaderParam("Idempotency-Key") String idempotencyKey,
                                       @HeaderParam(InternalTokens.HEADER) String authorization, RegistryDtos.VersionRequest request);

    /** Finalises the draft: status ready. */
    @PUT
    @Path("/models/{name}/versions/{version}/artifact")
    @Consumes(MediaType.APPLICATION_JSON)
    RegistryDtos.Version uploadArtifact(@PathParam("name") String model, @PathParam("version") int version,
                                        @HeaderParam("Digest") String digest, byte[] body);

    /** As {@link #uploadArtifact}, for an artifact that is not JSON (an ONNX model). */
    @PUT
    @Path("/models/{name}/versions/{version}/artifact")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    RegistryDtos.Version uploadBinaryArtifact(@PathParam("name") String model, @PathParam("version") int version,
                                              @HeaderParam("Digest") String digest, byte[] body);
}
