package io.flywheel.registry.rest;

import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.flywheel.registry.AlreadyExistsException;
import io.flywheel.registry.BusyException;
import io.flywheel.registry.DigestMismatchException;
import io.flywheel.registry.InvalidRequestException;
import io.flywheel.registry.MalformedDatasetException;
import io.flywheel.registry.ModelArchivedException;
import io.flywheel.registry.NotFoundException;
import io.flywheel.registry.PayloadTooLargeException;
import io.flywheel.registry.PreconditionFailedException;
import io.flywheel.registry.RangeNotSatisfiableException;
import io.flywheel.registry.RegistryException;
import io.flywheel.registry.UnknownLineageException;
import io.flywheel.registry.UploadInterruptedException;
import io.flywheel.registry.VersionFinalisedException;
import io.flywheel.registry.VersionNotReadyException;
import io.flywheel.registry.storage.StorageUnavailableException;
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
 * The one table from domain exceptions to {@code application/problem+json} (RFC 9457). Framework
 * errors (validation, malformed JSON, unknown routes) are mapped by quarkus-resteasy-problem or
 * rendered here the same way. Infrastructure that is down is a 503 with Retry-After; anything
 * unexpected is a 500 whose detail carries an id to find the logged cause, never a stack trace.
 */
public class ProblemMapping {

    private record Kind(int status, String title, String type) {
    }

    private static final String RETRY_AFTER_SECONDS = "5";

    private static final Map<Class<? extends RegistryException>, Kind> KINDS = Map.ofEntries(
            Map.entry(NotFoundException.class, new Kind(404, "Not Found", "not-found")),
            Map.entry(AlreadyExistsException.class, new Kind(409, "Already Exists", "already-exists")),
            Map.entry(InvalidRequestException.class, new Kind(400, "Bad Request", "invalid-request")),
            Map.entry(MalformedDatasetException.class, new Kind(400, "Malformed Dataset", "malformed-dataset")),
            Map.entry(UploadInterruptedException.class, new Kind(400, "Upload Interrupted", "upload-interrupted")),
            Map.entry(VersionFinalisedException.class, new Kind(409, "Version Finalised", "version-finalised")),
            Map.entry(ModelArchivedException.class, new Kind(409, "Model Archived", "model-archived")),
            Map.entry(VersionNotReadyException.class, new Kind(409, "Version Not Ready", "version-not-ready")),
            Map.entry(PreconditionFailedException.class, new Kind(412, "Precondition Failed", "precondition-failed")),
            Map.entry(PayloadTooLargeException.class, new Kind(413, "Content Too Large", "too-large")),
            Map.entry(RangeNotSatisfiableException.class, new Kind(416, "Range Not Satisfiable", "range-not-satisfiable")),
            Map.entry(DigestMismatchException.class, new Kind(422, "Digest Mismatch", "digest-mismatch")),
            Map.entry(UnknownLineageException.class, new Kind(422, "Unknown Lineage", "unknown-lineage")),
            Map.entry(BusyException.class, new Kind(503, "Service Unavailable", "busy")));

    @ServerExceptionMapper
    public Response registry(RegistryException e, UriInfo uri) {
        Kind kind = KINDS.get(e.getClass());
        if (kind == null) {
            return unexpected(e, uri);
        }
        Response.ResponseBuilder response = problem(kind.status(), kind.title(), kind.type(), e.getMessage(), uri);
        if (e instanceof RangeNotSatisfiableException range) {
            response.header("Content-Range", "bytes */" + range.size());
        }
        if (kind.status() == 503) {
            response.header("Retry-After", RETRY_AFTER_SECONDS);
        }
        return response.build();
    }

    @ServerExceptionMapper
    public Response storageUnavailable(StorageUnavailableException e, UriInfo uri) {
        Log.warnf("S3 unavailable for %s: %s", uri.getPath(), e.getMessage());
        return unavailable("storage-unavailable", "the artifact store is unavailable; retry later", uri);
    }

    /**
     * Quarkus answers a body that is not JSON with a bare 400: say where it broke. This outranks
     * quarkus-resteasy-problem's own mapper (priority 999), so other web exceptions (404, 405, 415,
     * bad cursors...) are rendered here the same way it would, headers included.
     */
    @ServerExceptionMapper(priority = 500)
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof StreamReadException json) {
            String where = json.getLocation() == null ? ""
                    : " (line " + json.getLocation().getLineNr() + ", column " + json.getLocation().getColumnNr() + ")";
            return problem(400, "Bad Request", "malformed-json", "the body is not valid JSON: " + json.getOriginalMessage() + where, uri)
                    .build();
        }
        if (e.getCause() instanceof JsonMappingException mapping) {
            return problem(400, "Bad Request", "invalid-json", "the body does not fit: " + describe(mapping), uri).build();
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

    /** JSON of the wrong shape (a string for a number, an unknown field): name the field, not a Java type. */
    @ServerExceptionMapper(priority = 500)
    public Response mismatchedJson(MismatchedInputException e, UriInfo uri) {
        return problem(400, "Bad Request", "invalid-json", "the body does not fit: " + describe(e), uri).build();
    }

    // the two subtypes quarkus-resteasy-problem maps itself (with Java type names): keep them in our words
    @ServerExceptionMapper(priority = 500)
    public Response invalidFormat(InvalidFormatException e, UriInfo uri) {
        return mismatchedJson(e, uri);
    }

    @ServerExceptionMapper(priority = 500)
    public Response unrecognizedProperty(UnrecognizedPropertyException e, UriInfo uri) {
        return mismatchedJson(e, uri);
    }

    /**
     * Everything no other mapper claims. A database that can't be reached is a 503 with
     * Retry-After (the pool reconnects on its own once it is back); the rest is a logged 500.
     */
    @ServerExceptionMapper(priority = 500)
    public Response unexpected(Exception e, UriInfo uri) {
        if (Unavailable.isDatabaseDown(e)) {
            Log.warnf("database unavailable for %s: %s", uri.getPath(), Unavailable.rootMessage(e));
            return unavailable("database-unavailable", "the registry's database is unavailable; retry later", uri);
        }
        if (Unavailable.isStorageDown(e)) {
            return unavailable("storage-unavailable", "the artifact store is unavailable; retry later", uri);
        }
        String incident = UUID.randomUUID().toString();
        Log.errorf(e, "unexpected failure %s on %s", incident, uri.getPath());
        return problem(500, "Internal Server Error", "internal", "something went wrong on our side (incident " + incident
                + "); it is logged, retrying may help", uri).build();
    }

    private static Response unavailable(String type, String detail, UriInfo uri) {
        return problem(503, "Service Unavailable", type, detail, uri).header("Retry-After", RETRY_AFTER_SECONDS).build();
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
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }

    static Response.ResponseBuilder problem(int status, String title, String type, String detail, UriInfo uri) {
        HttpProblem body = HttpProblem.builder()
                .withType(type == null ? null : URI.create("urn:flywheel:problem:" + type))
                .withStatus(status)
                .withTitle(title)
                .withDetail(detail)
                .withInstance(URI.create(uri.getPath()))
                .build();
        return Response.status(status).type(HttpProblem.MEDIA_TYPE).entity(body);
    }
}
