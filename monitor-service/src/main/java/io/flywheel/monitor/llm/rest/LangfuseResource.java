package io.flywheel.monitor.llm.rest;

import io.flywheel.monitor.llm.Rows;
import io.flywheel.monitor.llm.TraceReads;
import io.flywheel.monitor.llm.query.Filters;
import io.flywheel.monitor.llm.query.Paging;
import io.flywheel.monitor.llm.query.Queries;
import io.flywheel.monitor.llm.query.Statement;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Langfuse's read API ({@code /api/public}) over the stored traces, for its SDKs and tools: only for a
 * Langfuse key pair's caller (internal token subject {@code llm-project:<project>}), who reads its own
 * project. Pages start at 1; limit defaults to 50, at most 100. Errors are {@code {"message", "error"}}.
 */
@Path("/api/public")
@Produces(MediaType.APPLICATION_JSON)
public class LangfuseResource {

    private static final Params PARAMS = new Params(LangfuseException::invalid);

    private final TraceReads reads;
    private final SecurityIdentity caller;

    public LangfuseResource(TraceReads reads, SecurityIdentity caller) {
        this.reads = reads;
        this.caller = caller;
    }

    @GET
    @Path("traces")
    public Uni<LangfuseViews.Paged<LangfuseViews.Trace>> traces(@QueryParam("page") String page, @QueryParam("limit") String limit,
                                                               @QueryParam("userId") String userId, @QueryParam("name") String name,
                                                               @QueryParam("sessionId") String sessionId,
                                                               @QueryParam("fromTimestamp") String from,
                                                               @QueryParam("toTimestamp") String to,
                                                               @QueryParam("orderBy") String orderBy,
                                                               @QueryParam("tags") List<String> tags,
                                                               @QueryParam("version") String version,
                                                               @QueryParam("release") String release,
                                                               @QueryParam("environment") List<String> environment,
                                                               @QueryParam("filter") String filter) {
        String project = project();
        unsupported("filter", filter);
        Instant f = PARAMS.instant("fromTimestamp", from);
        Instant t = PARAMS.instant("toTimestamp", to);
        PARAMS.range("fromTimestamp", f, "toTimestamp", t);
        String order;
        try {
            order = Queries.traceOrder(orderBy);
        } catch (IllegalArgumentException e) {
            throw LangfuseException.invalid(e.getMessage());
        }
        Paging.Page paging = page(page, limit);
        Filters.Traces filters = new Filters.Traces(project, f, t, Params.text(name), Params.text(userId), Params.text(sessionId),
                Params.list(tags), Params.text(release), Params.text(version), Params.list(environment), null, null, null, null, null);
        return reads.traces(Queries.traces(filters, paging, order))
                .chain(rows -> reads.observationIds(rows).chain(observationIds -> reads.scoreIds(rows).map(scoreIds -> {
                    Map<String, List<String>> obs = byTrace(observationIds);
                    Map<String, List<String>> scores = byTrace(scoreIds);
                    return rows.stream().map(r -> LangfuseViews.Trace.of(r, obs.getOrDefault(r.id(), List.of()),
                            scores.getOrDefault(r.id(), List.of()))).toList();
                })))
                .chain(data -> paged(data, paging, Queries.countTraces(filters)));
    }

    @GET
    @Path("traces/{id}")
    public Uni<LangfuseViews.Trace> trace(@PathParam("id") String id) {
        String project = project();
        return reads.trace(project, id).chain(found -> {
            if (found.isEmpty()) {
                throw LangfuseException.notFound("Trace not found within authorized project");
            }
            Rows.Trace t = found.getFirst();
            return reads.observationsOf(project, List.of(id)).chain(observations -> reads.scoresOf(project, List.of(id))
                    .map(scores -> LangfuseViews.Trace.of(t, observations.stream().map(LangfuseViews.Observation::of).toList(),
                            scores.stream().map(LangfuseViews.Score::of).toList())));
        });
    }

    @GET
    @Path("observations")
    public Uni<LangfuseViews.Paged<LangfuseViews.Observation>> observations(@QueryParam("page") String page,
                                                                           @QueryParam("limit") String limit,
                                                                           @QueryParam("name") String name,
                                                                           @QueryParam("userId") String userId,
                                                                           @QueryParam("type") String type,
                                                                           @QueryParam("traceId") String traceId,
                                                                           @QueryParam("level") String level,
                                                                           @QueryParam("parentObservationId") String parent,
                                                                           @QueryParam("environment") List<String> environment,
                                                                           @QueryParam("fromStartTime") String from,
                                                                           @QueryParam("toStartTime") String to,
                                                                           @QueryParam("version") String version,
                                                                           @QueryParam("filter") String filter) {
        String project = project();
        unsupported("filter", filter);
        Instant f = PARAMS.instant("fromStartTime", from);
        Instant t = PARAMS.instant("toStartTime", to);
        PARAMS.range("fromStartTime", f, "toStartTime", t);
        Paging.Page paging = page(page, limit);
        Filters.Observations filters = new Filters.Observations(project, Params.text(traceId), Params.text(type), Params.text(name),
                Params.text(level), null, Params.text(parent), Params.text(userId), Params.list(environment), Params.text(version), f, t);
        return reads.observations(Queries.observations(filters, paging))
                .map(rows -> rows.stream().map(LangfuseViews.Observation::of).toList())
                .chain(data -> paged(data, paging, Queries.countObservations(filters)));
    }

