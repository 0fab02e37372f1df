package io.flywheel.gateway.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.flywheel.llm.ingest.langfuse.IngestionBatch;
import io.flywheel.llm.ingest.langfuse.IngestionResult;
import io.quarkus.logging.Log;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Langfuse's health and batch ingestion routes, for its SDKs (scores from every current SDK, all
 * tracing from the v3 JS SDK). Answers in Langfuse's shapes: 207 {@code {successes, errors}} for a
 * well-formed envelope, {@code {"message", "error"}} otherwise.
 */
@Path("/api/public")
@Tag(name = "Langfuse-compatible ingestion")
public class LangfuseResource {

    /** Map keys are written as they are (the application's mapper would rename them to snake_case). */
    static final ObjectMapper JSON = JsonMapper.builder().build();

    private final TracePublisher publisher;
    private final SecurityIdentity caller;
    private final String version;
    private final OtlpExport otlp;
    private final LlmProjects projects;

    public LangfuseResource(TracePublisher publisher, SecurityIdentity caller, OtlpExport otlp, LlmProjects projects,
                            @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown") String version) {
        this.publisher = publisher;
        this.projects = projects;
        this.otlp = otlp;
        this.caller = caller;
        this.version = version;
    }

    /** No credentials needed: 200 {@code {"status":"OK"}} while Kafka answers, 503 otherwise. */
    @GET
    @Path("health")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Langfuse's health check: OK while traces can be taken (Kafka answers)")
    public Response health() {
        Map<String, Object> body = new LinkedHashMap<>();
        if (publisher.brokerUp()) {
            body.put("status", "OK");
            body.put("version", version);
            return json(200, body);
        }
        body.put("status", "Kafka can't be reached: traces can't be taken now");
        body.put("version", version);
        return Response.status(503).type(MediaType.APPLICATION_JSON).header("Retry-After", LangfuseAnswers.RETRY_AFTER_SECONDS)
                .entity(write(body)).build();
    }

    /**
     * A batch of Langfuse events ({@code {"batch": [...], "metadata"?}}): 207 with one entry per event
     * in {@code successes} or {@code errors}, after Kafka acknowledged every record the valid events
     * became; 400 if the envelope is not one; 503 (Retry-After) if Kafka can't take them, and then
     * nothing of the batch counts as taken (a retry publishes it again, which the upserts absorb).
     */
    @POST
    @Path("ingestion")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Langfuse batch ingestion (traces, observations, scores) for the calling project's key pair")
    public Uni<Response> ingestion(byte[] body) {
        String project = LlmKeyIdentityProvider.projectOf(caller);
        if (project == null) {
            return Uni.createFrom().item(LangfuseAnswers.response(401, "Invalid credentials: send the project's key pair as HTTP Basic", null));
        }
        if (!publisher.brokerUp()) {
            return Uni.createFrom().item(brokerDown());
        }
        Instant receivedAt = Instant.now();
        return Uni.createFrom().item(() -> IngestionBatch.read(project, body == null ? new byte[0] : body, receivedAt))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onItem().transformToUni(result -> publisher.publish(result.mapped())
                        .map(published -> {
                            Log.debugf("project %s: ingestion batch of %d events, %d failed, %d records published", project,
                                    result.successes().size() + result.errors().size(), result.errors().size(), published);
                            return multiStatus(result);
                        })
                        .onFailure().recoverWithItem(failure -> {
                            Log.warnf("project %s: an ingestion batch could not be published: %s", project, failure.getMessage());
                            return brokerDown();
                        }))
                .onFailure(IllegalArgumentException.class)
                .recoverWithItem(e -> LangfuseAnswers.response(400, "Invalid request data", e.getMessage()));
    }

    /**
     * The calling key pair's project, as Langfuse lists it: its SDKs read {@code data[0].id} (experiment
     * runs, trace URLs). Flywheel has no organisations, so every project is in one named Flywheel.
     */
    @GET
    @Path("projects")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Langfuse's project list: the calling key pair's project")
    public Uni<Response> projects() {
        String project = LlmKeyIdentityProvider.projectOf(caller);
        if (project == null) {
            return Uni.createFrom().item(LangfuseAnswers.response(401, "Invalid credentials: send the project's key pair as HTTP Basic", null));
        }
        return projects.get(project).map(listed -> {
            Map<String, Object> organization = new LinkedHashMap<>();
            organization.put("id", "flywheel");
            organization.put("name", "Flywheel");
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", listed.project().id);
            entry.put("name", listed.project().name);
            entry.put("organization", organization);
            entry.put("metadata", Map.of());
            return json(200, Map.of("data", List.of(entry)));
        }).onFailure(LlmProjects.ProjectNotFoundException.class)
                .recoverWithItem(e -> LangfuseAnswers.response(404, "Project not found", "LangfuseNotFoundError"));
    }

    /** Langfuse's OTLP route, the same as {@code /v1/traces} ({@link OtlpResource}). */
    @POST
    @Path("otel/v1/traces")
    @Consumes(MediaType.WILDCARD)
    @Produces({MediaType.APPLICATION_JSON, OtlpResource.PROTOBUF})
    @Operation(summary = "Langfuse's OTLP/HTTP trace route (JSON or protobuf, gzip) for the calling project's key pair")
    public Uni<Response> otelTraces(@HeaderParam("Content-Type") String contentType, @HeaderParam("Content-Encoding") String encoding,
                                    byte[] body) {
        return otlp.export(contentType, encoding, body);
    }

    static Response multiStatus(IngestionResult result) {
        List<Map<String, Object>> successes = new ArrayList<>();
        for (var success : result.successes()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", success.id());
            entry.put("status", success.status());
            successes.add(entry);
        }
        List<Map<String, Object>> errors = new ArrayList<>();
        for (var failure : result.errors()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", failure.id());
            entry.put("status", failure.status());
            entry.put("message", failure.message());
            if (failure.error() != null) {
                entry.put("error", failure.error());
            }
            errors.add(entry);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("successes", successes);
        body.put("errors", errors);
        return json(207, body);
    }

    static Response brokerDown() {
        return LangfuseAnswers.response(503, "Kafka can't be reached: nothing of this request was taken; retry later", "ServiceUnavailable");
    }

    static Response json(int status, Object body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(write(body)).build();
    }

    static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an answer failed to serialise", e);
        }
    }

    /** Anything unforeseen in this resource, in Langfuse's shape (the house mapper would answer a problem). */
    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        return LangfuseRoutesErrors.unexpected(e);
    }
}
