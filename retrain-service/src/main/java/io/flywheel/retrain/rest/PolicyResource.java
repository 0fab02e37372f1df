package io.flywheel.retrain.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.flywheel.retrain.policy.PolicyService;
import io.flywheel.retrain.policy.RetrainPolicy;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.jboss.resteasy.reactive.RestResponse;

/** A model's retrain policy: PUT creates (201) or replaces (200) it, with an optional If-Match; GET reads it with its ETag. */
@Path("/api/v1/retrain/policies")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PolicyResource {

    private final PolicyService policies;
    /** who calls: the subject of the internal token the call carries (internal-auth/) */
    private final SecurityIdentity caller;

    public PolicyResource(PolicyService policies, SecurityIdentity caller) {
        this.caller = caller;
        this.policies = policies;
    }

    @PUT
    @Path("{model}")
    public Uni<RestResponse<PolicyView>> putPolicy(@PathParam("model") String model,
                                             @NotNull(message = "a JSON body is required: the policy, e.g. {\"trainer\": {\"params\": {\"task\": \"binary-classification\", \"target\": \"label\"}}}")
                                             @RequestBody(content = @Content(schema = @Schema(implementation = RetrainPolicy.class)))
                                             JsonNode body,
                                             @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                                             UriInfo uri) {
        return policies.put(model, body, ifMatch, caller.getPrincipal().getName()).map(stored -> {
            var response = stored.created()
                    ? RestResponse.ResponseBuilder.<PolicyView>created(uri.getAbsolutePath())
                    : RestResponse.ResponseBuilder.<PolicyView>ok();
            return response.entity(PolicyView.of(stored)).header(HttpHeaders.ETAG, stored.etag()).build();
        });
    }

    @GET
    @Path("{model}")
    public Uni<RestResponse<PolicyView>> getPolicy(@PathParam("model") String model) {
        return policies.get(model).map(stored -> RestResponse.ResponseBuilder.ok(PolicyView.of(stored))
                .header(HttpHeaders.ETAG, stored.etag()).build());
    }
}
