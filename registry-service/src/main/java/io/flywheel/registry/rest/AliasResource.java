package io.flywheel.registry.rest;

import io.flywheel.events.Names;
import io.flywheel.registry.InvalidRequestException;
import io.flywheel.registry.service.AliasService;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.List;

/**
 * Aliases of a model. Moving one with {@code If-Match: <its ETag>} is safe against a concurrent
 * mover: the one holding a stale ETag gets 412 and the alias stays where the other put it.
 */
@Path("/api/v1/models/{name}/aliases")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AliasResource {

    private final AliasService aliases;
    /** who calls: the subject of the internal token the call carries (internal-auth/) */
    private final SecurityIdentity caller;

    public AliasResource(AliasService aliases, SecurityIdentity caller) {
        this.caller = caller;
        this.aliases = aliases;
    }

    @GET
    public Uni<List<AliasView>> list(@PathParam("name") String model) {
        return aliases.list(model).map(all -> all.stream().map(AliasView::of).toList());
    }

    @GET
    @Path("{alias}")
    public Uni<RestResponse<AliasView>> get(@PathParam("name") String model, @PathParam("alias") String alias) {
        return aliases.get(model, alias).map(AliasResource::withEtag);
    }

    @PUT
    @Path("{alias}")
    public Uni<RestResponse<AliasView>> move(@PathParam("name") String model,
                                             @PathParam("alias")
                                             @Pattern(regexp = Names.PATTERN, message = "alias must match " + Names.PATTERN)
                                             String alias,
                                             @Valid @NotNull(message = "a JSON body is required: {\"version\": n}") AliasRequest request,
                                             @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        return aliases.move(model, alias, request.version(), ifMatch, caller.getPrincipal().getName(), request.reason())
                .map(AliasResource::withEtag);
    }

    /** Removes the alias; {@code reason} (query) goes into its history. */
    @DELETE
    @Path("{alias}")
    public Uni<RestResponse<Void>> delete(@PathParam("name") String model, @PathParam("alias") String alias,
                                          @QueryParam("reason") @Size(max = 1000, message = "reason is limited to 1000 characters") String reason,
                                          @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        return aliases.delete(model, alias, ifMatch, caller.getPrincipal().getName(), reason).map(ignored -> RestResponse.noContent());
    }

    /** Every move of the alias, newest first: from, to, when, who, why. */
    @GET
    @Path("{alias}/history")
    public Uni<Page<AliasMoveView>> history(@PathParam("name") String model, @PathParam("alias") String alias,
                                            @QueryParam("limit") @DefaultValue("50")
                                            @Min(value = 1, message = "limit must be between 1 and 500")
                                            @Max(value = 500, message = "limit must be between 1 and 500") int limit,
                                            @QueryParam("cursor") String cursor) {
        return aliases.history(model, alias, sequenceCursor(cursor), limit)
                .map(rows -> Page.of(rows, limit, move -> String.valueOf(move.seq), AliasMoveView::of));
    }

    private static RestResponse<AliasView> withEtag(AliasService.Resolved alias) {
        return RestResponse.ResponseBuilder.ok(AliasView.of(alias)).header(HttpHeaders.ETAG, alias.etag()).build();
    }

    private static Long sequenceCursor(String cursor) {
        String key = Page.decode(cursor);
        if (key == null) {
            return null;
        }
        try {
            return Long.parseLong(key);
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("cursor is not one this API returned; pass next_cursor from the previous page unchanged");
        }
    }
}
