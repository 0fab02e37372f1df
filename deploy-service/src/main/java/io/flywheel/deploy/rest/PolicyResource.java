package io.flywheel.deploy.rest;

import io.flywheel.deploy.policy.PolicyDocument;
import io.flywheel.deploy.service.PromotionPolicies;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;

import java.time.Instant;

/**
 * A model's promotion policy: whether a version that soaked in staging goes on to production by
 * itself, by which strategy, judged on which evidence against the champion, and what rolls back.
 * Replacing it takes If-Match with the current ETag when the caller wants to be sure nobody changed it (412).
 */
@Path("/api/v1/deployments/{model}/policy")
@Produces(MediaType.APPLICATION_JSON)
public class PolicyResource {

    /** The policy with defaults written out, and who changed it last. */
    public record PolicyView(String model, PolicyDocument policy, long revision, Instant updatedAt, String updatedBy) {
    }

    private final PromotionPolicies policies;
    private final SecurityIdentity caller;

    public PolicyResource(PromotionPolicies policies, SecurityIdentity caller) {
        this.policies = policies;
        this.caller = caller;
    }

    @GET
    public Uni<RestResponse<PolicyView>> get(@PathParam("model") String model) {
        return policies.get(model).map(PolicyResource::view);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<PolicyView>> put(@PathParam("model") String model, PolicyDocument document,
                                             @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        return policies.put(model, document, ifMatch, caller.getPrincipal().getName()).map(PolicyResource::view);
    }

    private static RestResponse<PolicyView> view(PromotionPolicies.Stored s) {
        PolicyView view = new PolicyView(s.row().model, PolicyDocument.of(s.policy()), s.row().revision, s.row().updatedAt,
                s.row().updatedBy);
        return RestResponse.ResponseBuilder.ok(view).header(HttpHeaders.ETAG, s.etag()).build();
    }
}
