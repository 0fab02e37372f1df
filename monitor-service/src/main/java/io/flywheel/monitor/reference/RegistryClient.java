package io.flywheel.monitor.reference;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import io.flywheel.internalauth.ServiceCallerHeaders;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The registry's version and dataset endpoints, as far as the monitor reads them (with its own internal token). */
@RegisterRestClient(configKey = "registry")
@RegisterClientHeaders(ServiceCallerHeaders.class)
@Path("/api/v1")
public interface RegistryClient {

    /** The version object: its signature and lineage name the training dataset. */
    @GET
    @Path("/models/{model}/versions/{version}")
    Uni<JsonNode> version(@PathParam("model") String model, @PathParam("version") int version);

    /** The dataset version's bytes: CSV or JSON Lines, told by Content-Type. */
    @GET
    @Path("/datasets/{dataset}/versions/{id}/content")
    Uni<Response> content(@PathParam("dataset") String dataset, @PathParam("id") String id);
}
