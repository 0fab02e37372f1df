package io.flywheel.registry.rest;

import io.flywheel.registry.service.ModelService;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
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

@Path("/api/v1/models")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ModelResource {

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

    @GET
    public Uni<Page<ModelView>> list(@QueryParam("prefix") String prefix,
                                     @QueryParam("limit") @DefaultValue("50")
                                     @Min(value = 1, message = "limit must be between 1 and 500")
                                     @Max(value = 500, message = "limit must be between 1 and 500") int limit,
                                     @QueryParam("cursor") String cursor) {
        return models.page(prefix, Page.decode(cursor), limit)
                .map(rows -> Page.of(rows, limit, model -> model.name, ModelView::of));
    }

    @GET
    @Path("{name}")
    public Uni<ModelView> get(@PathParam("name") String name) {
        return models.get(name).map(ModelView::of);
    }
}
