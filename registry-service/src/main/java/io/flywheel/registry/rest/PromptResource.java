package io.flywheel.registry.rest;

import io.flywheel.registry.InvalidRequestException;
import io.flywheel.registry.prompt.PromptTemplate;
import io.flywheel.registry.repository.PromptRepository;
import io.flywheel.registry.service.PromptService;
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
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.RestResponse;

import java.net.URI;
import java.util.List;

/**
 * Prompts for LLM applications, Flywheel's API. A name may hold '/' (folders), sent as literal
 * slashes. {@code project} (query) names the project, {@code default} when not given; a Langfuse key
 * pair's caller is held to its own. A fetch by label or version answers with an ETag and honours
 * {@code If-None-Match} (304).
 */
@Path("/api/v1/prompts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PromptResource {

    private final PromptService prompts;
    private final SecurityIdentity caller;

    public PromptResource(PromptService prompts, SecurityIdentity caller) {
        this.prompts = prompts;
        this.caller = caller;
    }

    /** A new version of the prompt (the prompt itself with its first version); 201 with the version. */
    @POST
    public Uni<RestResponse<PromptView>> create(@QueryParam("project") String project,
                                                @Valid @NotNull(message = "a JSON body is required") PromptRequest request,
                                                UriInfo uri) {
        String scoped = PromptCallers.scope(caller, project);
        return prompts.create(scoped, new PromptService.Draft(request.name(), request.type(), request.prompt(), request.config(),
                        request.labels(), request.tags(), request.commitMessage(), request.experimentId()), PromptCallers.actor(caller))
                .map(fetched -> RestResponse.ResponseBuilder.<PromptView>created(location(uri, fetched))
                        .entity(PromptView.of(fetched)).header(HttpHeaders.ETAG, fetched.etag()).build());
    }

    /** Prompts of the project in name order; {@code prefix} (e.g. a folder {@code team-a/}), {@code label}, {@code tag} narrow it. */
    @GET
    public Uni<Page<PromptSummaryView>> list(@QueryParam("project") String project, @QueryParam("prefix") String prefix,
                                             @QueryParam("label") String label, @QueryParam("tag") String tag,
                                             @QueryParam("limit") @DefaultValue("50")
                                             @Min(value = 1, message = "limit must be between 1 and 500")
                                             @Max(value = 500, message = "limit must be between 1 and 500") int limit,
                                             @QueryParam("cursor") String cursor) {
        var filter = new PromptRepository.Filter(PromptCallers.scope(caller, project), null, prefix, label, tag, null, null);
        return prompts.list(filter, Page.decode(cursor), 0, limit + 1)
                .map(rows -> Page.of(rows, limit, s -> s.prompt().name, PromptSummaryView::of));
    }

    /** Every version, newest first, with its labels. */
    @GET
    @Path("{name: .+}/versions")
    public Uni<Page<PromptView>> versions(@PathParam("name") String name, @QueryParam("project") String project,
                                          @QueryParam("limit") @DefaultValue("50")
                                          @Min(value = 1, message = "limit must be between 1 and 500")
                                          @Max(value = 500, message = "limit must be between 1 and 500") int limit,
                                          @QueryParam("cursor") String cursor) {
        return prompts.versions(PromptCallers.scope(caller, project), name, versionCursor(cursor), limit)
                .map(rows -> Page.of(rows, limit, f -> String.valueOf(f.version().version), PromptView::of));
    }

    /** One version: by {@code label} ({@code latest}: the newest) or {@code version}; neither means label production. */
    @GET
    @Path("{name: .+}")
    public Uni<RestResponse<PromptView>> get(@PathParam("name") String name, @QueryParam("project") String project,
                                             @QueryParam("label") String label,
                                             @QueryParam("version") @Min(value = 1, message = "version counts from 1") Integer version,
                                             @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        return prompts.get(PromptCallers.scope(caller, project), name, label, version).map(fetched -> {
            if (matches(ifNoneMatch, fetched.etag())) {
                return RestResponse.ResponseBuilder.<PromptView>notModified().header(HttpHeaders.ETAG, fetched.etag()).build();
            }
            return RestResponse.ResponseBuilder.ok(PromptView.of(fetched)).header(HttpHeaders.ETAG, fetched.etag()).build();
        });
    }

    /** Puts the label on the version (taking it from the version that had it). Protected labels: admins only. */
    @PUT
    @Path("{name: .+}/labels/{label}")
    public Uni<RestResponse<PromptView>> moveLabel(@PathParam("name") String name, @PathParam("label") String label,
                                                   @QueryParam("project") String project,
                                                   @Valid @NotNull(message = "a JSON body is required: {\"version\": n}") LabelRequest request) {
        return prompts.addLabels(PromptCallers.scope(caller, project), name, request.version(), List.of(label), PromptCallers.actor(caller))
                .map(fetched -> RestResponse.ResponseBuilder.ok(PromptView.of(fetched)).header(HttpHeaders.ETAG, fetched.etag()).build());
    }

    @DELETE
    @Path("{name: .+}/labels/{label}")
    public Uni<RestResponse<Void>> removeLabel(@PathParam("name") String name, @PathParam("label") String label,
                                               @QueryParam("project") String project) {
        return prompts.removeLabel(PromptCallers.scope(caller, project), name, label, PromptCallers.actor(caller))
                .map(ignored -> RestResponse.noContent());
    }

    /** The prompt filled in on the server: {{variables}} replaced, placeholders given messages; what is missing stays and is listed. */
    @POST
    @Path("{name: .+}/compile")
    public Uni<CompiledView> compile(@PathParam("name") String name, @QueryParam("project") String project,
                                     @QueryParam("label") String label,
                                     @QueryParam("version") @Min(value = 1, message = "version counts from 1") Integer version,
                                     CompileRequest request) {
        CompileRequest body = request == null ? new CompileRequest(null, null) : request;
        return prompts.get(PromptCallers.scope(caller, project), name, label, version).map(fetched -> {
            var compiled = PromptTemplate.compile(fetched.version().content(), body.variables(), body.placeholders());
            return new CompiledView(fetched.prompt().project, fetched.prompt().name, fetched.version().version, fetched.prompt().type,
                    compiled.prompt(), compiled.missingVariables(), compiled.missingPlaceholders());
        });
    }

    private static URI location(UriInfo uri, PromptService.Fetched fetched) {
        return uri.getBaseUriBuilder().path("api/v1/prompts").path(fetched.prompt().name)
                .queryParam("project", fetched.prompt().project).queryParam("version", fetched.version().version).build();
    }

    /** If-None-Match (RFC 9110): "*" or a list of ETags, weak ones compared weakly. */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals("*") || tag.equals(etag)) {
                return true;
            }
        }
        return false;
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
