package io.flywheel.retrain.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.flywheel.retrain.NotFoundException;
import io.flywheel.retrain.llm.Callers;
import io.flywheel.retrain.llm.optimise.OptimisationService;
import io.flywheel.retrain.llm.optimise.OptimisationStore;
import io.flywheel.retrain.llm.optimise.PromptOptimisation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.RestResponse;

import java.time.Instant;

/**
 * Prompt optimisations: start one (202, then follow {@code Location} for its state and step), read one, list a
 * project's. A retry with the same {@code Idempotency-Key} answers the first job (200, {@code Idempotent-Replayed}).
 */
@Path("/api/v1/evaluation/optimisations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class OptimisationResource {

    /** A job as the API shows it. */
    public record OptimisationView(String id, String project, String prompt, String dataset, String state, String step, String scoreName,
                                   double margin, Baseline baseline, JsonNode candidates, Integer bestIndex, Double bestMean,
                                   Integer candidateVersion, JsonNode evidence, String reason, String error, Trigger trigger,
                                   JsonNode request, String createdBy, Instant createdAt, Instant updatedAt, Instant startedAt,
                                   Instant finishedAt) {

        public record Baseline(int version, String runId, Double mean) {
        }

        public record Trigger(String kind, String eventId) {
        }

        static OptimisationView of(PromptOptimisation o) {
            return new OptimisationView(o.id(), o.project(), o.prompt(), o.dataset(), o.state(), o.step(), o.scoreName(), o.margin(),
                    new Baseline(o.baselineVersion(), o.baselineRunId(), o.baselineMean()), o.candidates(), o.bestIndex(), o.bestMean(),
                    o.candidateVersion(), o.evidence(), o.reason(), o.error(), new Trigger(o.triggerKind(), o.triggerEventId()), o.request(),
                    o.createdBy(), o.createdAt(), o.updatedAt(), o.startedAt(), o.finishedAt());
        }
    }

    private final OptimisationService optimisations;
    private final OptimisationStore store;
    private final SecurityIdentity caller;

    public OptimisationResource(OptimisationService optimisations, OptimisationStore store, SecurityIdentity caller) {
        this.optimisations = optimisations;
        this.store = store;
        this.caller = caller;
    }

    @POST
    public Uni<RestResponse<OptimisationView>> startOptimisation(JsonNode request,
                                                                 @HeaderParam("Idempotency-Key")
                                                                 @Size(max = 128, message = "Idempotency-Key is limited to 128 characters")
                                                                 String idempotencyKey, UriInfo uri) {
        String project = Callers.scope(caller, request == null || !request.path("project").isTextual() ? null : request.get("project").asText());
        String principal = caller.getPrincipal().getName();
        String key = idempotencyKey == null || idempotencyKey.isBlank() ? null : idempotencyKey.strip();
        return optimisations.start(project, principal, request, new OptimisationStore.Origin("manual", null, null, key, principal))
                .map(created -> {
                    OptimisationView view = OptimisationView.of(created.optimisation());
                    return created.replayed()
                            ? RestResponse.ResponseBuilder.<OptimisationView>ok().header("Idempotent-Replayed", "true").entity(view).build()
                            : RestResponse.ResponseBuilder.<OptimisationView>accepted()
                            .location(uri.getAbsolutePathBuilder().path(view.id()).build()).entity(view).build();
                });
    }

    @GET
    @Path("{id}")
    public Uni<OptimisationView> getOptimisation(@PathParam("id") String id) {
        return store.byId(id).map(found -> found
                .filter(o -> Callers.project(caller).map(own -> own.equals(o.project())).orElse(true))
                .map(OptimisationView::of)
                .orElseThrow(() -> new NotFoundException("prompt optimisation", id)));
    }

    /** A project's optimisations (of one prompt with {@code prompt}), newest first. */
    @GET
    public Uni<Page<OptimisationView>> listOptimisations(@QueryParam("project") String project, @QueryParam("prompt") String prompt,
                                                         @QueryParam("limit") @DefaultValue("50") @Min(value = 1, message = "limit must be between 1 and 500")
                                                         @Max(value = 500, message = "limit must be between 1 and 500") int limit,
                                                         @QueryParam("cursor") String cursor) {
        String scoped = Callers.scope(caller, project);
        int offset = EvaluationDatasetResource.offset(cursor);
        return store.list(scoped, prompt == null || prompt.isBlank() ? null : prompt.strip(), offset, limit + 1)
                .map(rows -> EvaluationDatasetResource.page(rows, offset, limit, OptimisationView::of));
    }
}
