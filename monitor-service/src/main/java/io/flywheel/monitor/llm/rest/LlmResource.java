package io.flywheel.monitor.llm.rest;

import io.flywheel.monitor.BadRequestException;
import io.flywheel.monitor.NotFoundException;
import io.flywheel.monitor.llm.Rows;
import io.flywheel.monitor.llm.TraceReads;
import io.flywheel.monitor.llm.query.Filters;
import io.flywheel.monitor.llm.query.Paging;
import io.flywheel.monitor.llm.query.Queries;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * LLM traces for Flywheel's callers: lists newest first, paged by {@code limit} (1 to 500, default 50)
 * and the {@code next_cursor} of the previous page; a trace with its observations as a tree and its
 * scores; sessions; scores. A caller scoped to one project (a Langfuse key pair's) reads only that one.
 */
@Path("/api/v1/llm")
@Produces(MediaType.APPLICATION_JSON)
public class LlmResource {

    private static final Params PARAMS = new Params(BadRequestException::new);

    private final TraceReads reads;
    private final SecurityIdentity caller;

    public LlmResource(TraceReads reads, SecurityIdentity caller) {
        this.reads = reads;
        this.caller = caller;
    }

    @GET
    @Path("traces")
    public Uni<Views.Page<Views.Trace>> traces(@QueryParam("project") String project, @QueryParam("from") String from,
                                               @QueryParam("to") String to, @QueryParam("name") String name,
                                               @QueryParam("user_id") String userId, @QueryParam("session_id") String sessionId,
                                               @QueryParam("tags") List<String> tags, @QueryParam("release") String release,
                                               @QueryParam("version") String version,
                                               @QueryParam("environment") List<String> environment,
                                               @QueryParam("model") String model, @QueryParam("min_cost") String minCost,
                                               @QueryParam("max_cost") String maxCost,
                                               @QueryParam("min_latency_ms") String minLatency,
                                               @QueryParam("max_latency_ms") String maxLatency,
                                               @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        Instant f = PARAMS.instant("from", from);
        Instant t = PARAMS.instant("to", to);
        PARAMS.range("from", f, "to", t);
        Filters.Traces filter = new Filters.Traces(scope(project), f, t, Params.text(name), Params.text(userId),
                Params.text(sessionId), Params.list(tags), Params.text(release), Params.text(version), Params.list(environment),
                Params.text(model), PARAMS.number("min_cost", minCost), PARAMS.number("max_cost", maxCost),
                PARAMS.number("min_latency_ms", minLatency), PARAMS.number("max_latency_ms", maxLatency));
        Paging.Cursor paging = cursor(limit, cursor);
        return reads.traces(Queries.traces(filter, paging, null))
                .map(rows -> page(rows, paging, r -> new Paging.Position(r.time(), r.id()), r -> Views.Trace.of(r, null, null)));
    }

    @GET
    @Path("traces/{id}")
    public Uni<Views.Trace> trace(@PathParam("id") String id, @QueryParam("project") String project) {
        return reads.trace(scope(project), id).chain(found -> {
            Rows.Trace t = single(found, "trace", id);
            return reads.observationsOf(t.project(), List.of(t.id()))
                    .chain(observations -> reads.scoresOf(t.project(), List.of(t.id()))
                            .map(scores -> Views.Trace.of(t, Views.Observation.tree(observations),
                                    scores.stream().map(Views.Score::of).toList())));
        });
    }

    @GET
    @Path("observations")
    public Uni<Views.Page<Views.Observation>> observations(@QueryParam("project") String project,
                                                           @QueryParam("trace_id") String traceId,
                                                           @QueryParam("type") String type, @QueryParam("name") String name,
                                                           @QueryParam("level") String level, @QueryParam("model") String model,
                                                           @QueryParam("parent_observation_id") String parent,
                                                           @QueryParam("user_id") String userId,
                                                           @QueryParam("environment") List<String> environment,
                                                           @QueryParam("version") String version,
                                                           @QueryParam("from") String from, @QueryParam("to") String to,
                                                           @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        Instant f = PARAMS.instant("from", from);
        Instant t = PARAMS.instant("to", to);
        PARAMS.range("from", f, "to", t);
        Filters.Observations filter = new Filters.Observations(scope(project), Params.text(traceId), Params.text(type),
                Params.text(name), Params.text(level), Params.text(model), Params.text(parent), Params.text(userId),
                Params.list(environment), Params.text(version), f, t);
        Paging.Cursor paging = cursor(limit, cursor);
        return reads.observations(Queries.observations(filter, paging))
                .map(rows -> page(rows, paging, r -> new Paging.Position(r.startTime() == null ? r.createdAt() : r.startTime(), r.id()),
                        Views.Observation::flat));
    }

    @GET
    @Path("observations/{id}")
    public Uni<Views.Observation> observation(@PathParam("id") String id, @QueryParam("project") String project) {
        return reads.observation(scope(project), id).map(found -> Views.Observation.flat(single(found, "observation", id)));
    }

    @GET
    @Path("sessions")
    public Uni<Views.Page<Views.Session>> sessions(@QueryParam("project") String project, @QueryParam("from") String from,
                                                   @QueryParam("to") String to,
                                                   @QueryParam("environment") List<String> environment,
                                                   @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        Instant f = PARAMS.instant("from", from);
        Instant t = PARAMS.instant("to", to);
        PARAMS.range("from", f, "to", t);
        Paging.Cursor paging = cursor(limit, cursor);
        return reads.sessions(Queries.sessions(new Filters.Sessions(scope(project), f, t, Params.list(environment)), paging))
                .map(rows -> page(rows, paging, r -> new Paging.Position(r.createdAt(), r.id()), r -> Views.Session.of(r, null, null)));
    }

    @GET
    @Path("sessions/{id}")
    public Uni<Views.Session> session(@PathParam("id") String id, @QueryParam("project") String project) {
        return reads.sessions(Queries.session(scope(project), id)).chain(found -> {
            Rows.Session s = single(found, "session", id);
            return reads.tracesOfSession(s.project(), s.id())
                    .chain(traces -> reads.scoresOfSession(s.project(), s.id())
                            .map(scores -> Views.Session.of(s, traces.stream().map(t -> Views.Trace.of(t, null, null)).toList(),
                                    scores.stream().map(Views.Score::of).toList())));
        });
    }

    @GET
    @Path("scores")
    public Uni<Views.Page<Views.Score>> scores(@QueryParam("project") String project, @QueryParam("trace_id") String traceId,
                                               @QueryParam("observation_id") String observationId,
                                               @QueryParam("session_id") String sessionId,
                                               @QueryParam("dataset_run_id") String datasetRunId,
                                               @QueryParam("name") String name, @QueryParam("source") String source,
                                               @QueryParam("data_type") String dataType, @QueryParam("config_id") String configId,
                                               @QueryParam("environment") List<String> environment,
                                               @QueryParam("user_id") String userId,
                                               @QueryParam("from") String from, @QueryParam("to") String to,
                                               @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        Instant f = PARAMS.instant("from", from);
        Instant t = PARAMS.instant("to", to);
        PARAMS.range("from", f, "to", t);
        Filters.Scores filter = new Filters.Scores(scope(project), Params.text(traceId), Params.text(observationId),
                Params.text(sessionId), Params.text(datasetRunId), Params.text(name), Params.text(source), Params.text(dataType),
                Params.text(configId), Params.list(environment), Params.text(userId), f, t, null);
        Paging.Cursor paging = cursor(limit, cursor);
        return reads.scores(Queries.scores(filter, paging))
                .map(rows -> page(rows, paging, r -> new Paging.Position(r.timestamp(), r.id()), Views.Score::of));
    }

    private String scope(String asked) {
        return Callers.scope(caller, Params.text(asked));
    }

    private static <R> R single(List<R> found, String what, String id) {
        if (found.isEmpty()) {
            throw new NotFoundException("no " + what + " '" + id + "'");
        }
        if (found.size() > 1) {
            throw new BadRequestException("a " + what + " '" + id + "' exists in more than one project: name one with ?project=");
        }
        return found.getFirst();
    }

    private static Paging.Cursor cursor(String limit, String cursor) {
        int n = PARAMS.integer("limit", limit, 50, 1, 500);
        try {
            return new Paging.Cursor(n, Params.blank(cursor) ? null : Paging.Position.decode(cursor));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
    }

    private static <R, V> Views.Page<V> page(List<R> rows, Paging.Cursor paging, Function<R, Paging.Position> position,
                                             Function<R, V> view) {
        boolean more = rows.size() > paging.limit();
        List<R> shown = more ? rows.subList(0, paging.limit()) : rows;
        return new Views.Page<>(shown.stream().map(view).toList(), more ? position.apply(shown.getLast()).encode() : null);
    }
}
