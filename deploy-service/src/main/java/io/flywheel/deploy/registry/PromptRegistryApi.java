package io.flywheel.deploy.registry;

import io.flywheel.internalauth.ServiceCallerHeaders;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Encoded;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The registry's prompt routes as deploy uses them. Names may hold '/' (folders), which the registry
 * reads as literal slashes: {@code name} is passed already encoded segment by segment
 * ({@link PromptRegistry#path}). Calls carry deploy's own internal token, so deploy moves the
 * protected {@code production} label as itself.
 */
@RegisterRestClient(configKey = "registry")
@RegisterClientHeaders(ServiceCallerHeaders.class)
@Path("/api/v1/prompts")
public interface PromptRegistryApi {

    @GET
    @Path("{name}")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> get(@Encoded @PathParam("name") String name, @QueryParam("project") String project,
                      @QueryParam("label") String label, @QueryParam("version") Integer version);

    @PUT
    @Path("{name}/labels/{label}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> moveLabel(@Encoded @PathParam("name") String name, @PathParam("label") String label,
                            @QueryParam("project") String project, LabelMove body);

    @DELETE
    @Path("{name}/labels/{label}")
    Uni<Response> removeLabel(@Encoded @PathParam("name") String name, @PathParam("label") String label,
                              @QueryParam("project") String project);

    /** Body of PUT .../labels/{label}. */
    record LabelMove(int version) {
    }
}
