package io.flywheel.gateway.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.gateway.llm.LlmProjects;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The dashboard's LLM pages, read from the monitor's {@code /api/v1/llm} on behalf of the signed-in caller: the
 * projects, a project's traces (filtered, paged), a trace's tree of observations with timings, tokens, cost and
 * scores, its sessions and a session's traces, and its scores over time per prompt version and per model.
 */
@Path("/dashboard/llm")
@Produces(MediaType.TEXT_HTML)
public class LlmDashboardResource {

    private static final String MONITOR = "monitor-service";

    /** A project as the pages name it: its id, and its name when this gateway administers it. */
    public record ProjectRef(String id, String name, String link) {
        static ProjectRef of(String id, String name) {
            return new ProjectRef(id, name == null ? id : name, LlmView.projectLink(id));
        }
    }

    /** A score's two charts (Chart.js JSON, or null) and what kept either from being drawn. */
    public record ScoreCharts(String name, String byPrompt, String byModel, String note) {
    }

    /** A list's filter form as it was sent, for the form to show again. */
    public record TraceFilters(Map<String, String> values, String range, List<String> ranges) {
        public String get(String name) {
            return values.getOrDefault(name, "");
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance projects(List<ProjectRef> projects, String error);

        static native TemplateInstance traces(ProjectRef project, TraceFilters filters, List<LlmView.TraceRow> traces,
                                              String firstPage, String nextPage, String error);

        static native TemplateInstance trace(ProjectRef project, LlmView.TraceSummary trace, List<LlmView.TreeRow> tree,
                                             List<LlmView.ScoreRow> scores, String error);

        static native TemplateInstance sessions(ProjectRef project, List<LlmView.SessionRow> sessions, String nextPage, String error);

        static native TemplateInstance session(ProjectRef project, String id, JsonNode session, List<LlmView.TraceRow> traces,
                                               List<LlmView.ScoreRow> scores, String error);

        static native TemplateInstance scores(ProjectRef project, String range, List<String> ranges, List<ScoreCharts> charts,
                                              String error);
    }

    private final ServiceCalls services;
    private final LlmProjects projects;
    private final SecurityIdentity caller;
    private final ObjectMapper json;

    public LlmDashboardResource(ServiceCalls services, LlmProjects projects, SecurityIdentity caller, ObjectMapper json) {
        this.services = services;
        this.projects = projects;
        this.caller = caller;
        this.json = json;
    }

    /** The project picker: the LLM projects this gateway administers (ids and names only, no keys). */
    @GET
    public Uni<TemplateInstance> projects() {
        return projects.list()
                .map(all -> Templates.projects(all.stream().map(l -> ProjectRef.of(l.project().id, l.project().name)).toList(), null))
                .onFailure().recoverWithItem(e -> Templates.projects(List.of(), "the projects could not be read"));
    }

    @GET
    @Path("{project}")
    public Uni<TemplateInstance> traces(@PathParam("project") String project, @QueryParam("range") String range,
                                        @QueryParam("cursor") String cursor, @Context UriInfo uri) {
        Map<String, String> filters = new LinkedHashMap<>();
        for (String name : LlmView.TRACE_FILTERS) {
            String value = uri.getQueryParameters().getFirst(name);
            if (value != null && !value.isBlank()) {
                filters.put(name, value.strip());
            }
        }
        String base = LlmView.projectLink(project);
        String query = LlmView.query(project, filters, range, cursor, Instant.now());
        TraceFilters form = new TraceFilters(filters, range == null ? "" : range, List.copyOf(LlmView.RANGES.keySet()));
        return page(project, "/api/v1/llm/traces?" + query, (ref, answer) -> {
            String next = answer.ok() && answer.body().hasNonNull("next_cursor")
                    ? LlmView.listLink(base, filters, range, answer.body().path("next_cursor").asText()) : null;
            String first = cursor == null || cursor.isBlank() ? null : LlmView.listLink(base, filters, range, null);
            return Templates.traces(ref, form, answer.ok() ? LlmView.traces(project, answer.body().path("items")) : List.of(),
                    first, next, problem(answer));
        });
    }

    @GET
    @Path("{project}/traces/{id}")
    public Uni<TemplateInstance> trace(@PathParam("project") String project, @PathParam("id") String id) {
        String path = "/api/v1/llm/traces/" + LlmView.segment(id) + "?project=" + LlmView.encode(project);
        return page(project, path, (ref, answer) -> answer.ok()
                ? Templates.trace(ref, LlmView.summary(project, answer.body()), LlmView.tree(answer.body()),
                LlmView.scores(answer.body().path("scores")), null)
                : Templates.trace(ref, null, List.of(), List.of(), problem(answer)));
    }

