package io.flywheel.monitor.llm.rest;

import io.flywheel.monitor.llm.query.Paging;
import io.flywheel.monitor.llm.score.ScoreConfigRules;
import io.flywheel.monitor.llm.score.ScoreConfigStore;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.Optional;

/**
 * Langfuse's score configs ({@code /api/public/score-configs}) for a Langfuse key pair's caller, in its
 * own project: create, list (page from 1, limit up to 100), read, patch (archive with isArchived).
 * A config that breaks the rules is a 400 in Langfuse's error shape.
 */
@Path("/api/public/score-configs")
@Produces(MediaType.APPLICATION_JSON)
public class LangfuseScoreConfigResource {

    private final ScoreConfigStore configs;
    private final SecurityIdentity caller;

    public LangfuseScoreConfigResource(ScoreConfigStore configs, SecurityIdentity caller) {
        this.configs = configs;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<LangfuseViews.ScoreConfig> create(LangfuseViews.CreateScoreConfig body) {
        String project = Callers.langfuseProject(caller);
        if (body == null) {
            throw LangfuseException.invalid("a body {name, dataType, ...} is required");
        }
        return invalidAsLangfuse(configs.create(project, new ScoreConfigRules.Draft(body.name(), body.dataType(), body.categories(),
                body.minValue(), body.maxValue(), body.description()))).map(LangfuseViews.ScoreConfig::of);
    }

    @GET
    public Uni<LangfuseViews.Paged<LangfuseViews.ScoreConfig>> list(@QueryParam("page") String page, @QueryParam("limit") String limit) {
        String project = Callers.langfuseProject(caller);
        Paging.Page paging = LangfuseResource.page(page, limit);
        return configs.page(project, paging.page(), paging.limit())
                .chain(rows -> configs.count(project).map(total -> new LangfuseViews.Paged<>(
                        rows.stream().map(LangfuseViews.ScoreConfig::of).toList(),
                        LangfuseViews.Meta.of(paging.page(), paging.limit(), total))));
    }

    @GET
    @Path("{id}")
    public Uni<LangfuseViews.ScoreConfig> get(@PathParam("id") String id) {
        return configs.get(Callers.langfuseProject(caller), id).map(LangfuseScoreConfigResource::found);
    }

    @PATCH
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<LangfuseViews.ScoreConfig> patch(@PathParam("id") String id, LangfuseViews.UpdateScoreConfig body) {
        String project = Callers.langfuseProject(caller);
        if (body == null) {
            throw LangfuseException.invalid("a body with the fields to change is required");
        }
        return invalidAsLangfuse(configs.patch(project, id, new ScoreConfigStore.Patch(body.name(), body.description(), body.minValue(),
                body.maxValue(), body.categories(), body.isArchived()))).map(LangfuseScoreConfigResource::found);
    }

    private static LangfuseViews.ScoreConfig found(Optional<io.flywheel.monitor.llm.score.ScoreConfig> c) {
        return c.map(LangfuseViews.ScoreConfig::of)
                .orElseThrow(() -> LangfuseException.notFound("Score config not found within authorized project"));
    }

    private static <T> Uni<T> invalidAsLangfuse(Uni<T> u) {
        return u.onFailure(ScoreConfigStore.Invalid.class).transform(e -> LangfuseException.invalid(e.getMessage()));
    }
}
