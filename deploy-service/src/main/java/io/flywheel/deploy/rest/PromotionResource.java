package io.flywheel.deploy.rest;

import io.flywheel.deploy.InvalidRequestException;
import io.flywheel.deploy.PromotionRecord;
import io.flywheel.deploy.rollout.CanaryPolicy;
import io.flywheel.deploy.rollout.Strategy;
import io.flywheel.deploy.service.PromotionService;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.RestResponse;

import java.time.Duration;

/**
 * Promotions into an environment. 201: applied (the deployment's new ETag in the header); 202:
 * waiting for a manual approval; 422: a gate failed, nothing changed; 409: another rollout runs or
 * the deployment changed meanwhile; 412: If-Match is stale. A retry with the same Idempotency-Key
 * answers what the first attempt got.
 */
@Path("/api/v1/deployments/{model}/{environment}/promotions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PromotionResource {

    private final PromotionService promotions;
    /** who calls: the subject of the internal token the call carries (internal-auth/) */
    private final SecurityIdentity caller;

    public PromotionResource(PromotionService promotions, SecurityIdentity caller) {
        this.caller = caller;
        this.promotions = promotions;
    }

    @POST
    public Uni<RestResponse<PromotionView>> promote(@PathParam("model") String model, @PathParam("environment") String environment,
                                                    @Valid @NotNull(message = "a JSON body is required: {\"version\": n}")
                                                    PromotionRequest request,
                                                    @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                                                    @HeaderParam("Idempotency-Key")
                                                    @Size(max = 128, message = "Idempotency-Key is limited to 128 characters")
                                                    String idempotencyKey,
                                                    UriInfo uri) {
        Strategy strategy = request.strategy() == null ? null : Strategy.of(request.strategy());
        PromotionService.Command command = new PromotionService.Command(model, environment, request.version(), strategy,
                request.reason(), caller.getPrincipal().getName(), PromotionRecord.SOURCE_API, null,
                idempotencyKey == null || idempotencyKey.isBlank() ? null : idempotencyKey, ifMatch,
                canary(request.canary(), promotions.defaultCanary()), request.evidence());
        return promotions.promote(command).map(outcome -> {
            PromotionRecord p = outcome.promotion();
            DeploymentView deployment = DeploymentView.of(outcome.deployment(), null);
            PromotionView view = PromotionView.of(p, deployment);
            var location = uri.getAbsolutePathBuilder().path(p.id).build();
            RestResponse.ResponseBuilder<PromotionView> response;
            if (outcome.replayed()) {
                response = RestResponse.ResponseBuilder.<PromotionView>ok(view).header("Idempotent-Replayed", "true");
            } else if (PromotionRecord.AWAITING_APPROVAL.equals(p.status)) {
                response = RestResponse.ResponseBuilder.<PromotionView>accepted(view).location(location);
            } else {
                response = RestResponse.ResponseBuilder.<PromotionView>created(location).entity(view);
            }
            return response.header(HttpHeaders.ETAG, deployment.etag()).build();
        });
    }

    @GET
    @Path("{id}")
    public Uni<PromotionView> get(@PathParam("model") String model, @PathParam("environment") String environment,
                                  @PathParam("id") String id) {
        return promotions.get(model, environment, id).map(p -> PromotionView.of(p, null));
    }

    /** Approve (the gates run again, with the approval) or reject a promotion that awaits a person. */
    @POST
    @Path("{id}/approval")
    public Uni<RestResponse<PromotionView>> decide(@PathParam("model") String model, @PathParam("environment") String environment,
                                                   @PathParam("id") String id,
                                                   @Valid @NotNull(message = "a JSON body is required: {\"approved\": true}")
                                                   ApprovalRequest request) {
        return promotions.decide(model, environment, id, request.approved(), request.reason(), caller.getPrincipal().getName())
                .map(outcome -> {
                    DeploymentView deployment = DeploymentView.of(outcome.deployment(), null);
                    return RestResponse.ResponseBuilder.ok(PromotionView.of(outcome.promotion(), deployment))
                            .header(HttpHeaders.ETAG, deployment.etag()).build();
                });
    }

    /** The request's canary policy over the configured one; an inconsistent one is a 400 that says why. */
    private static CanaryPolicy canary(PromotionRequest.Canary canary, CanaryPolicy defaults) {
        if (canary == null) {
            return null;
        }
        try {
            return new CanaryPolicy(canary.steps() == null ? defaults.steps() : canary.steps(),
                    canary.minHoldSeconds() == null ? defaults.minHold() : Duration.ofMillis(Math.round(canary.minHoldSeconds() * 1000)),
                    canary.minSamples() == null ? defaults.minSamples() : canary.minSamples());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("canary: " + e.getMessage());
        }
    }
}
