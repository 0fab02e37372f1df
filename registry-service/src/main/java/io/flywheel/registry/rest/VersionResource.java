package io.flywheel.registry.rest;

import io.flywheel.registry.InvalidRequestException;
import io.flywheel.registry.ModelVersion;
import io.flywheel.registry.VersionMetadata;
import io.flywheel.registry.service.VersionService;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/api/v1/models/{name}/versions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class VersionResource {

    private final VersionService versions;
    /** who calls: the subject of the internal token the call carries (internal-auth/) */
    private final SecurityIdentity caller;

    public VersionResource(VersionService versions, SecurityIdentity caller) {
        this.caller = caller;
        this.versions = versions;
    }

    /**
     * Registers a draft with the next number (201). A retry with the same {@code Idempotency-Key}
     * returns the version the first attempt registered instead of a second draft.
     */
    @POST
    public Uni<RestResponse<VersionView>> create(@PathParam("name") String model,
                                                 @Valid @NotNull(message = "a JSON body is required") VersionMetadata metadata,
                                                 @HeaderParam("Idempotency-Key")
                                                 @Size(max = 128, message = "Idempotency-Key is limited to 128 characters")
                                                 String idempotencyKey,
                                                 UriInfo uri) {
        return versions.create(model, metadata, idempotencyKey, caller.getPrincipal().getName())
                .map(registration -> {
                    ModelVersion version = registration.version();
                    var response = RestResponse.ResponseBuilder.<VersionView>created(
                                    uri.getAbsolutePathBuilder().path(String.valueOf(version.version)).build())
                            .entity(VersionView.of(version));
                    if (registration.replayed()) {
                        response.header("Idempotent-Replayed", "true");
                    }
                    return response.build();
                });
    }

    /** Newest first; {@code status=draft|ready} filters. */
    @GET
    public Uni<Page<VersionView>> list(@PathParam("name") String model,
                                       @QueryParam("status")
                                       @Pattern(regexp = "draft|ready", message = "status must be draft or ready") String status,
                                       @QueryParam("limit") @DefaultValue("50")
                                       @Min(value = 1, message = "limit must be between 1 and 500")
                                       @Max(value = 500, message = "limit must be between 1 and 500") int limit,
                                       @QueryParam("cursor") String cursor) {
        return versions.page(model, status, versionCursor(cursor), limit)
                .map(rows -> Page.of(rows, limit, v -> String.valueOf(v.version), VersionView::of));
    }

    @GET
    @Path("{version}")
    public Uni<VersionView> get(@PathParam("name") String model, @PathParam("version") int version) {
        return versions.get(model, version).map(VersionView::of);
    }

    /** Description and tags always; framework, format, signature, metrics, params and lineage only on drafts (409 otherwise). */
    @PATCH
    @Path("{version}")
    @Consumes({MediaType.APPLICATION_JSON, ModelResource.MERGE_PATCH})
    public Uni<VersionView> update(@PathParam("name") String model, @PathParam("version") int version,
                                   @Valid @NotNull(message = "a JSON body is required") VersionPatch patch) {
        return versions.update(model, version, new VersionService.VersionChanges(patch.description(), patch.tags(),
                        patch.framework(), patch.format(), patch.signature(), patch.metrics(), patch.params(), patch.lineage()))
                .map(VersionView::of);
    }

    /** Where the version comes from (datasets, code, retrain job, ancestors) and what was derived from it. */
    @GET
    @Path("{version}/lineage")
    public Uni<LineageView> lineage(@PathParam("name") String model, @PathParam("version") int version) {
        return versions.lineage(model, version).map(LineageView::of);
    }

    private static Integer versionCursor(String cursor) {
        String key = Page.decode(cursor);
        if (key == null) {
            return null;
        }
        try {
            return Integer.parseInt(key);
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("cursor is not one this API returned; pass next_cursor from the previous page unchanged");
        }
    }
}
