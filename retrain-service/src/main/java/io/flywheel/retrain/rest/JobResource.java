package io.flywheel.retrain.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.retrain.InvalidRequestException;
import io.flywheel.retrain.NotFoundException;
import io.flywheel.retrain.TriggerRefusedException;
import io.flywheel.retrain.job.JobQueries;
import io.flywheel.retrain.job.JobState;
import io.flywheel.retrain.job.JobStore;
import io.flywheel.retrain.job.JobWorker;
import io.flywheel.retrain.policy.TriggerKind;
import io.flywheel.retrain.trigger.TriggerService;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
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
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

/** Retrain jobs: start one by hand, list them, read one with its log, cancel one. */
@Path("/api/v1/retrain/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class JobResource {

    private final TriggerService triggers;
    private final JobQueries queries;
    private final JobStore store;
    private final JobWorker worker;
    private final ObjectMapper json;
    /** who calls: the subject of the internal token the call carries (internal-auth/) */
    private final SecurityIdentity caller;

    public JobResource(TriggerService triggers, JobQueries queries, JobStore store, JobWorker worker, ObjectMapper json, SecurityIdentity caller) {
        this.caller = caller;
        this.triggers = triggers;
        this.queries = queries;
        this.store = store;
        this.worker = worker;
        this.json = json;
    }

    /**
     * A manual trigger: 201 with the pending job when the policy accepts it, 409 (problem
     * {@code trigger-refused}, with the recorded trigger's {@code rule} and reason) when it refuses.
     * A retry with the same {@code Idempotency-Key} returns the first outcome (200, Idempotent-Replayed).
     */
    @POST
    public Uni<RestResponse<JobView>> createJob(@Valid @NotNull(message = "a JSON body is required: {\"model\": \"...\"}") ManualJobRequest request,
                                             @HeaderParam("Idempotency-Key")
                                             @Size(max = 128, message = "Idempotency-Key is limited to 128 characters") String idempotencyKey,
                                             UriInfo uri) {
        boolean keyed = idempotencyKey != null && !idempotencyKey.isBlank();
        String eventId = "manual:" + (keyed ? request.model() + ":" + idempotencyKey.strip() : UUID.randomUUID());
        String actor = caller.getPrincipal().getName();
        var submission = new TriggerService.Submission(request.model(), TriggerKind.MANUAL, null, eventId, null,
                Boolean.TRUE.equals(request.force()), actor, request.reason(), keyed);
        return triggers.submit(submission).chain(outcome -> {
            if (!outcome.accepted()) {
                return Uni.createFrom().failure(new TriggerRefusedException(outcome.trigger().seq, outcome.trigger().rule, outcome.trigger().reason));
            }
            return queries.details(outcome.job().id).map(details -> {
                JobView view = JobView.of(details.job(), details.trigger(), details.transitions(), details.log(), json);
                var response = outcome.replayed()
                        ? RestResponse.ResponseBuilder.<JobView>ok().header("Idempotent-Replayed", "true")
                        : RestResponse.ResponseBuilder.<JobView>created(uri.getAbsolutePathBuilder().path(view.id()).build());
                return response.entity(view).build();
            });
        });
    }

    /** Newest first; {@code model} and {@code state} filter. */
    @GET
    public Uni<Page<JobView>> listJobs(@QueryParam("model") String model,
                                   @QueryParam("state") String state,
                                   @QueryParam("limit") @DefaultValue("50")
                                   @Min(value = 1, message = "limit must be between 1 and 500")
                                   @Max(value = 500, message = "limit must be between 1 and 500") int limit,
                                   @QueryParam("cursor") String cursor) {
        JobState filter;
        try {
            filter = state == null || state.isBlank() ? null : JobState.of(state);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage());
        }
        return queries.page(model, filter, after(cursor), limit).map(rows -> {
            boolean more = rows.size() > limit;
            var shown = more ? rows.subList(0, limit) : rows;
            String next = more ? Cursors.encode(shown.getLast().createdAt + "|" + shown.getLast().id) : null;
            return new Page<>(shown.stream().map(j -> JobView.summary(j, json)).toList(), next);
        });
    }

    @GET
    @Path("{id}")
    public Uni<JobView> getJob(@PathParam("id") String id) {
        return queries.details(jobId(id)).map(d -> JobView.of(d.job(), d.trigger(), d.transitions(), d.log(), json));
    }

    /**
     * Cancels the job at whatever step it is: a pending job at once (200, cancelled), a running one
     * at its next step (202; its trainer is stopped). 409 when it has already ended.
     */
    @POST
    @Path("{id}/cancel")
    @Consumes(MediaType.WILDCARD)
    public Uni<RestResponse<JobView>> cancelJob(@PathParam("id") String id) {
        UUID jobId = jobId(id);
        return store.requestCancel(jobId, caller.getPrincipal().getName())
                .invoke(() -> worker.cancelLocal(jobId))
                .chain(() -> queries.details(jobId))
                .map(d -> {
                    JobView view = JobView.of(d.job(), d.trigger(), d.transitions(), d.log(), json);
                    return d.job().state.terminal() ? RestResponse.ok(view) : RestResponse.accepted(view);
                });
    }

    private static UUID jobId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("retrain job", id);
        }
    }

    private static JobQueries.After after(String cursor) {
        String key = Cursors.decode(cursor);
        if (key == null) {
            return null;
        }
        List<String> parts = List.of(key.split("\\|", 2));
        if (parts.size() != 2) {
            throw Cursors.invalid();
        }
        try {
            return new JobQueries.After(Instant.parse(parts.get(0)), UUID.fromString(parts.get(1)));
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw Cursors.invalid();
        }
    }
}
