package io.flywheel.deploy.rest;

import io.flywheel.deploy.DeployException;
import io.flywheel.deploy.InvalidInferenceInputException;
import io.flywheel.deploy.config.DeployConfig;
import io.flywheel.deploy.external.ExternalCallException;
import io.flywheel.deploy.rollout.Live;
import io.flywheel.deploy.serving.Inference;
import io.flywheel.deploy.serving.InferRequest;
import io.flywheel.deploy.serving.InferResponse;
import io.flywheel.deploy.serving.Route;
import io.flywheel.deploy.serving.ServedModel;
import io.flywheel.deploy.serving.ServedVersion;
import io.flywheel.deploy.serving.ServingTable;
import io.flywheel.deploy.serving.TensorSpec;
import io.smallrye.common.annotation.NonBlocking;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.core.CurrentRequestManager;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;

/**
 * The serving runtime, Open Inference Protocol v2 (REST). A request is served by the environment in
 * X-Flywheel-Environment (production by default) and routed by the configured routing header, else
 * its id; the answer's X-Flywheel-Version (and model_version) says which version answered. Runs on
 * the I/O thread: for flywheel-linear and ONNX the whole path is in memory and the answer is returned
 * at once. An external version's answer comes later: the request is suspended and resumed with it
 * ({@link #later}), so the synchronous formats keep their path without a Uni or any allocation more.
 */
@Path("/v2")
@Produces(MediaType.APPLICATION_JSON)
public class InferenceResource {

    static final String ENVIRONMENT = "X-Flywheel-Environment";
    static final String VERSION = "X-Flywheel-Version";
    static final String ROLE = "X-Flywheel-Role";
    static final String REQUEST_ID = "X-Request-Id";

    /** Server metadata. */
    public record ServerMetadata(String name, String version, List<String> extensions) {
    }

    /**
     * Model metadata: the live versions and the inputs and outputs of the one routing by default (the
     * primary): the signature's features for flywheel-linear, the graph's tensors for ONNX (which also
     * takes the features, listed in {@code parameters.features}).
     */
    public record ModelMetadata(String name, List<String> versions, String platform, List<Tensor> inputs, List<Tensor> outputs,
                                Map<String, Object> parameters) {
    }

    public record Tensor(String name, String datatype, List<Long> shape) {
    }

    public record Readiness(String name, boolean ready, String reason) {
    }

    private final Inference inference;
    private final ServingTable table;
    private final String defaultEnvironment;
    private final String routingHeader;

    public InferenceResource(Inference inference, ServingTable table, DeployConfig config) {
        this.inference = inference;
        this.table = table;
        this.defaultEnvironment = config.serving().defaultEnvironment();
        this.routingHeader = config.serving().routingHeader();
    }

    @GET
    @NonBlocking
    public ServerMetadata server() {
        return new ServerMetadata("flywheel-deploy", "1", List.of());
    }

    @GET
    @Path("health/live")
    @NonBlocking
    public Map<String, Boolean> live() {
        return Map.of("live", true);
    }

    @GET
    @Path("health/ready")
    @NonBlocking
    public Map<String, Boolean> ready() {
        return Map.of("ready", true);
    }

    @GET
    @Path("models/{name}")
    @NonBlocking
    public ModelMetadata model(@PathParam("name") String name, @HeaderParam(ENVIRONMENT) String environment) {
        String env = environment(environment);
        Route route = inference.live(name, env);
        ServedVersion primary = route.primary() != null ? route.primary() : route.canary();
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("environment", env);
        parameters.put("live", route.versions().stream().map(v -> new Live(v.version(),
                v == route.canary() ? route.canaryPercent() : v == route.shadow() ? 0 : 100 - (route.canary() == null ? 0 : route.canaryPercent()),
                v.role())).toList());
        return metadata(name, route.versions().stream().map(ServedVersion::versionText).toList(), primary.model(), parameters);
    }

    @GET
    @Path("models/{name}/versions/{version}")
    @NonBlocking
    public ModelMetadata version(@PathParam("name") String name, @PathParam("version") int version,
                                 @HeaderParam(ENVIRONMENT) String environment) {
        String env = environment(environment);
        Route route = inference.live(name, env);
        ServedVersion served = route.versions().stream().filter(v -> v.version() == version).findFirst()
                .orElseThrow(() -> new io.flywheel.deploy.NotFoundException("version " + version + " of model '" + name
                        + "' is not live in '" + env + "'"));
        return metadata(name, List.of(served.versionText()), served.model(), Map.of("environment", env, "role", served.role()));
    }

