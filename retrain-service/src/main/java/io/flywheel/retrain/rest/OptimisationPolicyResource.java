package io.flywheel.retrain.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.flywheel.retrain.llm.Callers;
import io.flywheel.retrain.llm.optimise.OptimisationPolicies;
import io.flywheel.retrain.llm.optimise.OptimisationTriggers;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;

import java.time.Instant;

/**
 * Optimisation policies (what an {@code llm_score} degradation of a prompt starts) and the triggers they decided.
 * A prompt name may hold {@code /} (folders).
 */
@Path("/api/v1/evaluation")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class OptimisationPolicyResource {

    public record PolicyView(String project, String prompt, boolean enabled, String cooldown, JsonNode optimisation, Instant updatedAt,
                             String updatedBy) {
        static PolicyView of(OptimisationPolicies.Policy p) {
            return new PolicyView(p.project(), p.prompt(), p.enabled(), p.cooldown().toString(), p.optimisation(), p.updatedAt(), p.updatedBy());
        }
    }

    private final OptimisationPolicies policies;
    private final OptimisationTriggers triggers;
    private final SecurityIdentity caller;

    public OptimisationPolicyResource(OptimisationPolicies policies, OptimisationTriggers triggers, SecurityIdentity caller) {
        this.policies = policies;
        this.triggers = triggers;
        this.caller = caller;
    }

    /** Creates (201) or replaces (200) the prompt's policy; every field is checked as the optimisation's request is. */
    @PUT
    @Path("optimisation-policies/{prompt: .+}")
    public Uni<RestResponse<PolicyView>> putOptimisationPolicy(@PathParam("prompt") String prompt, @QueryParam("project") String project,
                                                               JsonNode body) {
        String scoped = Callers.scope(caller, project);
        return policies.put(scoped, prompt, body, caller.getPrincipal().getName())
                .chain(created -> policies.get(scoped, prompt).map(p -> created.orElse(false)
                        ? RestResponse.status(RestResponse.Status.CREATED, PolicyView.of(p)) : RestResponse.ok(PolicyView.of(p))));
    }

    @GET
    @Path("optimisation-policies/{prompt: .+}")
    public Uni<PolicyView> getOptimisationPolicy(@PathParam("prompt") String prompt, @QueryParam("project") String project) {
        return policies.get(Callers.scope(caller, project), prompt).map(PolicyView::of);
    }

    /** Every llm_score degradation that could start an optimisation, newest first, with its decision and why. */
    @GET
    @Path("optimisation-triggers")
    public Uni<Page<OptimisationTriggers.Recorded>> listOptimisationTriggers(@QueryParam("project") String project, @QueryParam("prompt") String prompt,
                                                                             @QueryParam("limit") @DefaultValue("50") @Min(value = 1, message = "limit must be between 1 and 500")
                                                                             @Max(value = 500, message = "limit must be between 1 and 500") int limit,
                                                                             @QueryParam("cursor") String cursor) {
        String scoped = Callers.scope(caller, project);
        int offset = EvaluationDatasetResource.offset(cursor);
        return triggers.list(scoped, prompt == null || prompt.isBlank() ? null : prompt.strip(), offset, limit + 1)
                .map(rows -> EvaluationDatasetResource.page(rows, offset, limit, r -> r));
    }
}
