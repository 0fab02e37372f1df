package io.flywheel.retrain.llm.langfuse;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.flywheel.retrain.RetrainException;
import io.flywheel.retrain.llm.Callers;
import io.flywheel.retrain.llm.Dataset;
import io.flywheel.retrain.llm.DatasetItem;
import io.flywheel.retrain.llm.DatasetStore;
import io.flywheel.retrain.llm.RunItem;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;
import java.util.function.Function;

/**
 * Langfuse's datasets, dataset items and dataset run items ({@code /api/public}), for a Langfuse key
 * pair's caller (internal token subject {@code llm-project:<project>}) in its own project. Datasets and
 * items are upserts (by name, by id); a run is created by the first run item that names it, and the trace
 * a run item names need not exist. Lists page from 1, limit 50 by default, at most 100, always with
 * {@code meta.totalPages}. Dataset names may hold '/' (sent as {@code %2F}). Errors are {@code {"message", "error"}}.
 */
@Path("/api/public")
@Produces(MediaType.APPLICATION_JSON)
public class LangfuseDatasetResource {

    private final DatasetStore store;
    private final SecurityIdentity caller;

    public LangfuseDatasetResource(DatasetStore store, SecurityIdentity caller) {
        this.store = store;
        this.caller = caller;
    }

    // ---- datasets

    @POST
    @Path("v2/datasets")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<LangfuseViews.DatasetView> createDataset(LangfuseViews.CreateDataset body) {
        return upsertDataset(body).map(LangfuseViews.DatasetView::of);
    }

    /** The legacy create (the v3 SDK's {@code createDataset}): the same upsert, answered with {@code items} and {@code runs}. */
    @POST
    @Path("datasets")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<LangfuseViews.LegacyDatasetView> createLegacyDataset(LangfuseViews.CreateDataset body) {
        return upsertDataset(body).map(d -> LangfuseViews.LegacyDatasetView.of(d, List.of(), List.of()));
    }

    private Uni<Dataset> upsertDataset(LangfuseViews.CreateDataset body) {
        String project = project();
        if (body == null || body.name() == null || body.name().isBlank()) {
            throw LangfuseException.invalid("name is required");
        }
        return store.upsertDataset(project, body.name(), body.description(), body.metadata(), body.inputSchema(), body.expectedOutputSchema())
                .map(DatasetStore.Upserted::value);
    }

    @GET
    @Path("v2/datasets")
    public Uni<LangfuseViews.Paged<LangfuseViews.DatasetView>> datasets(@QueryParam("page") String page, @QueryParam("limit") String limit) {
        return listDatasets(page, limit, LangfuseViews.DatasetView::of);
    }

    @GET
    @Path("datasets")
    public Uni<LangfuseViews.Paged<LangfuseViews.DatasetView>> legacyDatasets(@QueryParam("page") String page, @QueryParam("limit") String limit) {
        return listDatasets(page, limit, LangfuseViews.DatasetView::of);
    }

    private <T> Uni<LangfuseViews.Paged<T>> listDatasets(String page, String limit, Function<Dataset, T> view) {
        String project = project();
        Paging p = Paging.of(page, limit);
        return store.datasets(project, p.offset(), p.limit())
                .chain(rows -> store.countDatasets(project).map(total -> p.paged(rows.stream().map(view).toList(), total)));
    }

    @GET
    @Path("v2/datasets/{name: .+}")
    public Uni<LangfuseViews.DatasetView> dataset(@PathParam("name") String name) {
        return found(project(), name).map(LangfuseViews.DatasetView::of);
    }

    /** The legacy read: the dataset with every item and its runs' names. */
    @GET
    @Path("datasets/{name: .+}")
    public Uni<LangfuseViews.LegacyDatasetView> legacyDataset(@PathParam("name") String name) {
        String project = project();
        return found(project, name).chain(d -> store.items(new DatasetStore.ItemFilter(project, d.id(), null, null, null), 0, 10_000)
                .chain(items -> store.runs(project, d.id(), false, 0, 10_000)
                        .map(runs -> LangfuseViews.LegacyDatasetView.of(d, items.stream().map(LangfuseViews.ItemView::of).toList(),
                                runs.stream().map(r -> r.name()).toList()))));
    }

