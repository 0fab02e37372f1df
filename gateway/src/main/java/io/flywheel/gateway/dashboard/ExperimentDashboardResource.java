package io.flywheel.gateway.dashboard;

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
import jakarta.ws.rs.core.MediaType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's experiment pages, read from retrain's {@code /api/v1/evaluation} on behalf of the signed-in caller: a
 * project's datasets and newest experiments, a dataset's runs with their status, progress and aggregate scores, one
 * run's items, and two or more runs compared side by side. A dataset's name (which may hold {@code /}) is a query
 * parameter, so no path needs an encoded slash.
 */
@Path("/dashboard/llm")
@Produces(MediaType.TEXT_HTML)
public class ExperimentDashboardResource {

    private static final String RETRAIN = "retrain-service";
    /** The runs of a page whose items are read for their aggregates: one call each. */
    private static final int RUNS_PER_PAGE = 20;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance datasets(LlmDashboardResource.ProjectRef project, List<ExperimentsView.DatasetRow> datasets,
                                                List<ExperimentsView.RunRow> experiments, String nextPage, String error);

        static native TemplateInstance runs(LlmDashboardResource.ProjectRef project, String dataset, List<ExperimentsView.RunRow> runs,
                                            String nextPage, String error);

        static native TemplateInstance experiment(LlmDashboardResource.ProjectRef project, ExperimentsView.RunRow run,
                                                  List<ExperimentsView.RunItemRow> items, String error);

