package io.flywheel.deploy.rest;

import io.flywheel.deploy.ForbiddenException;
import io.flywheel.deploy.InvalidRequestException;
import io.flywheel.deploy.prompt.PromptJudge;
import io.flywheel.deploy.prompt.PromptPolicyDocument;
import io.flywheel.deploy.prompt.PromptRolloutRow;
import io.flywheel.deploy.prompt.PromptRollouts;
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
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Prompt rollouts (deploy-service/README.md, "Prompt rollouts"): which version of a prompt a session
 * gets, the canaries between a prompt's production version and a candidate, started, promoted or
 * rolled back by hand, and each prompt's rollout policy. {@code project} (query) names the prompt's
 * project, {@code default} when absent, as in the registry; names may hold '/' (folders).
 */
@Path("/api/v1/deployments/prompts")
@Produces(MediaType.APPLICATION_JSON)
public class PromptRolloutResource {

    private static final Set<String> STATUSES = Set.of(PromptRolloutRow.RUNNING, PromptRolloutRow.PROMOTED, PromptRolloutRow.ROLLED_BACK,
            PromptRolloutRow.REFUSED);

    /** Body of POST .../rollouts: a canary started by hand; {@code policy} overrides the prompt's, field by field. */
    public record StartRequest(Integer candidateVersion, String scoreName,
                               @Size(max = 1000, message = "reason is limited to 1000 characters") String reason,
                               PromptPolicyDocument policy) {
    }

    /** Which version the session gets; {@code rollout} is absent when no canary runs. */
    public record RouteView(String project, String prompt, String sessionId, String label, int version, RolloutRef rollout) {
    }

    public record RolloutRef(String id, String status, int candidateVersion, Integer baselineVersion, int sharePercent) {
    }

    public record PolicyView(String project, String prompt, PromptPolicyDocument policy, PromptPolicyDocument stored, Instant updatedAt,
                             String updatedBy) {
    }

    private final PromptRollouts rollouts;
    private final SecurityIdentity caller;

    public PromptRolloutResource(PromptRollouts rollouts, SecurityIdentity caller) {
        this.rollouts = rollouts;
        this.caller = caller;
    }

    /** Rollouts of a project, newest first; {@code prompt} and {@code status} narrow it. */
    @GET
    public Uni<Page<PromptRolloutView>> list(@QueryParam("project") String project, @QueryParam("prompt") String prompt,
                                             @QueryParam("status") String status,
                                             @QueryParam("limit") @DefaultValue("50")
                                             @Min(value = 1, message = "limit must be between 1 and 500")
                                             @Max(value = 500, message = "limit must be between 1 and 500") int limit,
                                             @QueryParam("cursor") String cursor) {
        if (status != null && !STATUSES.contains(status)) {
            throw new InvalidRequestException("status must be one of running, promoted, rolled-back, refused; got '" + status + "'");
        }
        return rollouts.list(project(project), prompt, status, Page.decodeLong(cursor), limit)
                .map(rows -> Page.of(rows, limit, r -> String.valueOf(r.seq), PromptRolloutView::of));
    }

    /**
     * The version this session gets: while a canary runs, the candidate (label {@code canary}) for the
     * policy's share of sessions by a stable hash of {@code session_id}, else the production version; no
     * session, production.
     */
    @GET
    @Path("{name: .+}/route")
    public Uni<RouteView> route(@PathParam("name") String name, @QueryParam("project") String project,
                                @QueryParam("session_id") String sessionId) {
        return rollouts.route(project(project), name, sessionId).map(r -> new RouteView(r.project(), r.prompt(), r.sessionId(), r.label(),
                r.version(), r.rollout() == null ? null : new RolloutRef(r.rollout().id.toString(), r.rollout().status,
                r.rollout().candidateVersion, r.rollout().baselineVersion, r.rollout().policy.sharePercent())));
    }

    @GET
    @Path("{name: .+}/rollouts")
    public Uni<Page<PromptRolloutView>> ofPrompt(@PathParam("name") String name, @QueryParam("project") String project,
                                                 @QueryParam("status") String status,
                                                 @QueryParam("limit") @DefaultValue("50")
                                                 @Min(value = 1, message = "limit must be between 1 and 500")
                                                 @Max(value = 500, message = "limit must be between 1 and 500") int limit,
                                                 @QueryParam("cursor") String cursor) {
        return list(project, name, status, limit, cursor);
    }

