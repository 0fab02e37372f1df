package io.flywheel.registry.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.registry.ForbiddenException;
import io.flywheel.registry.InvalidRequestException;
import io.flywheel.registry.NotFoundException;
import io.flywheel.registry.repository.PromptRepository;
import io.flywheel.registry.service.PromptService;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.function.Supplier;

/**
 * Langfuse's prompt API ({@code /api/public/v2/prompts}) for a Langfuse key pair's caller (internal
 * token subject {@code llm-project:<project>}), in its own project: create (201), get by label or
 * version (default label production), list (pages from 1, limit 10 by default, at most 100), add labels
 * to a version (PATCH), delete. A name with folders arrives as {@code team-a%2Fsummarizer}, decoded here.
 * Errors are Langfuse's {@code {"message", "error"}}, which its SDKs read.
 */
@Path("/api/public/v2/prompts")
@Produces(MediaType.APPLICATION_JSON)
public class LangfusePromptResource {

    private final PromptService prompts;
    private final SecurityIdentity caller;
    private final ObjectMapper json;

    public LangfusePromptResource(PromptService prompts, SecurityIdentity caller, ObjectMapper json) {
        this.prompts = prompts;
        this.caller = caller;
        this.json = json;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<LangfusePromptViews.Prompt>> create(
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = LangfusePromptViews.Create.class))) String text) {
        String project = PromptCallers.langfuseProject(caller);
        LangfusePromptViews.Create body = parse(text, LangfusePromptViews.Create.class,
                "a body {name, prompt, type?, config?, labels?, tags?, commitMessage?} is required");
        return langfuse(() -> prompts.create(project, new PromptService.Draft(body.name(), body.type(), body.prompt(), body.config(),
                        body.labels(), body.tags(), body.commitMessage(), null), PromptCallers.actor(caller)))
                .map(f -> RestResponse.status(Response.Status.CREATED, LangfusePromptViews.Prompt.of(f)));
    }

    @GET
    @Path("{name: .+}")
    public Uni<LangfusePromptViews.Prompt> get(@PathParam("name") String name, @QueryParam("label") String label,
                                               @QueryParam("version") String version) {
        String project = PromptCallers.langfuseProject(caller);
        if (label != null && version != null) {
            throw LangfuseException.invalid("Cannot specify both version and label");
        }
        Integer number = version == null ? null : number("version", version);
        return langfuse(() -> prompts.get(project, name, label, number)).map(LangfusePromptViews.Prompt::of);
    }

    @GET
    public Uni<LangfusePromptViews.Paged> list(@QueryParam("name") String name, @QueryParam("label") String label,
                                               @QueryParam("tag") String tag, @QueryParam("page") String page,
                                               @QueryParam("limit") String limit, @QueryParam("fromUpdatedAt") String from,
                                               @QueryParam("toUpdatedAt") String to) {
        String project = PromptCallers.langfuseProject(caller);
        int p = page == null ? 1 : number("page", page);
        int l = limit == null ? 10 : number("limit", limit);
        if (l > 100) {
            throw LangfuseException.invalid("limit is at most 100");
        }
        if (p > 1_000_000) {
            throw LangfuseException.invalid("page is at most 1000000");
        }
        var filter = new PromptRepository.Filter(project, name, null, label, tag, instant("fromUpdatedAt", from), instant("toUpdatedAt", to));
        return langfuse(() -> prompts.list(filter, null, (p - 1) * l, l))
                .chain(rows -> prompts.count(filter).map(total -> {
                    var meta = LangfusePromptViews.PageMeta.of(p, l, total);
                    return new LangfusePromptViews.Paged(rows.stream().map(LangfusePromptViews.Meta::of).toList(), meta, meta);
                }));
    }

    @PATCH
    @Path("{name: .+}/versions/{version}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<LangfusePromptViews.Prompt> updateLabels(@PathParam("name") String name, @PathParam("version") String version,
                                                        @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
                                                                schema = @Schema(implementation = LangfusePromptViews.UpdateLabels.class)))
                                                        String text) {
        String project = PromptCallers.langfuseProject(caller);
        int number = number("version", version);
        LangfusePromptViews.UpdateLabels body = parse(text, LangfusePromptViews.UpdateLabels.class, "a body {\"newLabels\": [...]} is required");
        if (body.newLabels() == null) {
            throw LangfuseException.invalid("a body {\"newLabels\": [...]} is required");
        }
        return langfuse(() -> prompts.addLabels(project, name, number, body.newLabels(), PromptCallers.actor(caller)))
                .map(LangfusePromptViews.Prompt::of);
    }

    @DELETE
    @Path("{name: .+}")
    public Uni<RestResponse<Void>> delete(@PathParam("name") String name, @QueryParam("label") String label,
                                          @QueryParam("version") String version) {
        String project = PromptCallers.langfuseProject(caller);
        Integer number = version == null ? null : number("version", version);
        return langfuse(() -> prompts.delete(project, name, label, number, PromptCallers.actor(caller)))
                .map(ignored -> RestResponse.noContent());
    }

    @ServerExceptionMapper
    public Response langfuse(LangfuseException e) {
        return Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new LangfusePromptViews.Error(e.getMessage(), e.error())).build();
    }

    /** The registry's refusals in Langfuse's words and shape. */
    private static <T> Uni<T> langfuse(Supplier<Uni<T>> call) {
        Uni<T> uni;
        try {
            uni = call.get();
        } catch (RuntimeException e) {
            uni = Uni.createFrom().failure(e);
        }
        return uni.onFailure().transform(LangfusePromptResource::translate);
    }

    private static Throwable translate(Throwable e) {
        if (e instanceof NotFoundException) {
            return LangfuseException.notFound(e.getMessage());
        }
        if (e instanceof ForbiddenException) {
            return LangfuseException.forbidden(e.getMessage());
        }
        if (e instanceof InvalidRequestException) {
            return LangfuseException.invalid(e.getMessage());
        }
        return e;
    }

    /** The body, read here so that a malformed one is answered in Langfuse's shape too (the SDKs read {@code message}). */
    private <T> T parse(String text, Class<T> type, String required) {
        if (text == null || text.isBlank()) {
            throw LangfuseException.invalid(required);
        }
        try {
            T body = json.readValue(text, type);
            if (body == null) {
                throw LangfuseException.invalid(required);
            }
            return body;
        } catch (JsonProcessingException e) {
            throw LangfuseException.invalid("Invalid request data: " + e.getOriginalMessage());
        }
    }

    private static int number(String name, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw LangfuseException.invalid(name + " must be a positive integer, not '" + value + "'");
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw LangfuseException.invalid(name + " must be an ISO 8601 date-time, e.g. 2026-12-01T00:00:00Z");
        }
    }
}
