package io.flywheel.deploy.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import io.flywheel.internalauth.ServiceCallerHeaders;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The monitor's HTTP API as deploy uses it (base URL: quarkus.rest-client.monitor.url): a model's
 * status, whose per-version latest window carries quality on joined labels; an LLM score's series per
 * prompt version (prompt canaries). Calls carry deploy's internal token.
 */
@RegisterRestClient(configKey = "monitor")
@RegisterClientHeaders(ServiceCallerHeaders.class)
@Path("/api/v1")
public interface MonitorApi {

    @GET
    @Path("monitoring/{model}/status")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<JsonNode> status(@PathParam("model") String model);

    /** GET /api/v1/llm/scores/series (monitor-service/README.md, "Score series and score monitors"). */
    @GET
    @Path("llm/scores/series")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<JsonNode> scoreSeries(@QueryParam("project") String project, @QueryParam("name") String name,
                              @QueryParam("group_by") String groupBy, @QueryParam("interval") String interval,
                              @QueryParam("from") String from, @QueryParam("to") String to);
}