    /** 200 when every live version is loaded; 503 while one is loading or failed to; 404 when nothing is live. */
    @GET
    @Path("models/{name}/ready")
    @NonBlocking
    public RestResponse<Readiness> modelReady(@PathParam("name") String name, @HeaderParam(ENVIRONMENT) String environment) {
        String env = environment(environment);
        String problem = table.problem(name, env);
        if (problem == null) {
            inference.live(name, env);
            return RestResponse.ok(new Readiness(name, true, null));
        }
        return RestResponse.ResponseBuilder.create(RestResponse.Status.SERVICE_UNAVAILABLE, new Readiness(name, false, problem))
                .header("Retry-After", "1").build();
    }

    @POST
    @Path("models/{name}/infer")
    @Consumes(MediaType.APPLICATION_JSON)
    @NonBlocking
    public RestResponse<InferResponse> infer(@PathParam("name") String name,
                                             @NotNull(message = "a JSON body is required: {\"inputs\": [...]}") InferRequest request,
                                             HttpHeaders headers) {
        return answer(name, null, request, headers);
    }

    /** The same, answered by one live version (primary or canary) whatever the routing key. */
    @POST
    @Path("models/{name}/versions/{version}/infer")
    @Consumes(MediaType.APPLICATION_JSON)
    @NonBlocking
    public RestResponse<InferResponse> inferWith(@PathParam("name") String name, @PathParam("version") int version,
                                                 @NotNull(message = "a JSON body is required: {\"inputs\": [...]}") InferRequest request,
                                                 HttpHeaders headers) {
        return answer(name, version, request, headers);
    }

    private RestResponse<InferResponse> answer(String name, Integer version, InferRequest request, HttpHeaders headers) {
        String env = environment(headers.getHeaderString(ENVIRONMENT));
        String requestId = requestId(request.id(), headers.getHeaderString(REQUEST_ID));
        String routingKey = headers.getHeaderString(routingHeader);
        Inference.Answer answer = inference.infer(name, env, requestId,
                routingKey == null || routingKey.isEmpty() ? requestId : routingKey, request, version);
        if (answer.later() != null) {
            later(answer, env);
            return null; // the suspended request is answered by later()
        }
        return response(answer, env);
    }

    /**
     * Suspends the request and resumes it with the external version's answer or failure (mapped by
     * {@link ProblemMapping}), what RESTEasy Reactive does for a returned Uni. Declaring a Uni would put
     * a Uni and its subscription on every synchronous answer too; this costs only the external path.
     * The outcome is always delivered through the request's event loop as a new task, so it can't race
     * the handler chain that is still returning from this method.
     */
    private static void later(Inference.Answer answer, String env) {
        ResteasyReactiveRequestContext context = CurrentRequestManager.get();
        Context loop = Vertx.currentContext();
        String path = context.getPath();
        context.suspend();
        answer.later().whenComplete((done, failure) -> {
            Runnable finish = () -> {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                if (cause == null) {
                    context.setResult(response(done, env));
                    context.resume();
                } else if (cause instanceof ExternalCallException e) {
                    context.setResult(ProblemMapping.problem(e, path));
                    context.resume();
                } else if (cause instanceof DeployException e) {
                    context.setResult(ProblemMapping.problem(e, path));
                    context.resume();
                } else {
                    context.resume(cause, true); // a bug: the framework's mapper logs it as a 500 with an incident id
                }
            };
            if (loop != null) {
                loop.runOnContext(ignored -> finish.run());
            } else {
                finish.run(); // resume() itself hands the rest of the request to its event loop
            }
        });
    }

    private static RestResponse<InferResponse> response(Inference.Answer answer, String env) {
        return RestResponse.ResponseBuilder.ok(answer.body())
                .header(VERSION, answer.servedBy().versionText())
                .header(ROLE, answer.servedBy().role())
                .header(ENVIRONMENT, env)
                .build();
    }

    private String environment(String header) {
        return header == null || header.isBlank() ? defaultEnvironment : header;
    }

    private static String requestId(String id, String header) {
        String chosen = id != null && !id.isEmpty() ? id : header;
        if (chosen == null || chosen.isEmpty()) {
            return UUID.randomUUID().toString();
        }
        if (chosen.length() > 128) {
            throw new InvalidInferenceInputException("id", "id is limited to 128 characters (it becomes the prediction's request_id)");
        }
        return chosen;
    }

    private static ModelMetadata metadata(String name, List<String> versions, ServedModel model, Map<String, Object> parameters) {
        Map<String, Object> all = new LinkedHashMap<>(parameters);
        all.put("format", model.format());
        all.put("features", model.signature().inputs());
        return new ModelMetadata(name, versions, model.scorer().platform(), tensors(model.scorer().inputs()),
                tensors(model.scorer().outputs()), all);
    }

    private static List<Tensor> tensors(List<TensorSpec> specs) {
        return specs.stream().map(t -> new Tensor(t.name(), t.datatype(), t.shape())).toList();
    }
}
