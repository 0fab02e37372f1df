package io.flywheel.retrain.rest;

import io.flywheel.retrain.InvalidRequestException;
import io.flywheel.retrain.NotFoundException;
import io.flywheel.retrain.llm.Callers;
import io.flywheel.retrain.llm.Dataset;
import io.flywheel.retrain.llm.DatasetItem;
import io.flywheel.retrain.llm.DatasetStore;
import io.flywheel.retrain.llm.compare.Comparisons;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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

import java.net.URI;
import java.util.List;
import java.util.function.Function;

/**
 * Flywheel's API over LLM datasets: create or update a dataset (by name) and its items (by id), list and
 * read them, read and delete runs. The caller names the project ({@code project}, default {@code default});
 * a Langfuse key pair's caller works only in its own. Dataset names may hold '/'.
 */
@Path("/api/v1/evaluation/datasets")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class EvaluationDatasetResource {

    private final DatasetStore store;
    private final Comparisons comparisons;
    private final SecurityIdentity caller;

    public EvaluationDatasetResource(DatasetStore store, Comparisons comparisons, SecurityIdentity caller) {
        this.store = store;
        this.comparisons = comparisons;
        this.caller = caller;
    }

    /** 201 with the new dataset, or 200 with the one of that name, its sent fields updated. */
    @POST
    public Uni<RestResponse<EvaluationViews.DatasetView>> upsertDataset(
            @Valid @NotNull(message = "a JSON body is required: {\"name\": \"...\"}") EvaluationViews.DatasetRequest request, UriInfo uri) {
        String project = Callers.scope(caller, request.project());
        return store.upsertDataset(project, request.name().strip(), request.description(), request.metadata(), request.inputSchema(),
                request.expectedOutputSchema()).map(u -> answer(u, EvaluationViews.DatasetView::of,
                uri.getAbsolutePathBuilder().path(u.value().name()).queryParam("project", project).build()));
    }

    @GET
    public Uni<Page<EvaluationViews.DatasetView>> listDatasets(@QueryParam("project") String project,
                                                               @QueryParam("limit") @DefaultValue("50") @Min(value = 1, message = "limit must be between 1 and 500")
                                                               @Max(value = 500, message = "limit must be between 1 and 500") int limit,
                                                               @QueryParam("cursor") String cursor) {
        int offset = offset(cursor);
        return store.datasets(Callers.scope(caller, project), offset, limit + 1).map(rows -> page(rows, offset, limit, EvaluationViews.DatasetView::of));
    }

    @GET
    @Path("{name: .+}")
    public Uni<EvaluationViews.DatasetView> getDataset(@PathParam("name") String name, @QueryParam("project") String project) {
        return store.requireDataset(Callers.scope(caller, project), name).map(EvaluationViews.DatasetView::of);
    }

    /** 201 with the new item (a fresh id when none is sent), or 200 with the item of that id, its sent fields updated. */
    @POST
    @Path("{name: .+}/items")
    public Uni<RestResponse<EvaluationViews.ItemView>> upsertItem(@PathParam("name") String name, @QueryParam("project") String project,
                                                                  @Valid @NotNull(message = "a JSON body is required: {\"input\": ..., \"expected_output\": ...}")
                                                                  EvaluationViews.ItemRequest request, UriInfo uri) {
        String scoped = Callers.scope(caller, project);
        return store.upsertItem(scoped, new DatasetItem.Draft(name, request.id(), request.input(), request.expectedOutput(), request.metadata(),
                        request.sourceTraceId(), request.sourceObservationId(), request.status()))
                .map(u -> answer(u, EvaluationViews.ItemView::of,
                        uri.getAbsolutePathBuilder().path(u.value().id()).queryParam("project", scoped).build()));
    }

    @GET
    @Path("{name: .+}/items")
    public Uni<Page<EvaluationViews.ItemView>> listItems(@PathParam("name") String name, @QueryParam("project") String project,
                                                         @QueryParam("status") String status,
                                                         @QueryParam("limit") @DefaultValue("50") @Min(value = 1, message = "limit must be between 1 and 500")
                                                         @Max(value = 500, message = "limit must be between 1 and 500") int limit,
                                                         @QueryParam("cursor") String cursor) {
        String scoped = Callers.scope(caller, project);
        if (status != null && !status.isBlank() && !List.of(DatasetItem.ACTIVE, DatasetItem.ARCHIVED).contains(status)) {
            throw new InvalidRequestException("status must be ACTIVE or ARCHIVED, was '" + status + "'");
        }
        int offset = offset(cursor);
        return store.requireDataset(scoped, name).chain(d -> store.items(new DatasetStore.ItemFilter(scoped, d.id(), null, null,
                        status == null || status.isBlank() ? null : status), offset, limit + 1))
                .map(rows -> page(rows, offset, limit, EvaluationViews.ItemView::of));
    }

    @GET
    @Path("{name: .+}/items/{id}")
    public Uni<EvaluationViews.ItemView> getItem(@PathParam("name") String name, @PathParam("id") String id, @QueryParam("project") String project) {
        return itemOf(Callers.scope(caller, project), name, id).map(EvaluationViews.ItemView::of);
    }

    @DELETE
    @Path("{name: .+}/items/{id}")
    public Uni<RestResponse<Void>> deleteItem(@PathParam("name") String name, @PathParam("id") String id, @QueryParam("project") String project) {
        String scoped = Callers.scope(caller, project);
        return itemOf(scoped, name, id).chain(item -> store.deleteItem(scoped, item.id())).map(ignored -> RestResponse.noContent());
    }

    @GET
    @Path("{name: .+}/runs")
    public Uni<Page<EvaluationViews.RunView>> listRuns(@PathParam("name") String name, @QueryParam("project") String project,
                                                       @QueryParam("limit") @DefaultValue("50") @Min(value = 1, message = "limit must be between 1 and 500")
                                                       @Max(value = 500, message = "limit must be between 1 and 500") int limit,
                                                       @QueryParam("cursor") String cursor) {
        String scoped = Callers.scope(caller, project);
        int offset = offset(cursor);
        return store.requireDataset(scoped, name).chain(d -> store.runs(scoped, d.id(), false, offset, limit + 1))
                .map(rows -> page(rows, offset, limit, EvaluationViews.RunView::of));
    }

    /**
     * Runs side by side ({@code runs=a,b[,c...]}, the first the baseline): per item the input, the expected
     * output, each run's output and scores, score deltas, whether outputs differ and line and word diffs;
     * per run each evaluator's mean, the pass rate, tokens and latency, and the means' deltas. This route
     * takes the path {@code /runs/compare}: a run named {@code compare} is read through Langfuse's route or the comparison.
     */
    @GET
    @Path("{name: .+}/runs/compare")
    public Uni<Comparisons.View> compareRuns(@PathParam("name") String name, @QueryParam("runs") String runs,
                                             @QueryParam("project") String project) {
        String scoped = Callers.scope(caller, project);
        if (runs == null || runs.isBlank()) {
            throw new InvalidRequestException("runs is required: the runs to compare, comma-separated, the first the baseline (runs=a,b)");
        }
        List<String> names = java.util.Arrays.stream(runs.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        return comparisons.compare(scoped, name, names);
    }

    /** A run with every item's outcome (output, scores, latency, tokens, trace). */
    @GET
    @Path("{name: .+}/runs/{run}")
    public Uni<EvaluationViews.RunDetailView> getRun(@PathParam("name") String name, @PathParam("run") String run,
                                                     @QueryParam("project") String project) {
        String scoped = Callers.scope(caller, project);
        return store.requireDataset(scoped, name).chain(d -> store.requireRun(scoped, d, run))
                .chain(r -> store.allRunItems(r.id()).map(items -> new EvaluationViews.RunDetailView(EvaluationViews.RunView.of(r),
                        items.stream().map(EvaluationViews.RunItemView::of).toList())));
    }

    @DELETE
    @Path("{name: .+}/runs/{run}")
    public Uni<RestResponse<Void>> deleteRun(@PathParam("name") String name, @PathParam("run") String run, @QueryParam("project") String project) {
        String scoped = Callers.scope(caller, project);
        return store.requireDataset(scoped, name).chain(d -> store.requireRun(scoped, d, run))
                .chain(r -> store.deleteRun(r.id())).map(ignored -> RestResponse.noContent());
    }

    private Uni<DatasetItem> itemOf(String project, String dataset, String id) {
        return store.requireDataset(project, dataset).chain(d -> store.item(project, id).map(found -> found
                .filter(i -> i.datasetId().equals(d.id()))
                .orElseThrow(() -> new NotFoundException("item of dataset '" + dataset + "'", id))));
    }

    private static <T, V> RestResponse<V> answer(DatasetStore.Upserted<T> upserted, Function<T, V> view, URI location) {
        V body = view.apply(upserted.value());
        return upserted.created() ? RestResponse.ResponseBuilder.<V>created(location).entity(body).build() : RestResponse.ok(body);
    }

    /** The rows of one page (the store read one more, which says another page exists) and the cursor of the next. */
    static <T, V> Page<V> page(List<T> rows, int offset, int limit, Function<T, V> view) {
        boolean more = rows.size() > limit;
        List<T> shown = more ? rows.subList(0, limit) : rows;
        return new Page<>(shown.stream().map(view).toList(), more ? Cursors.encode("offset:" + (offset + limit)) : null);
    }

    static int offset(String cursor) {
        String key = Cursors.decode(cursor);
        if (key == null) {
            return 0;
        }
        try {
            if (key.startsWith("offset:")) {
                int offset = Integer.parseInt(key.substring("offset:".length()));
                if (offset >= 0) {
                    return offset;
                }
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw Cursors.invalid();
    }
}
