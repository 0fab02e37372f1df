package io.flywheel.retrain.rest;

import io.flywheel.retrain.NotFoundException;
import io.flywheel.retrain.llm.Callers;
import io.flywheel.retrain.llm.DatasetStore;
import io.flywheel.retrain.llm.experiment.ExperimentRequest;
import io.flywheel.retrain.llm.experiment.ExperimentService;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Experiments: run a prompt version over a dataset against the configured chat endpoint (202, then
 * follow {@code Location} for its status and progress), list them. The caller names the project
 * (default {@code default}); a Langfuse key pair's caller works only in its own.
 */
@Path("/api/v1/evaluation/experiments")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ExperimentResource {

    private final ExperimentService experiments;
    private final DatasetStore store;
    private final SecurityIdentity caller;

    public ExperimentResource(ExperimentService experiments, DatasetStore store, SecurityIdentity caller) {
        this.experiments = experiments;
        this.store = store;
        this.caller = caller;
    }

    /** 202 with the queued experiment (a run of the dataset); its items run in the background. */
    @POST
    public Uni<RestResponse<EvaluationViews.RunView>> startExperiment(ExperimentRequest request, UriInfo uri) {
        String project = Callers.scope(caller, request == null ? null : request.project());
        return experiments.start(project, caller.getPrincipal().getName(), request).map(run -> RestResponse.ResponseBuilder
                .<EvaluationViews.RunView>accepted().location(uri.getAbsolutePathBuilder().path(run.id()).build())
                .entity(EvaluationViews.RunView.of(run)).build());
    }

    /** The experiment's status ({@code queued}, {@code running}, {@code succeeded}, {@code failed}, {@code partial}) and progress. */
    @GET
    @Path("{id}")
    public Uni<EvaluationViews.RunView> getExperiment(@PathParam("id") String id) {
        return store.runById(id).map(found -> found
                .filter(run -> run.experiment() && Callers.project(caller).map(own -> own.equals(run.project())).orElse(true))
                .map(EvaluationViews.RunView::of)
                .orElseThrow(() -> new NotFoundException("experiment", id)));
    }

    /** Experiments of a project (of one dataset with {@code dataset}), newest first. */
    @GET
    public Uni<Page<EvaluationViews.RunView>> listExperiments(@QueryParam("project") String project, @QueryParam("dataset") String dataset,
                                                              @QueryParam("limit") @DefaultValue("50") @Min(value = 1, message = "limit must be between 1 and 500")
                                                              @Max(value = 500, message = "limit must be between 1 and 500") int limit,
                                                              @QueryParam("cursor") String cursor) {
        String scoped = Callers.scope(caller, project);
        int offset = EvaluationDatasetResource.offset(cursor);
        Uni<String> datasetId = dataset == null || dataset.isBlank() ? Uni.createFrom().nullItem()
                : store.requireDataset(scoped, dataset).map(d -> d.id());
        return datasetId.chain(id -> store.runs(scoped, id, true, offset, limit + 1))
                .map(rows -> EvaluationDatasetResource.page(rows, offset, limit, EvaluationViews.RunView::of));
    }
}
