package io.flywheel.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.logging.Log;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Every failure a service's REST layer meets that is not one of its own domain exceptions (those
 * each service maps in its own table), as a problem: web exceptions (404, 405, 406, 415...), bodies
 * Jackson can't read, Bean Validation, an unreachable dependency (503), and anything else (a logged
 * 500 with an incident id). Ahead of Quarkus's built-in mappers, so no error leaves in another shape.
 */
public class FrameworkProblems {

    private static final int AHEAD_OF_BUILT_INS = Priorities.USER - 100;
    private static final Pattern GENERIC_MESSAGE = Pattern.compile("HTTP \\d{3}( .*)?");

    @ServerExceptionMapper(priority = AHEAD_OF_BUILT_INS)
    public Response webApplication(WebApplicationException e, HttpServerRequest request) {
        var json = JsonProblems.of(e.getCause());
        if (json.isPresent()) {
            return json.get().at(request.path()).toResponse();
        }
        Response original = e.getResponse();
        int status = original == null ? 500 : original.getStatus();
        if (status >= 500) {
            return unexpected(e, request);
        }
        Response.ResponseBuilder response = Problem.ofStatus(status, detail(e, status, original, request))
                .at(request.path()).responseBuilder();
        original.getHeaders().forEach((name, values) -> {
            if (!"Content-Type".equalsIgnoreCase(name) && !"Content-Length".equalsIgnoreCase(name)) {
                values.forEach(value -> response.header(name, value));
            }
        });
        return response.build();
    }

    /** Thrown as they are by the JSON reader (others it wraps in a 400 web exception, above). */
    @ServerExceptionMapper(priority = AHEAD_OF_BUILT_INS)
    public Response mismatchedInput(MismatchedInputException e, HttpServerRequest request) {
        return JsonProblems.describe(e).at(request.path()).toResponse();
    }

    @ServerExceptionMapper(priority = AHEAD_OF_BUILT_INS)
    public Response invalidDefinition(InvalidDefinitionException e, HttpServerRequest request) {
        // the target type can't take this shape of JSON: the client can fix its body, and we want to hear of it
        Log.warnf("a body of %s %s could not be bound: %s", request.method(), request.path(), e.getOriginalMessage());
        return JsonProblems.describe(e).at(request.path()).toResponse();
    }

    @ServerExceptionMapper(priority = AHEAD_OF_BUILT_INS)
    public Response json(JsonProcessingException e, HttpServerRequest request) {
        return JsonProblems.describe(e).at(request.path()).toResponse();
    }

    /** Bean Validation of parameters and bodies: 400 with one entry per violation (field, where, message). */
    @ServerExceptionMapper(priority = AHEAD_OF_BUILT_INS)
    public Response constraintViolation(ConstraintViolationException e, SimpleResourceInfo resource, HttpServerRequest request) {
        List<Map<String, String>> violations = new ArrayList<>();
        for (ConstraintViolation<?> violation : e.getConstraintViolations()) {
            if (isReturnValue(violation.getPropertyPath())) {
                return unexpected(e, request); // our answer broke its own contract: a bug, not bad input
            }
            violations.add(describe(violation, resource));
        }
        violations.sort(java.util.Comparator.comparing((Map<String, String> v) -> v.get("field")));
        String detail = violations.size() == 1 ? violations.getFirst().get("message")
                : violations.size() + " values are invalid: " + String.join("; ", violations.stream().map(v -> v.get("message")).toList());
        return Problem.of(400, "invalid-request", detail).at(request.path()).with("violations", violations).toResponse();
    }

    /** Anything no other mapper claims: an unreachable dependency is a 503, the rest a logged 500. */
    @ServerExceptionMapper(priority = AHEAD_OF_BUILT_INS)
    public Response unexpected(Throwable e, HttpServerRequest request) {
        var unavailable = Unavailability.of(e);
        if (unavailable.isPresent()) {
            Log.warnf("%s for %s %s: %s", unavailable.get().type(), request.method(), request.path(), rootMessage(e));
            return unavailable.get().at(request.path()).toResponse();
        }
        var json = JsonProblems.of(e);
        if (json.isPresent()) {
            return json.get().at(request.path()).toResponse();
        }
        var unstorable = Unavailability.unstorableValue(e);
        if (unstorable.isPresent()) {
            return Problem.of(400, "invalid-request", "a value in the request can't be stored as it is: " + unstorable.get())
                    .at(request.path()).toResponse();
        }
        String incident = UUID.randomUUID().toString();
        Log.errorf(e, "unexpected failure %s on %s %s", incident, request.method(), request.path());
        return Problem.of(500, "internal", "something went wrong on our side (incident " + incident
                + "); it is logged, retrying may help").at(request.path()).toResponse();
    }