    // ---- runs

    @GET
    @Path("datasets/{name: .+}/runs")
    public Uni<LangfuseViews.Paged<LangfuseViews.RunView>> runs(@PathParam("name") String name, @QueryParam("page") String page,
                                                               @QueryParam("limit") String limit) {
        String project = project();
        Paging p = Paging.of(page, limit);
        return found(project, name).chain(d -> store.runs(project, d.id(), false, p.offset(), p.limit())
                .chain(rows -> store.countRuns(project, d.id(), false)
                        .map(total -> p.paged(rows.stream().map(LangfuseViews.RunView::of).toList(), total))));
    }

    @GET
    @Path("datasets/{name: .+}/runs/{runName}")
    public Uni<LangfuseViews.RunWithItemsView> run(@PathParam("name") String name, @PathParam("runName") String runName) {
        String project = project();
        return found(project, name).chain(d -> store.run(project, d.id(), runName)).chain(run -> {
            if (run.isEmpty()) {
                throw LangfuseException.notFound("Dataset run not found");
            }
            return store.allRunItems(run.get().id()).map(items -> LangfuseViews.RunWithItemsView.of(run.get(), items));
        });
    }

    @DELETE
    @Path("datasets/{name: .+}/runs/{runName}")
    public Uni<LangfuseViews.Message> deleteRun(@PathParam("name") String name, @PathParam("runName") String runName) {
        String project = project();
        return found(project, name).chain(d -> store.run(project, d.id(), runName)).chain(run -> {
            if (run.isEmpty()) {
                throw LangfuseException.notFound("Dataset run not found");
            }
            return store.deleteRun(run.get().id()).map(ignored -> new LangfuseViews.Message("Dataset run successfully deleted"));
        });
    }

    // ---- items

    @POST
    @Path("dataset-items")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<LangfuseViews.ItemView> createItem(LangfuseViews.CreateItem body) {
        String project = project();
        if (body == null || body.datasetName() == null || body.datasetName().isBlank()) {
            throw LangfuseException.invalid("datasetName is required");
        }
        return store.upsertItem(project, new DatasetItem.Draft(body.datasetName(), body.id(), body.input(), body.expectedOutput(),
                        body.metadata(), body.sourceTraceId(), body.sourceObservationId(), body.status()))
                .map(u -> LangfuseViews.ItemView.of(u.value()));
    }

    @GET
    @Path("dataset-items")
    public Uni<LangfuseViews.Paged<LangfuseViews.ItemView>> items(@QueryParam("datasetName") String datasetName,
                                                                 @QueryParam("sourceTraceId") String sourceTraceId,
                                                                 @QueryParam("sourceObservationId") String sourceObservationId,
                                                                 @QueryParam("version") String version,
                                                                 @QueryParam("page") String page, @QueryParam("limit") String limit) {
        String project = project();
        if (version != null && !version.isBlank()) {
            throw LangfuseException.invalid("version (dataset versions) is not supported by this server");
        }
        Paging p = Paging.of(page, limit);
        Uni<String> datasetId = blank(datasetName) ? Uni.createFrom().nullItem() : found(project, datasetName).map(Dataset::id);
        return datasetId.chain(id -> {
            var filter = new DatasetStore.ItemFilter(project, id, text(sourceTraceId), text(sourceObservationId), null);
            return store.items(filter, p.offset(), p.limit()).chain(rows -> store.countItems(filter)
                    .map(total -> p.paged(rows.stream().map(LangfuseViews.ItemView::of).toList(), total)));
        });
    }

    @GET
    @Path("dataset-items/{id}")
    public Uni<LangfuseViews.ItemView> item(@PathParam("id") String id) {
        return store.item(project(), id).map(found -> LangfuseViews.ItemView.of(found.orElseThrow(
                () -> LangfuseException.notFound("Dataset item not found"))));
    }

