package io.flywheel.monitor.llm.rest;

import io.flywheel.monitor.BadRequestException;
import io.flywheel.monitor.NotFoundException;
import io.flywheel.monitor.UnprocessableException;
import io.flywheel.monitor.llm.score.ScoreConfig;
import io.flywheel.monitor.llm.score.ScoreConfigRules;
import io.flywheel.monitor.llm.score.ScoreConfigStore;
import io.flywheel.monitor.llm.score.ScoreGroup;
import io.flywheel.monitor.llm.score.ScoreMonitorPolicy;
import io.flywheel.monitor.llm.score.ScoreMonitors;
import io.flywheel.monitor.llm.score.ScoreReads;
import io.flywheel.monitor.llm.score.ScoreSeries;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.ResponseStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Flywheel's routes for LLM scores beyond the stored ones: score configs of a project, a score's time
 * series per prompt version or model, and the score monitors that raise {@code quality.degraded}.
 * Every route names its project ({@code ?project=}); a caller scoped to one project uses only that one.
 * A config or monitor that breaks its rules is a 422; an unreadable value a 400.
 */
@Path("/api/v1/llm")
@Produces(MediaType.APPLICATION_JSON)
public class LlmScoreResource {

    private static final Params PARAMS = new Params(BadRequestException::new);
    private static final Duration DEFAULT_RANGE = Duration.ofHours(24);

    private final ScoreConfigStore configs;
    private final ScoreReads reads;
    private final ScoreMonitors monitors;
    private final SecurityIdentity caller;

    public LlmScoreResource(ScoreConfigStore configs, ScoreReads reads, ScoreMonitors monitors, SecurityIdentity caller) {
        this.configs = configs;
        this.reads = reads;
        this.monitors = monitors;
        this.caller = caller;
    }

    @POST
    @Path("score-configs")
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    public Uni<ScoreConfig> createConfig(@QueryParam("project") String project, ScoreConfigRules.Draft body) {
        String p = project(project);
        if (body == null) {
            throw new BadRequestException("a body {name, data_type, ...} is required");
        }
        return unprocessable(configs.create(p, body));
    }

    @GET
    @Path("score-configs")
    public Uni<ScoreViews.ConfigPage> configs(@QueryParam("project") String project, @QueryParam("page") String page,
                                              @QueryParam("limit") String limit) {
        String p = project(project);
        int n = PARAMS.integer("page", page, 1, 1, 1_000_000);
        int l = PARAMS.integer("limit", limit, 50, 1, 500);
        return configs.page(p, n, l).chain(rows -> configs.count(p).map(total -> new ScoreViews.ConfigPage(rows, n, l, total)));
    }

    @GET
    @Path("score-configs/{id}")
    public Uni<ScoreConfig> config(@PathParam("id") String id, @QueryParam("project") String project) {
        return configs.get(project(project), id).map(c -> found(c, id));
    }

    @PATCH
    @Path("score-configs/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<ScoreConfig> patchConfig(@PathParam("id") String id, @QueryParam("project") String project, ScoreConfigStore.Patch body) {
        String p = project(project);
        if (body == null) {
            throw new BadRequestException("a body with the fields to change is required");
        }
        return unprocessable(configs.patch(p, id, body)).map(c -> found(c, id));
    }