    @GET
    @Path("observations/{id}")
    public Uni<LangfuseViews.Observation> observation(@PathParam("id") String id) {
        return reads.observation(project(), id).map(found -> {
            if (found.isEmpty()) {
                throw LangfuseException.notFound("Observation not found within authorized project");
            }
            return LangfuseViews.Observation.of(found.getFirst());
        });
    }

    @GET
    @Path("sessions")
    public Uni<LangfuseViews.Paged<LangfuseViews.Session>> sessions(@QueryParam("page") String page, @QueryParam("limit") String limit,
                                                                   @QueryParam("fromTimestamp") String from,
                                                                   @QueryParam("toTimestamp") String to,
                                                                   @QueryParam("environment") List<String> environment) {
        String project = project();
        Instant f = PARAMS.instant("fromTimestamp", from);
        Instant t = PARAMS.instant("toTimestamp", to);
        PARAMS.range("fromTimestamp", f, "toTimestamp", t);
        Paging.Page paging = page(page, limit);
        Filters.Sessions filters = new Filters.Sessions(project, f, t, Params.list(environment));
        return reads.sessions(Queries.sessions(filters, paging))
                .map(rows -> rows.stream().map(s -> LangfuseViews.Session.of(s, null)).toList())
                .chain(data -> paged(data, paging, Queries.countSessions(filters)));
    }

    @GET
    @Path("sessions/{id}")
    public Uni<LangfuseViews.Session> session(@PathParam("id") String id) {
        String project = project();
        return reads.sessions(Queries.session(project, id)).chain(found -> {
            if (found.isEmpty()) {
                throw LangfuseException.notFound("Session not found within authorized project");
            }
            return reads.tracesOfSession(project, id).map(traces -> LangfuseViews.Session.of(found.getFirst(),
                    traces.stream().map(t -> LangfuseViews.Trace.of(t, null, null)).toList()));
        });
    }

    @GET
    @Path("v2/scores")
    public Uni<LangfuseViews.Paged<LangfuseViews.Score>> scores(@QueryParam("page") String page, @QueryParam("limit") String limit,
                                                               @QueryParam("userId") String userId, @QueryParam("name") String name,
                                                               @QueryParam("fromTimestamp") String from,
                                                               @QueryParam("toTimestamp") String to,
                                                               @QueryParam("environment") List<String> environment,
                                                               @QueryParam("source") String source,
                                                               @QueryParam("dataType") String dataType,
                                                               @QueryParam("traceId") String traceId,
                                                               @QueryParam("observationId") String observationId,
                                                               @QueryParam("sessionId") String sessionId,
                                                               @QueryParam("datasetRunId") String datasetRunId,
                                                               @QueryParam("configId") String configId,
                                                               @QueryParam("scoreIds") List<String> scoreIds,
                                                               @QueryParam("operator") String operator,
                                                               @QueryParam("value") String value,
                                                               @QueryParam("filter") String filter) {
        String project = project();
        unsupported("filter", filter);
        unsupported("operator", operator);
        unsupported("value", value);
        Instant f = PARAMS.instant("fromTimestamp", from);
        Instant t = PARAMS.instant("toTimestamp", to);
        PARAMS.range("fromTimestamp", f, "toTimestamp", t);
        Paging.Page paging = page(page, limit);
        Filters.Scores filters = new Filters.Scores(project, Params.text(traceId), Params.text(observationId), Params.text(sessionId),
                Params.text(datasetRunId), Params.text(name), Params.text(source), Params.text(dataType), Params.text(configId),
                Params.list(environment), Params.text(userId), f, t, Params.list(scoreIds));
        return reads.scores(Queries.scores(filters, paging))
                .map(rows -> rows.stream().map(LangfuseViews.Score::of).toList())
                .chain(data -> paged(data, paging, Queries.countScores(filters)));
    }

    @GET
    @Path("v2/scores/{id}")
    public Uni<LangfuseViews.Score> score(@PathParam("id") String id) {
        Filters.Scores filters = new Filters.Scores(project(), null, null, null, null, null, null, null, null, null, null, null, null,
                List.of(id));
        return reads.scores(Queries.scores(filters, new Paging.Page(1, 1))).map(found -> {
            if (found.isEmpty()) {
                throw LangfuseException.notFound("Score not found within authorized project");
            }
            return LangfuseViews.Score.of(found.getFirst());
        });
    }

    /** The caller's project: only Langfuse key pairs' callers may use these routes. */
    private String project() {
        return Callers.langfuseProject(caller);
    }

    private static void unsupported(String name, String value) {
        if (!Params.blank(value)) {
            throw LangfuseException.invalid(name + " is not supported by this server");
        }
    }

    static Paging.Page page(String page, String limit) {
        return new Paging.Page(PARAMS.integer("page", page, 1, 1, 1_000_000), PARAMS.integer("limit", limit, 50, 1, 100));
    }

    private <T> Uni<LangfuseViews.Paged<T>> paged(List<T> data, Paging.Page paging, Statement count) {
        return reads.count(count).map(total -> new LangfuseViews.Paged<>(data, LangfuseViews.Meta.of(paging.page(), paging.limit(), total)));
    }

    private static Map<String, List<String>> byTrace(List<String[]> rows) {
        Map<String, List<String>> out = new HashMap<>();
        for (String[] r : rows) {
            out.computeIfAbsent(r[1], k -> new ArrayList<>()).add(r[2]);
        }
        return out;
    }

}
