package io.flywheel.deploy.registry;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import io.flywheel.internalauth.InternalTokens;
import io.flywheel.internalauth.ServiceCallerHeaders;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The registry's HTTP API as deploy uses it (base URL: quarkus.rest-client.registry.url). Every call carries
 * deploy's internal token, or, where it acts for someone, one for that principal.
 */
@RegisterRestClient(configKey = "registry")
@RegisterClientHeaders(ServiceCallerHeaders.class)
@Path("/api/v1/models")
public interface RegistryApi {

    @GET
    @Path("{name}")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> model(@PathParam("name") String model);

    @GET
    @Path("{name}/versions/{version}")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<RegistryVersion> version(@PathParam("name") String model, @PathParam("version") int version);

    @GET
    @Path("{name}/versions/{version}/artifact")
    @Produces(MediaType.WILDCARD)
    Uni<byte[]> artifact(@PathParam("name") String model, @PathParam("version") int version);

    @GET
    @Path("{name}/aliases/{alias}")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> alias(@PathParam("name") String model, @PathParam("alias") String alias);

    @PUT
    @Path("{name}/aliases/{alias}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> moveAlias(@PathParam("name") String model, @PathParam("alias") String alias,
                            @HeaderParam("If-Match") String ifMatch,
                            @HeaderParam(InternalTokens.HEADER) String authorization,
                            AliasMove body);

    /** Body of PUT .../aliases/{alias}. */
    record AliasMove(int version, String reason) {
    }
}
