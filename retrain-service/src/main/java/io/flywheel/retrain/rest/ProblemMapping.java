package io.flywheel.retrain.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.flywheel.retrain.InvalidRequestException;
import io.flywheel.retrain.JobFinishedException;
import io.flywheel.retrain.NotFoundException;
import io.flywheel.retrain.PreconditionFailedException;
import io.flywheel.retrain.RetrainException;
import io.flywheel.retrain.TriggerRefusedException;
import io.flywheel.retrain.storage.StorageUnavailableException;
import io.quarkiverse.resteasy.problem.HttpProblem;
import io.quarkus.logging.Log;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.net.URI;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The one table from retraining's exceptions to {@code application/problem+json} (RFC 9457), with a
 * stable {@code type}. Validation errors are mapped by quarkus-resteasy-problem; a body that is not
 * JSON is a 400 saying where it broke; anything unexpected is a 500 with an incident id that is
 * logged, never a stack trace.
 */
public class ProblemMapping {

    private record Kind(int status, String title, String type) {
    }

    private static final String RETRY_AFTER_SECONDS = "5";

    private static final Map<Class<? extends RetrainException>, Kind> KINDS = Map.of(
            NotFoundException.class, new Kind(404, "Not Found", "not-found"),
            InvalidRequestException.class, new Kind(400, "Bad Request", "invalid-request"),
            JobFinishedException.class, new Kind(409, "Job Finished", "job-finished"),
            PreconditionFailedException.class, new Kind(412, "Precondition Failed", "precondition-failed"),
            TriggerRefusedException.class, new Kind(409, "Trigger Refused", "trigger-refused"));

    @ServerExceptionMapper
    public Response retrain(RetrainException e, UriInfo uri) {
        Kind kind = KINDS.get(e.getClass());
        if (kind == null) {
            return unexpected(e, uri);
        }
        HttpProblem.Builder body = builder(kind.status(), kind.title(), kind.type(), e.getMessage(), uri);
        if (e instanceof TriggerRefusedException refused) {
            body.with("rule", refused.rule()).with("trigger_seq", refused.triggerSeq());
        }
        return Response.status(kind.status()).type(HttpProblem.MEDIA_TYPE).entity(body.build()).build();
    }

    @ServerExceptionMapper
    public Response storageUnavailable(StorageUnavailableException e, UriInfo uri) {
        Log.warnf("S3 unavailable for %s: %s", uri.getPath(), e.getMessage());
        return problem(503, "Service Unavailable", "storage-unavailable", "the object store is unavailable; retry later", uri)
                .header("Retry-After", RETRY_AFTER_SECONDS).build();
    }

    /**
     * Quarkus answers a body that is not JSON with a bare 400: say where it broke (line and column),
     * or which field does not fit. This outranks quarkus-resteasy-problem's own mapper (priority
     * 999), so other web exceptions are rendered here the same way it would, headers included.
     */
    @ServerExceptionMapper(priority = 500)
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException json) {
            if (json instanceof JsonMappingException mapping) {
                return problem(400, "Bad Request", "invalid-json", "the body does not fit: " + describe(mapping), uri).build();
            }
            String where = json.getLocation() == null ? ""
                    : " (line " + json.getLocation().getLineNr() + ", column " + json.getLocation().getColumnNr() + ")";
            return problem(400, "Bad Request", "malformed-json", "the body is not valid JSON: " + json.getOriginalMessage() + where, uri)
                    .build();
        }
        Response original = e.getResponse();
        Response.ResponseBuilder response = problem(original.getStatus(), original.getStatusInfo().getReasonPhrase(), null, e.getMessage(), uri);
        original.getHeaders().forEach((name, values) -> {
            if (!"Content-Type".equalsIgnoreCase(name)) {
                values.forEach(value -> response.header(name, value));
            }
        });
        return response.build();
    }

    /** JSON of the wrong shape (a string for a number, an unknown trigger kind): name the field, not a Java type. */
    @ServerExceptionMapper(priority = 500)
    public Response mismatchedJson(MismatchedInputException e, UriInfo uri) {
        return problem(400, "Bad Request", "invalid-json", "the body does not fit: " + describe(e), uri).build();
    }

    // the subtypes quarkus-resteasy-problem maps itself (with Java type names): keep them in our words
    @ServerExceptionMapper(priority = 500)
    public Response invalidFormat(InvalidFormatException e, UriInfo uri) {
        return mismatchedJson(e, uri);
    }

    @ServerExceptionMapper(priority = 500)
    public Response unrecognizedProperty(UnrecognizedPropertyException e, UriInfo uri) {
        return mismatchedJson(e, uri);
    }

    @ServerExceptionMapper(priority = 500)
    public Response valueInstantiation(ValueInstantiationException e, UriInfo uri) {
        return problem(400, "Bad Request", "invalid-json", "the body does not fit: " + describe(e), uri).build();
    }

    /** Everything no other mapper claims: a logged 500 with an incident id. */
    @ServerExceptionMapper(priority = 500)
    public Response unexpected(Throwable e, UriInfo uri) {
        if (e instanceof StorageUnavailableException storage) {
            return storageUnavailable(storage, uri);
        }
        String incident = UUID.randomUUID().toString();
        Log.errorf(e, "unexpected failure %s on %s", incident, uri.getPath());
        return problem(500, "Internal Server Error", "internal", "something went wrong on our side (incident " + incident
                + "); it is logged, retrying may help", uri).build();
    }

    static String describe(JsonMappingException e) {
        String field = e.getPath().stream()
                .map(reference -> reference.getFieldName() != null ? reference.getFieldName() : "[" + reference.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        String where = field.isEmpty() ? "the body" : "'" + field + "'";
        if (e instanceof UnrecognizedPropertyException unknown) {
            Collection<Object> known = unknown.getKnownPropertyIds();
            return "unknown field " + where + (known == null || known.isEmpty() ? ""
                    : "; known fields here: " + known.stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")));
        }
        if (e instanceof ValueInstantiationException || e.getCause() instanceof IllegalArgumentException) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return where + ": " + (cause.getMessage() == null ? "not a valid value" : cause.getMessage());
        }
        if (e instanceof InvalidFormatException format) {
            return where + " can't be " + quote(format.getValue()) + "; it must be " + jsonType(format.getTargetType());
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return where + " must be " + jsonType(mismatch.getTargetType());
        }
        return where + " is not what was expected";
    }

    private static String quote(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }

    private static String jsonType(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == java.time.Duration.class) {
            return "an ISO-8601 duration such as \"PT6H\" or \"P1D\"";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }

    private static HttpProblem.Builder builder(int status, String title, String type, String detail, UriInfo uri) {
        return HttpProblem.builder()
                .withType(type == null ? null : URI.create("urn:flywheel:problem:" + type))
                .withStatus(status)
                .withTitle(title)
                .withDetail(detail)
                .withInstance(URI.create(uri.getPath()));
    }

    private static Response.ResponseBuilder problem(int status, String title, String type, String detail, UriInfo uri) {
        return Response.status(status).type(HttpProblem.MEDIA_TYPE).entity(builder(status, title, type, detail, uri).build());
    }
}
