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

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's prompt pages, read from the registry's {@code /api/v1/prompts} on behalf of the signed-in caller: a
 * project's prompts, a prompt's versions, one version's template and config, and a line diff of two versions. A
 * prompt's name (which may hold {@code /}) is a query parameter, so no path needs an encoded slash.
 */
@Path("/dashboard/llm")
@Produces(MediaType.TEXT_HTML)
public class PromptDashboardResource {

    private static final String REGISTRY = "registry-service";
    private static final String NO_NAME = "no prompt named: the page takes the prompt's name as ?name=";

    /** The list's filters as sent, for the form to show again. */
    public record PromptFilters(String prefix, String label, String tag) {
    }

    /** A version for the diff's choosers. */
    public record Choice(int version, String labels) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance prompts(LlmDashboardResource.ProjectRef project, PromptFilters filters,
                                               List<PromptsView.PromptRow> prompts, String nextPage, String error);

        static native TemplateInstance versions(LlmDashboardResource.ProjectRef project, String name, String type,
                                                List<PromptsView.VersionRow> versions, String diffLink, String nextPage, String error);

        static native TemplateInstance version(LlmDashboardResource.ProjectRef project, String name, PromptsView.VersionDetail version,
                                               String versionsLink, String error);

        static native TemplateInstance diff(LlmDashboardResource.ProjectRef project, String name, String versionsLink, List<Choice> choices,
                                            Integer from, Integer to, PromptDiff.Diff template, PromptDiff.Diff config, String error);
    }

    private final ServiceCalls services;
    private final LlmProjects projects;
    private final SecurityIdentity caller;

    public PromptDashboardResource(ServiceCalls services, LlmProjects projects, SecurityIdentity caller) {
        this.services = services;
        this.projects = projects;
        this.caller = caller;
    }

    @GET
    @Path("{project}/prompts")
    public Uni<TemplateInstance> prompts(@PathParam("project") String project, @QueryParam("prefix") String prefix,
                                         @QueryParam("label") String label, @QueryParam("tag") String tag,
                                         @QueryParam("cursor") String cursor) {
        PromptFilters filters = new PromptFilters(strip(prefix), strip(label), strip(tag));
        Map<String, String> given = new LinkedHashMap<>();
        given.put("prefix", filters.prefix());
        given.put("label", filters.label());
        given.put("tag", filters.tag());
        StringBuilder query = new StringBuilder("project=").append(LlmView.encode(project));
        given.forEach((k, v) -> {
            if (!v.isEmpty()) {
                query.append('&').append(k).append('=').append(LlmView.encode(v));
            }
        });
        if (cursor != null && !cursor.isBlank()) {
            query.append("&cursor=").append(LlmView.encode(cursor));
        }
        return Uni.combine().all().unis(ref(project), services.get(REGISTRY, "/api/v1/prompts?" + query, who())).asTuple().map(t -> {
            ServiceCalls.Answer answer = t.getItem2();
            String next = answer.ok() && answer.body().hasNonNull("next_cursor")
                    ? LlmView.listLink(PromptsView.promptsLink(project), given, null, answer.body().path("next_cursor").asText()) : null;
            return Templates.prompts(t.getItem1(), filters, answer.ok() ? PromptsView.prompts(project, answer.body().path("items")) : List.of(),
                    next, answer.problem(REGISTRY));
        });
    }

    @GET
    @Path("{project}/prompts/versions")
    public Uni<TemplateInstance> versions(@PathParam("project") String project, @QueryParam("name") String name,
                                          @QueryParam("cursor") String cursor) {
        String prompt = strip(name);
        if (prompt.isEmpty()) {
            return ref(project).map(r -> Templates.versions(r, prompt, "", List.of(), null, null, NO_NAME));
        }
        String path = PromptsView.registryPath(prompt) + "/versions?project=" + LlmView.encode(project)
                + (cursor == null || cursor.isBlank() ? "" : "&cursor=" + LlmView.encode(cursor));
        return Uni.combine().all().unis(ref(project), services.get(REGISTRY, path, who())).asTuple().map(t -> {
            ServiceCalls.Answer answer = t.getItem2();
            List<PromptsView.VersionRow> rows = answer.ok() ? PromptsView.versions(project, prompt, answer.body().path("items")) : List.of();
            String type = answer.ok() && !answer.body().path("items").isEmpty() ? answer.body().path("items").get(0).path("type").asText() : "";
            String next = answer.ok() && answer.body().hasNonNull("next_cursor")
                    ? PromptsView.promptLink(project, prompt) + "&cursor=" + LlmView.encode(answer.body().path("next_cursor").asText()) : null;
            String diff = rows.size() >= 2 ? PromptsView.diffLink(project, prompt, rows.get(1).version(), rows.get(0).version()) : null;
            return Templates.versions(t.getItem1(), prompt, type, rows, diff, next, answer.problem(REGISTRY));
        });
    }

    /** One version; without {@code version}, the newest. */
    @GET
    @Path("{project}/prompts/version")
    public Uni<TemplateInstance> version(@PathParam("project") String project, @QueryParam("name") String name,
                                         @QueryParam("version") Integer version) {
        String prompt = strip(name);
        if (prompt.isEmpty()) {
            return ref(project).map(r -> Templates.version(r, prompt, null, PromptsView.promptsLink(project), NO_NAME));
        }
        return Uni.combine().all().unis(ref(project), one(project, prompt, version)).asTuple().map(t -> {
            ServiceCalls.Answer answer = t.getItem2();
            return Templates.version(t.getItem1(), prompt, answer.ok() ? PromptsView.version(project, answer.body()) : null,
                    PromptsView.promptLink(project, prompt), answer.problem(REGISTRY));
        });
    }

    /** Two versions' templates and configs as line diffs; without a choice, the newest against the one before it. */
    @GET
    @Path("{project}/prompts/diff")
    public Uni<TemplateInstance> diff(@PathParam("project") String project, @QueryParam("name") String name,
                                      @QueryParam("from") Integer from, @QueryParam("to") Integer to) {
        String prompt = strip(name);
        if (prompt.isEmpty()) {
            return ref(project).map(r -> Templates.diff(r, prompt, PromptsView.promptsLink(project), List.of(), from, to, null, null, NO_NAME));
        }
        String list = PromptsView.registryPath(prompt) + "/versions?limit=500&project=" + LlmView.encode(project);
        Uni<ServiceCalls.Answer> versions = services.get(REGISTRY, list, who());
        return Uni.combine().all().unis(ref(project), versions).asTuple().chain(t -> {
            ServiceCalls.Answer answer = t.getItem2();
            String back = PromptsView.promptLink(project, prompt);
            if (!answer.ok()) {
                return Uni.createFrom().item(Templates.diff(t.getItem1(), prompt, back, List.of(), from, to, null, null,
                        answer.problem(REGISTRY)));
            }
            List<Choice> choices = PromptsView.versions(project, prompt, answer.body().path("items")).stream()
                    .map(r -> new Choice(r.version(), String.join(", ", r.labels()))).toList();
            Integer newer = to != null ? to : choices.isEmpty() ? null : choices.getFirst().version();
            Integer older = from != null ? from : choices.size() < 2 ? newer : choices.get(1).version();
            if (older == null || newer == null) {
                return Uni.createFrom().item(Templates.diff(t.getItem1(), prompt, back, choices, older, newer, null, null,
                        "the prompt has no versions"));
            }
            return Uni.combine().all().unis(one(project, prompt, older), one(project, prompt, newer)).asTuple().map(pair -> {
                ServiceCalls.Answer a = pair.getItem1();
                ServiceCalls.Answer b = pair.getItem2();
                if (!a.ok() || !b.ok()) {
                    return Templates.diff(t.getItem1(), prompt, back, choices, older, newer, null, null,
                            a.ok() ? b.problem(REGISTRY) : a.problem(REGISTRY));
                }
                return Templates.diff(t.getItem1(), prompt, back, choices, older, newer,
                        PromptDiff.lines(PromptDiff.templateText(a.body().path("prompt")), PromptDiff.templateText(b.body().path("prompt"))),
                        PromptDiff.lines(PromptDiff.configText(a.body().path("config")), PromptDiff.configText(b.body().path("config"))),
                        null);
            });
        });
    }

    private Uni<ServiceCalls.Answer> one(String project, String prompt, Integer version) {
        return services.get(REGISTRY, PromptsView.registryPath(prompt) + "?project=" + LlmView.encode(project)
                + (version == null ? "&label=latest" : "&version=" + version), who());
    }

    /** The project as named by this gateway, or only its id when this gateway does not administer it. */
    private Uni<LlmDashboardResource.ProjectRef> ref(String project) {
        return projects.get(project).map(l -> LlmDashboardResource.ProjectRef.of(project, l.project().name))
                .onFailure().recoverWithItem(e -> LlmDashboardResource.ProjectRef.of(project, null));
    }

    private static String strip(String value) {
        return value == null ? "" : value.strip();
    }

    private String who() {
        return caller.getPrincipal().getName();
    }
}
