package io.flywheel.registry.rest;

import io.flywheel.registry.InvalidRequestException;
import io.flywheel.registry.service.ModelService;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Path("/api/v1/models")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ModelResource {

    static final String MERGE_PATCH = "application/merge-patch+json";

    private final ModelService models;

    public ModelResource(ModelService models) {
        this.models = models;
    }

    @POST
    public Uni<RestResponse<ModelView>> create(@Valid @NotNull(message = "a JSON body is required") ModelRequest request,
                                               UriInfo uri) {
        return models.create(request.name(), request.description(), request.tags())
                .map(model -> RestResponse.ResponseBuilder.<ModelView>created(uri.getAbsolutePathBuilder().path(model.name).build())
                        .entity(ModelView.of(model))
                        .build());
    }

    /**
     * Models in name order. {@code tag=key:value} (repeatable, all must hold) filters on tags;
     * {@code tag=key} only asks for the key; {@code archived=true|false} filters on the flag.
     */
    @GET
    public Uni<Page<ModelView>> list(@QueryParam("prefix") String prefix,
                                     @QueryParam("tag") List<String> tags,
                                     @QueryParam("archived") Boolean archived,
                                     @QueryParam("limit") @DefaultValue("50")
                                     @Min(value = 1, message = "limit must be between 1 and 500")
                                     @Max(value = 500, message = "limit must be between 1 and 500") int limit,
                                     @QueryParam("cursor") String cursor) {
        return models.page(prefix, tagFilter(tags), archived, Page.decode(cursor), limit)
                .map(rows -> Page.of(rows, limit, model -> model.name, ModelView::of));
    }

    @GET
    @Path("{name}")
    public Uni<ModelView> get(@PathParam("name") String name) {
        return models.get(name).map(ModelView::of);
    }

    /** Description, tags (merged; null removes) and the archived flag. */
    @PATCH
    @Path("{name}")
    @Consumes({MediaType.APPLICATION_JSON, MERGE_PATCH})
    public Uni<ModelView> update(@PathParam("name") String name,
                                 @Valid @NotNull(message = "a JSON body is required") ModelPatch patch) {
        return models.update(name, patch.description(), patch.tags(), patch.archived()).map(ModelView::of);
    }

    private static Map<String, String> tagFilter(List<String> tags) {
        Map<String, String> filter = new LinkedHashMap<>();
        for (String tag : tags == null ? List.<String>of() : tags) {
            int colon = tag.indexOf(':');
            String key = colon < 0 ? tag : tag.substring(0, colon);
            if (key.isBlank()) {
                throw new InvalidRequestException("tag filters are key:value or key, e.g. tag=team:growth; '" + tag + "' has no key");
            }
            filter.put(key, colon < 0 ? null : tag.substring(colon + 1));
        }
        return filter;
    }
}