    private static String detail(WebApplicationException e, int status, Response original, HttpServerRequest request) {
        String message = e.getMessage();
        switch (status) {
            case 405 -> {
                String allow = original.getHeaderString("Allow");
                return request.method() + " is not allowed here" + (allow == null || allow.isBlank()
                        ? "; see the OpenAPI document (/openapi) for the methods this route takes"
                        : "; this route takes " + allow.replace(",", ", ").replaceAll(" +", " "));
            }
            case 406 -> {
                return "this route can't answer in '" + clip(request.getHeader("Accept"))
                        + "' (the Accept header); accept application/json or */*";
            }
            case 415 -> {
                return "this route does not take a body of Content-Type '" + clip(request.getHeader("Content-Type"))
                        + "'; see the OpenAPI document (/openapi) for the types it takes";
            }
            default -> {
            }
        }
        if (message == null || message.isBlank() || GENERIC_MESSAGE.matcher(message).matches()) {
            return Statuses.defaultDetail(status);
        }
        return message;
    }

    private static String clip(String header) {
        String value = header == null ? "" : header;
        return value.length() > 100 ? value.substring(0, 100) + "..." : value;
    }

    private static boolean isReturnValue(Path path) {
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.RETURN_VALUE) {
                return true;
            }
        }
        return false;
    }

    /** Names the field as the client knows it: a query/path/header parameter's own name, or the body's property path. */
    private static Map<String, String> describe(ConstraintViolation<?> violation, SimpleResourceInfo resource) {
        String in = "body";
        List<String> names = new ArrayList<>();
        for (Path.Node node : violation.getPropertyPath()) {
            switch (node.getKind()) {
                case METHOD, CONSTRUCTOR -> names.clear();
                case PARAMETER -> {
                    int index = node.as(Path.ParameterNode.class).getParameterIndex();
                    Annotation source = parameterSource(resource, index);
                    if (source != null) {
                        in = sourceName(source);
                        names.add(parameterName(source, node.getName()));
                    }
                }
                default -> {
                    if (node.getName() != null) {
                        names.add(node.getIndex() != null ? node.getName() + "[" + node.getIndex() + "]" : node.getName());
                    }
                }
            }
        }
        Map<String, String> described = new LinkedHashMap<>();
        described.put("field", names.isEmpty() ? "body" : String.join(".", names));
        described.put("in", in);
        described.put("message", violation.getMessage());
        return described;
    }

    private static Annotation parameterSource(SimpleResourceInfo resource, int index) {
        if (resource == null || resource.getResourceClass() == null) {
            return null;
        }
        for (Method method : resource.getResourceClass().getMethods()) {
            if (method.getName().equals(resource.getMethodName()) && method.getParameterCount() > index
                    && java.util.Arrays.equals(method.getParameterTypes(), resource.parameterTypes())) {
                for (Annotation annotation : method.getParameterAnnotations()[index]) {
                    if (annotation instanceof QueryParam || annotation instanceof PathParam || annotation instanceof HeaderParam
                            || annotation instanceof CookieParam || annotation instanceof FormParam || annotation instanceof BeanParam
                            || annotation.annotationType().getName().startsWith("org.jboss.resteasy.reactive.Rest")) {
                        return annotation;
                    }
                }
            }
        }
        return null;
    }

    private static String sourceName(Annotation source) {
        String simple = source.annotationType().getSimpleName().replace("Rest", "").replace("Param", "");
        return simple.toLowerCase(java.util.Locale.ROOT);
    }

    private static String parameterName(Annotation source, String fallback) {
        String name = switch (source) {
            case QueryParam q -> q.value();
            case PathParam p -> p.value();
            case HeaderParam h -> h.value();
            case CookieParam c -> c.value();
            case FormParam f -> f.value();
            default -> "";
        };
        return name == null || name.isEmpty() ? fallback : name;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