    @DELETE
    @Path("dataset-items/{id}")
    public Uni<LangfuseViews.Message> deleteItem(@PathParam("id") String id) {
        return store.deleteItem(project(), id).map(found -> {
            if (found.isEmpty()) {
                throw LangfuseException.notFound("Dataset item not found");
            }
            return new LangfuseViews.Message("Dataset item successfully deleted");
        });
    }

    // ---- run items

    /** Links an item to a trace in a run, creating the run by name; answers {@code datasetRunId}, which SDKs use as the experiment's id. */
    @POST
    @Path("dataset-run-items")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<LangfuseViews.RunItemView> createRunItem(LangfuseViews.CreateRunItem body) {
        String project = project();
        if (body == null || blank(body.runName()) || blank(body.datasetItemId())) {
            throw LangfuseException.invalid("runName and datasetItemId are required");
        }
        if (blank(body.traceId()) && blank(body.observationId())) {
            throw LangfuseException.invalid("at least one of traceId and observationId is required");
        }
        if (body.datasetVersion() != null && !body.datasetVersion().isNull()) {
            throw LangfuseException.invalid("datasetVersion (dataset versions) is not supported by this server");
        }
        return store.link(project, new RunItem.Link(body.runName(), body.runDescription(), body.metadata(), body.datasetItemId(),
                        text(body.traceId()), text(body.observationId())))
                .map(LangfuseViews.RunItemView::of);
    }

    @GET
    @Path("dataset-run-items")
    public Uni<LangfuseViews.Paged<LangfuseViews.RunItemView>> runItems(@QueryParam("datasetId") String datasetId,
                                                                       @QueryParam("runName") String runName,
                                                                       @QueryParam("page") String page, @QueryParam("limit") String limit) {
        String project = project();
        if (blank(datasetId) || blank(runName)) {
            throw LangfuseException.invalid("datasetId and runName are required");
        }
        Paging p = Paging.of(page, limit);
        return store.run(project, datasetId, runName).chain(run -> {
            if (run.isEmpty()) {
                return Uni.createFrom().item(p.paged(List.<LangfuseViews.RunItemView>of(), 0));
            }
            String runId = run.get().id();
            return store.runItems(project, null, runId, p.offset(), p.limit()).chain(rows -> store.countRunItems(project, null, runId)
                    .map(total -> p.paged(rows.stream().map(LangfuseViews.RunItemView::of).toList(), total)));
        });
    }

    // ---- errors in Langfuse's shape (these mappers apply to this resource only)

    @ServerExceptionMapper
    public Response retrain(RetrainException e) {
        return LangfuseErrors.answer(e);
    }

    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e) {
        return LangfuseErrors.answer(e);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        return LangfuseErrors.answer(e);
    }

    private Uni<Dataset> found(String project, String name) {
        return store.dataset(project, name).map(d -> d.orElseThrow(() -> LangfuseException.notFound("Dataset not found")));
    }

    /** The caller's project: only Langfuse key pairs' callers may use these routes. */
    private String project() {
        return Callers.project(caller).orElseThrow(() -> LangfuseException.forbidden(
                "these routes take Langfuse key pairs (a project's public and secret key); Flywheel callers use /api/v1/evaluation"));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String text(String s) {
        return blank(s) ? null : s;
    }

    /** Langfuse's page and limit: page from 1, limit 50 by default, at most 100. */
    record Paging(int page, int limit) {
        static Paging of(String page, String limit) {
            return new Paging(integer("page", page, 1, 1_000_000), integer("limit", limit, 50, 100));
        }

        int offset() {
            return (page - 1) * limit;
        }

        <T> LangfuseViews.Paged<T> paged(List<T> data, long total) {
            return new LangfuseViews.Paged<>(data, LangfuseViews.Meta.of(page, limit, total));
        }

        private static int integer(String name, String value, int fallback, int max) {
            if (blank(value)) {
                return fallback;
            }
            try {
                int n = Integer.parseInt(value.strip());
                if (n >= 1 && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // answered below
            }
            throw LangfuseException.invalid(name + " must be an integer in [1, " + max + "], was '" + value + "'");
        }
    }
}
