package io.flywheel.registry.rest;

import io.flywheel.registry.DatasetVersion;
import io.flywheel.registry.DatasetVersionRef;
import io.flywheel.registry.InvalidRequestException;
import io.flywheel.registry.service.DatasetContentService;
import io.flywheel.registry.service.DatasetService;
import io.flywheel.registry.service.VersionService;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.RestResponse;

import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Datasets and their versions: CSV or JSON Lines, content-addressed, profiled over every row. */
@Path("/api/v1/datasets")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DatasetResource {

    static final String CSV = "text/csv";
    static final String NDJSON = "application/x-ndjson";
    static final String JSONL = "application/jsonl";

    private final DatasetService datasets;
    private final DatasetContentService contents;
    private final VersionService versions;
    /** who calls: the subject of the internal token the call carries (internal-auth/) */
    private final SecurityIdentity caller;

    public DatasetResource(DatasetService datasets, DatasetContentService contents, VersionService versions, SecurityIdentity caller) {
        this.caller = caller;
        this.datasets = datasets;
        this.contents = contents;
        this.versions = versions;
    }

    @POST
    public Uni<RestResponse<DatasetView>> create(@Valid @NotNull(message = "a JSON body is required") DatasetRequest request,
                                                 UriInfo uri) {
        return datasets.create(request.name(), request.description(), request.tags())
                .map(dataset -> RestResponse.ResponseBuilder.<DatasetView>created(uri.getAbsolutePathBuilder().path(dataset.name).build())
                        .entity(DatasetView.of(dataset))
                        .build());
    }

    @GET
    public Uni<Page<DatasetView>> list(@QueryParam("prefix") String prefix,
                                       @QueryParam("limit") @DefaultValue("50")
                                       @Min(value = 1, message = "limit must be between 1 and 500")
                                       @Max(value = 500, message = "limit must be between 1 and 500") int limit,
                                       @QueryParam("cursor") String cursor) {
        return datasets.page(prefix, Page.decode(cursor), limit)
                .map(rows -> Page.of(rows, limit, dataset -> dataset.name, DatasetView::of));
    }

    @GET
    @Path("{name}")
    public Uni<DatasetView> get(@PathParam("name") String name) {
        return datasets.get(name).map(DatasetView::of);
    }

    /**
     * Registers the body as a version: 201 when the content is new, 200 with the existing version
     * when the same bytes were registered before. Malformed content is a 400 naming its first bad line.
     */
    @PUT
    @Path("{name}/versions")
    @Blocking
    @Consumes({CSV, NDJSON, JSONL})
    public Response upload(@PathParam("name") String name,
                           @HeaderParam(HttpHeaders.CONTENT_TYPE) MediaType contentType,
                           @HeaderParam("Digest") String digest,
                           InputStream body,
                           UriInfo uri) {
        boolean csv = contentType != null && contentType.isCompatible(MediaType.valueOf(CSV));
        DatasetService.Registration registration = contents.upload(name, csv ? DatasetVersion.CSV : DatasetVersion.JSONL,
                csv ? CSV : NDJSON, body, digest, caller.getPrincipal().getName());
        DatasetVersionView view = DatasetVersionView.of(registration.version());
        if (!registration.created()) {
            return Response.ok(view).build();
        }
        return Response.created(uri.getAbsolutePathBuilder().path(view.id()).build()).entity(view).build();
    }

    /** Newest first. */
    @GET
    @Path("{name}/versions")
    public Uni<Page<DatasetVersionView>> versions(@PathParam("name") String name,
                                                  @QueryParam("limit") @DefaultValue("50")
                                                  @Min(value = 1, message = "limit must be between 1 and 500")
                                                  @Max(value = 500, message = "limit must be between 1 and 500") int limit,
                                                  @QueryParam("cursor") String cursor) {
        String key = Page.decode(cursor);
        Instant beforeAt = null;
        String beforeId = null;
        if (key != null) {
            int bar = key.indexOf('|');
            try {
                beforeAt = Instant.parse(key.substring(0, Math.max(bar, 0)));
                beforeId = key.substring(bar + 1);
            } catch (DateTimeParseException e) {
                throw new InvalidRequestException("cursor is not one this API returned; pass next_cursor from the previous page unchanged");
            }
        }
        return datasets.versions(name, beforeAt, beforeId, limit)
                .map(rows -> Page.of(rows, limit, v -> v.createdAt + "|" + v.id, DatasetVersionView::of));
    }

    @GET
    @Path("{name}/versions/{id}")
    public Uni<DatasetVersionView> version(@PathParam("name") String name, @PathParam("id") String id) {
        return datasets.version(name, id).map(DatasetVersionView::of);
    }

    /** The model versions (of any model) whose lineage names this dataset version, newest first. */
    @GET
    @Path("{name}/versions/{id}/models")
    public Uni<List<VersionView>> trainedOn(@PathParam("name") String name, @PathParam("id") String id) {
        return datasets.version(name, id)
                .chain(found -> versions.trainedOn(new DatasetVersionRef(found.dataset, found.id), 500))
                .map(rows -> rows.stream().map(VersionView::of).toList());
    }

    /** The exact bytes that were registered, with ETag, Digest and Range support. */
    @GET
    @Path("{name}/versions/{id}/content")
    @Blocking
    @Produces(MediaType.WILDCARD)
    public Response content(@PathParam("name") String name, @PathParam("id") String id,
                            @HeaderParam("Range") String range, @HeaderParam("If-Range") String ifRange,
                            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        return respond(name, id, new BlobDownload.Conditions(range, ifRange, ifNoneMatch), false);
    }

    @HEAD
    @Path("{name}/versions/{id}/content")
    @Blocking
    @Produces(MediaType.WILDCARD)
    public Response contentHead(@PathParam("name") String name, @PathParam("id") String id,
                                @HeaderParam("Range") String range, @HeaderParam("If-Range") String ifRange,
                                @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        return respond(name, id, new BlobDownload.Conditions(range, ifRange, ifNoneMatch), true);
    }

    private Response respond(String name, String id, BlobDownload.Conditions conditions, boolean head) {
        DatasetVersion version = contents.readable(name, id);
        return BlobDownload.respond(version.id, version.sizeBytes, version.contentType,
                name + "-" + id.substring(0, Math.min(12, id.length())) + (version.contentType.contains("csv") ? ".csv" : ".jsonl"), conditions, head,
                (offset, length) -> contents.open(version, offset, length));
    }
}