    /** Starts a canary by hand: 201 with the rollout; 404 no such version, 409 one runs or nothing holds production. */
    @POST
    @Path("{name: .+}/rollouts")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<PromptRolloutView>> start(@PathParam("name") String name, @QueryParam("project") String project,
                                                      @HeaderParam("Idempotency-Key")
                                                      @Size(max = 128, message = "Idempotency-Key is limited to 128 characters")
                                                      String idempotencyKey,
                                                      @jakarta.validation.Valid StartRequest body) {
        if (body == null || body.candidateVersion() == null || body.candidateVersion() < 1) {
            throw new InvalidRequestException("candidate_version (the prompt version to canary, 1 or more) is required");
        }
        if (body.scoreName() == null || body.scoreName().isBlank()) {
            throw new InvalidRequestException("score_name (the online score the canary is judged on) is required");
        }
        String p = project(project);
        String actor = caller.getPrincipal().getName();
        String key = idempotencyKey == null || idempotencyKey.isBlank() ? null : "api:" + p + "/" + name + ":" + idempotencyKey;
        PromptRollouts.Start start = new PromptRollouts.Start(p, name, body.candidateVersion(), body.scoreName().strip(), body.policy(),
                actor, PromptRollouts.SOURCE_API, key, null, null, body.reason(), Map.of());
        return rollouts.start(start).map(row -> RestResponse.status(RestResponse.Status.CREATED, PromptRolloutView.of(row)));
    }

    /** A rollout with its history. */
    @GET
    @Path("{name: .+}/rollouts/{id}")
    public Uni<PromptRolloutView> get(@PathParam("name") String name, @PathParam("id") String id, @QueryParam("project") String project) {
        UUID uuid = uuid(id);
        return rollouts.get(project(project), name, uuid).chain(row -> rollouts.history(uuid).map(h -> PromptRolloutView.of(row, h)));
    }

    /**
     * Promotes the candidate by hand: production moves to it. The registry keeps its protected
     * {@code production} label to admins and Flywheel services, and deploy moves it as itself, so here
     * too only an admin (or a service on its own) may: 403 for anyone else. 409 when the rollout no longer runs.
     */
    @POST
    @Path("{name: .+}/rollouts/{id}/promotion")
    public Uni<PromptRolloutView> promote(@PathParam("name") String name, @PathParam("id") String id, @QueryParam("project") String project,
                                          @jakarta.validation.Valid RollbackRequest body) {
        String principal = caller.getPrincipal().getName();
        if (!caller.hasRole("admin") && !principal.equals(caller.getAttribute("signed-by"))) {
            throw new ForbiddenException("promoting a prompt moves its protected 'production' label: only an admin may; '" + principal
                    + "' may roll the canary back, or let its judge decide");
        }
        return end(name, id, project, PromptJudge.Outcome.PROMOTE, body);
    }

    /** Rolls the candidate back by hand: production stays. 409 when the rollout no longer runs. */
    @POST
    @Path("{name: .+}/rollouts/{id}/rollback")
    public Uni<PromptRolloutView> rollBack(@PathParam("name") String name, @PathParam("id") String id, @QueryParam("project") String project,
                                           @jakarta.validation.Valid RollbackRequest body) {
        return end(name, id, project, PromptJudge.Outcome.ROLL_BACK, body);
    }

    private Uni<PromptRolloutView> end(String name, String id, String project, PromptJudge.Outcome outcome, RollbackRequest body) {
        UUID uuid = uuid(id);
        String actor = caller.getPrincipal().getName();
        String reason = body != null && body.reason() != null ? body.reason()
                : (outcome == PromptJudge.Outcome.PROMOTE ? "promoted" : "rolled back") + " by " + actor;
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("trigger", "api");
        return rollouts.get(project(project), name, uuid)
                .chain(row -> rollouts.end(row.id, outcome, actor, reason, evidence))
                .chain(row -> rollouts.history(uuid).map(h -> PromptRolloutView.of(row, h)));
    }

    /** The prompt's rollout policy with every default filled in ({@code policy}) and as stored ({@code stored}, null when none). */
    @GET
    @Path("{name: .+}/policy")
    public Uni<PolicyView> policy(@PathParam("name") String name, @QueryParam("project") String project) {
        return rollouts.policy(project(project), name).map(PromptRolloutResource::view);
    }

    /** Replaces the prompt's rollout policy; rollouts already running keep theirs. 400 names the field to fix. */
    @PUT
    @Path("{name: .+}/policy")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<PolicyView> putPolicy(@PathParam("name") String name, @QueryParam("project") String project, PromptPolicyDocument body) {
        return rollouts.putPolicy(project(project), name, body, caller.getPrincipal().getName()).map(PromptRolloutResource::view);
    }

    private static PolicyView view(PromptRollouts.Policy p) {
        return new PolicyView(p.project(), p.prompt(), PromptPolicyDocument.of(p.effective()), p.stored(), p.updatedAt(), p.updatedBy());
    }

    private static String project(String project) {
        return project == null || project.isBlank() ? "default" : project;
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new io.flywheel.deploy.NotFoundException("no prompt rollout " + id + " (rollout ids are UUIDs)");
        }
    }
}