    @GET
    @Path("{project}/sessions")
    public Uni<TemplateInstance> sessions(@PathParam("project") String project, @QueryParam("cursor") String cursor) {
        String query = LlmView.query(project, Map.of(), null, cursor, Instant.now());
        return page(project, "/api/v1/llm/sessions?" + query, (ref, answer) -> {
            String next = answer.ok() && answer.body().hasNonNull("next_cursor")
                    ? LlmView.listLink(LlmView.projectLink(project) + "/sessions", Map.of(), null,
                    answer.body().path("next_cursor").asText()) : null;
            return Templates.sessions(ref, answer.ok() ? LlmView.sessions(project, answer.body().path("items")) : List.of(),
                    next, problem(answer));
        });
    }

    @GET
    @Path("{project}/sessions/{id}")
    public Uni<TemplateInstance> session(@PathParam("project") String project, @PathParam("id") String id) {
        String path = "/api/v1/llm/sessions/" + LlmView.segment(id) + "?project=" + LlmView.encode(project);
        return page(project, path, (ref, answer) -> answer.ok()
                ? Templates.session(ref, id, answer.body(), LlmView.traces(project, answer.body().path("traces")),
                LlmView.scores(answer.body().path("scores")), null)
                : Templates.session(ref, id, null, List.of(), List.of(), problem(answer)));
    }

    /**
     * Each score name's mean (or category counts) over the range, per prompt version and per model, from the
     * monitor's score series. The names are those of the newest 500 scores in the range.
     */
    @GET
    @Path("{project}/scores")
    public Uni<TemplateInstance> scores(@PathParam("project") String project, @QueryParam("range") String asked) {
        String range = asked != null && LlmView.RANGES.containsKey(asked) ? asked : "7d";
        Instant to = Instant.now();
        Duration step = LlmView.seriesInterval(range);
        Instant from = LlmView.seriesFrom(to, range);
        String interval = step.toString();
        String p = LlmView.encode(project);
        String principal = who();
        Uni<ServiceCalls.Answer> names = services.get(MONITOR, "/api/v1/llm/scores?project=" + p + "&limit=500&from="
                + LlmView.encode(from.toString()), principal);
        return Uni.combine().all().unis(ref(project), names).asTuple().chain(t -> {
            ServiceCalls.Answer answer = t.getItem2();
            List<String> scoreNames = answer.ok() ? LlmView.scoreNames(answer.body().path("items")) : List.of();
            List<Uni<ScoreCharts>> charts = new ArrayList<>();
            for (String name : scoreNames) {
                String series = "/api/v1/llm/scores/series?project=" + p + "&name=" + LlmView.encode(name) + "&interval=" + interval
                        + "&from=" + LlmView.encode(from.toString()) + "&to=" + LlmView.encode(to.toString()) + "&group_by=";
                charts.add(Uni.combine().all().unis(services.get(MONITOR, series + "prompt", principal),
                        services.get(MONITOR, series + "model", principal)).asTuple().map(s -> charts(name, s.getItem1(), s.getItem2())));
            }
            Uni<List<ScoreCharts>> all = charts.isEmpty() ? Uni.createFrom().item(List.of()) : Uni.join().all(charts).andFailFast();
            return all.map(list -> Templates.scores(t.getItem1(), range, List.copyOf(LlmView.RANGES.keySet()), list, problem(answer)));
        });
    }

    private ScoreCharts charts(String name, ServiceCalls.Answer byPrompt, ServiceCalls.Answer byModel) {
        if (byPrompt.status() == 404 || byModel.status() == 404) {
            return new ScoreCharts(name, null, null, "score series not available (the monitor has no score series yet)");
        }
        String note = problem(byPrompt) != null ? problem(byPrompt) : problem(byModel);
        return new ScoreCharts(name, byPrompt.ok() ? ScoreSeriesChart.chart(json, byPrompt.body()) : null,
                byModel.ok() ? ScoreSeriesChart.chart(json, byModel.body()) : null, note);
    }

    /** A page of one monitor read: rendered from the project and the monitor's answer, whatever it is. */
    private Uni<TemplateInstance> page(String project, String pathAndQuery,
                                       BiFunction<ProjectRef, ServiceCalls.Answer, TemplateInstance> render) {
        return Uni.combine().all().unis(ref(project), services.get(MONITOR, pathAndQuery, who())).asTuple()
                .map(t -> render.apply(t.getItem1(), t.getItem2()));
    }

    /** The project as named by this gateway, or only its id when this gateway does not administer it. */
    private Uni<ProjectRef> ref(String project) {
        return projects.get(project).map(l -> ProjectRef.of(project, l.project().name))
                .onFailure().recoverWithItem(e -> ProjectRef.of(project, null));
    }

    /** What went wrong with a call, for the page: the monitor's own words when it refused (a bad filter, a trace not found). */
    private static String problem(ServiceCalls.Answer answer) {
        if (answer.ok()) {
            return null;
        }
        if (answer.error() != null) {
            return answer.error();
        }
        String detail = answer.body() == null ? "" : answer.body().path("detail").asText("");
        return "monitor answered " + answer.status() + (detail.isEmpty() ? "" : ": " + detail);
    }

    private String who() {
        return caller.getPrincipal().getName();
    }
}