    @GET
    @Path("scores/series")
    public Uni<ScoreViews.Series> series(@QueryParam("project") String project, @QueryParam("name") String name,
                                         @QueryParam("group_by") String groupBy, @QueryParam("interval") String interval,
                                         @QueryParam("from") String from, @QueryParam("to") String to) {
        String p = project(project);
        if (Params.blank(name)) {
            throw new BadRequestException("name (the score's name) is required");
        }
        ScoreGroup.By by = groupBy(Params.blank(groupBy) ? "prompt" : groupBy);
        Duration step = ScoreViews.duration("interval", interval, Duration.ofHours(1), PARAMS);
        Instant t = PARAMS.instant("to", to);
        Instant f = PARAMS.instant("from", from);
        if (t == null) {
            t = f != null && f.plus(DEFAULT_RANGE).isBefore(Instant.now()) ? f.plus(DEFAULT_RANGE) : Instant.now();
        }
        if (f == null && step.toMillis() > 0) {
            // the default range starts on a multiple of the interval, so its buckets are the usual hours (or minutes)
            long s = step.toMillis();
            f = Instant.ofEpochMilli(Math.floorDiv(t.minus(DEFAULT_RANGE).toEpochMilli(), s) * s);
        }
        String problem = ScoreSeries.problem(step, f, t);
        if (problem != null) {
            throw new BadRequestException(problem);
        }
        ScoreSeries.Request r = new ScoreSeries.Request(p, name, by, step, f, t);
        return reads.cells(r).map(cells -> ScoreViews.Series.of(r, ScoreSeries.assemble(r, cells)));
    }

    @PUT
    @Path("score-monitors")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<ScoreViews.Monitor> putMonitor(@QueryParam("project") String project, ScoreViews.MonitorRequest body) {
        String p = project(project);
        if (body == null) {
            throw new BadRequestException("a body {score_name, group_by, window, ...} is required");
        }
        ScoreMonitorPolicy.Baseline baseline;
        try {
            baseline = ScoreMonitorPolicy.Baseline.parse(body.baseline());
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
        ScoreMonitorPolicy policy = new ScoreMonitorPolicy(p, body.scoreName(), groupBy(body.groupBy() == null ? "prompt" : body.groupBy()),
                ScoreViews.duration("window", body.window(), Duration.ofHours(1), PARAMS), body.minCount() == null ? 20 : body.minCount(),
                body.minMean(), body.maxDrop(), body.driftAlpha(), baseline, body.lookbackWindows() == null ? 24 : body.lookbackWindows());
        List<String> problems = policy.problems();
        if (!problems.isEmpty()) {
            throw new UnprocessableException(String.join("; ", problems));
        }
        return monitors.put(policy).map(ScoreViews.Monitor::of);
    }

    @GET
    @Path("score-monitors")
    public Uni<List<ScoreViews.Monitor>> monitors(@QueryParam("project") String project) {
        return monitors.list(project(project)).map(l -> l.stream().map(ScoreViews.Monitor::of).toList());
    }

    /** What the project's score monitors found, newest first: each quality.degraded as sent, and whether Kafka took it. */
    @GET
    @Path("score-monitors/degradations")
    public Uni<List<ScoreMonitors.Degradation>> degradations(@QueryParam("project") String project, @QueryParam("limit") String limit) {
        return monitors.degradations(project(project), PARAMS.integer("limit", limit, 50, 1, 500));
    }

    @DELETE
    @Path("score-monitors")
    @ResponseStatus(204)
    public Uni<Void> deleteMonitor(@QueryParam("project") String project, @QueryParam("score_name") String scoreName,
                                   @QueryParam("group_by") String groupBy) {
        String p = project(project);
        if (Params.blank(scoreName)) {
            throw new BadRequestException("score_name is required");
        }
        return monitors.delete(p, scoreName, groupBy(Params.blank(groupBy) ? "prompt" : groupBy)).invoke(existed -> {
            if (!existed) {
                throw new NotFoundException("no score monitor of '" + scoreName + "' in project '" + p + "'");
            }
        }).replaceWithVoid();
    }

    private String project(String asked) {
        String p = Callers.scope(caller, Params.text(asked));
        if (p == null) {
            throw new BadRequestException("project is required (?project=)");
        }
        return p;
    }

    private static ScoreGroup.By groupBy(String value) {
        try {
            return ScoreGroup.By.parse(value);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
    }

    private static ScoreConfig found(Optional<ScoreConfig> c, String id) {
        return c.orElseThrow(() -> new NotFoundException("no score config '" + id + "'"));
    }

    private static <T> Uni<T> unprocessable(Uni<T> u) {
        return u.onFailure(ScoreConfigStore.Invalid.class).transform(e -> new UnprocessableException(e.getMessage()));
    }
}