        static native TemplateInstance compare(LlmDashboardResource.ProjectRef project, String dataset, String runsLink, List<String> asked,
                                               ExperimentsView.Comparison comparison, String error);
    }

    private final ServiceCalls services;
    private final LlmProjects projects;
    private final SecurityIdentity caller;

    public ExperimentDashboardResource(ServiceCalls services, LlmProjects projects, SecurityIdentity caller) {
        this.services = services;
        this.projects = projects;
        this.caller = caller;
    }

    /** The project's datasets, and its newest experiments whatever their dataset. */
    @GET
    @Path("{project}/datasets")
    public Uni<TemplateInstance> datasets(@PathParam("project") String project, @QueryParam("cursor") String cursor) {
        String p = LlmView.encode(project);
        String path = "/api/v1/evaluation/datasets?project=" + p + (blank(cursor) ? "" : "&cursor=" + LlmView.encode(cursor));
        return Uni.combine().all().unis(ref(project), services.get(RETRAIN, path, who()),
                services.get(RETRAIN, "/api/v1/evaluation/experiments?limit=20&project=" + p, who())).asTuple().map(t -> {
            ServiceCalls.Answer datasets = t.getItem2();
            ServiceCalls.Answer experiments = t.getItem3();
            String next = datasets.ok() && datasets.body().hasNonNull("next_cursor")
                    ? ExperimentsView.datasetsLink(project) + "?cursor=" + LlmView.encode(datasets.body().path("next_cursor").asText()) : null;
            String error = datasets.problem(RETRAIN) != null ? datasets.problem(RETRAIN) : experiments.problem(RETRAIN);
            return Templates.datasets(t.getItem1(), datasets.ok() ? ExperimentsView.datasets(project, datasets.body().path("items")) : List.of(),
                    experiments.ok() ? ExperimentsView.runs(project, experiments.body().path("items"), Map.of()) : List.of(), next, error);
        });
    }

    /** A dataset's runs, each with its aggregates (its items read), and the choice of runs to compare. */
    @GET
    @Path("{project}/datasets/runs")
    public Uni<TemplateInstance> runs(@PathParam("project") String project, @QueryParam("name") String name,
                                      @QueryParam("cursor") String cursor) {
        String dataset = strip(name);
        if (dataset.isEmpty()) {
            return ref(project).map(r -> Templates.runs(r, dataset, List.of(), null, NO_NAME));
        }
        String base = ExperimentsView.datasetPath(dataset) + "/runs";
        String p = "project=" + LlmView.encode(project);
        String path = base + "?limit=" + RUNS_PER_PAGE + "&" + p + (blank(cursor) ? "" : "&cursor=" + LlmView.encode(cursor));
        return Uni.combine().all().unis(ref(project), services.get(RETRAIN, path, who())).asTuple().chain(t -> {
            ServiceCalls.Answer answer = t.getItem2();
            if (!answer.ok()) {
                return Uni.createFrom().item(Templates.runs(t.getItem1(), dataset, List.of(), null, answer.problem(RETRAIN)));
            }
            List<String> names = new ArrayList<>();
            answer.body().path("items").forEach(r -> names.add(r.path("name").asText()));
            List<Uni<Map.Entry<String, ExperimentsView.Aggregate>>> reads = names.stream().map(run -> services.get(RETRAIN,
                    base + "/" + LlmView.segment(run) + "?" + p, who()).map(a -> Map.entry(run, a.ok()
                    ? ExperimentsView.aggregate(a.body().path("items")) : ExperimentsView.Aggregate.NONE))).toList();
            Uni<List<Map.Entry<String, ExperimentsView.Aggregate>>> all = reads.isEmpty() ? Uni.createFrom().item(List.of())
                    : Uni.join().all(reads).andFailFast();
            String next = answer.body().hasNonNull("next_cursor")
                    ? ExperimentsView.runsLink(project, dataset) + "&cursor=" + LlmView.encode(answer.body().path("next_cursor").asText()) : null;
            return all.map(entries -> {
                Map<String, ExperimentsView.Aggregate> aggregates = new LinkedHashMap<>();
                entries.forEach(e -> aggregates.put(e.getKey(), e.getValue()));
                return Templates.runs(t.getItem1(), dataset, ExperimentsView.runs(project, answer.body().path("items"), aggregates), next, null);
            });
        });
    }

    /** One run (an experiment's id, as a prompt version's lineage names it): its settings, aggregates and every item. */
    @GET
    @Path("{project}/experiments/{id}")
    public Uni<TemplateInstance> experiment(@PathParam("project") String project, @PathParam("id") String id) {
        String p = "project=" + LlmView.encode(project);
        Uni<ServiceCalls.Answer> found = services.get(RETRAIN, "/api/v1/evaluation/experiments/" + LlmView.segment(id) + "?" + p, who());
        return Uni.combine().all().unis(ref(project), found).asTuple().chain(t -> {
            ServiceCalls.Answer run = t.getItem2();
            if (!run.ok()) {
                return Uni.createFrom().item(Templates.experiment(t.getItem1(), null, List.of(), run.problem(RETRAIN)));
            }
            String detail = ExperimentsView.datasetPath(run.body().path("dataset").asText()) + "/runs/"
                    + LlmView.segment(run.body().path("name").asText()) + "?" + p;
            return services.get(RETRAIN, detail, who()).map(items -> Templates.experiment(t.getItem1(),
                    ExperimentsView.run(project, run.body(), items.ok() ? ExperimentsView.aggregate(items.body().path("items"))
                            : ExperimentsView.Aggregate.NONE),
                    items.ok() ? ExperimentsView.runItems(project, items.body().path("items")) : List.of(), items.problem(RETRAIN)));
        });
    }

    /**
     * Runs of a dataset side by side; {@code runs} repeated or comma-separated. The baseline, which the others are read
     * against, is {@code baseline} when given (and compared even when not among {@code runs}), else the first run.
     */
    @GET
    @Path("{project}/datasets/compare")
    public Uni<TemplateInstance> compare(@PathParam("project") String project, @QueryParam("name") String name,
                                         @QueryParam("runs") List<String> runs, @QueryParam("baseline") String baseline) {
        String dataset = strip(name);
        LinkedHashSet<String> asked = new LinkedHashSet<>();
        if (!blank(baseline)) {
            asked.add(baseline.strip());
        }
        for (String r : runs == null ? List.<String>of() : runs) {
            for (String part : r.split(",")) {
                if (!part.isBlank()) {
                    asked.add(part.strip());
                }
            }
        }
        List<String> chosen = List.copyOf(asked);
        if (dataset.isEmpty() || chosen.size() < 2) {
            return ref(project).map(r -> Templates.compare(r, dataset, dataset.isEmpty() ? null : ExperimentsView.runsLink(project, dataset), chosen, null,
                    dataset.isEmpty() ? NO_NAME : "choose two or more runs to compare"));
        }
        String path = ExperimentsView.datasetPath(dataset) + "/runs/compare?project=" + LlmView.encode(project) + "&runs="
                + LlmView.encode(String.join(",", chosen));
        return Uni.combine().all().unis(ref(project), services.get(RETRAIN, path, who())).asTuple().map(t -> {
            ServiceCalls.Answer answer = t.getItem2();
            return Templates.compare(t.getItem1(), dataset, ExperimentsView.runsLink(project, dataset), chosen, answer.ok() ? ExperimentsView.comparison(answer.body()) : null,
                    answer.problem(RETRAIN));
        });
    }

    private static final String NO_NAME = "no dataset named: the page takes the dataset's name as ?name=";

    private Uni<LlmDashboardResource.ProjectRef> ref(String project) {
        return projects.get(project).map(l -> LlmDashboardResource.ProjectRef.of(project, l.project().name))
                .onFailure().recoverWithItem(e -> LlmDashboardResource.ProjectRef.of(project, null));
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static String strip(String value) {
        return value == null ? "" : value.strip();
    }

    private String who() {
        return caller.getPrincipal().getName();
    }
}
