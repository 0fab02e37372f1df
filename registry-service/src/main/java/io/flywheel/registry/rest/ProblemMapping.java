package io.flywheel.registry.rest;

import io.flywheel.problem.ExceptionTable;
import io.flywheel.problem.Problem;
import io.flywheel.registry.AlreadyExistsException;
import io.flywheel.registry.BusyException;
import io.flywheel.registry.DigestMismatchException;
import io.flywheel.registry.ForbiddenException;
import io.flywheel.registry.InvalidRequestException;
import io.flywheel.registry.MalformedDatasetException;
import io.flywheel.registry.ModelArchivedException;
import io.flywheel.registry.ModelRejectedException;
import io.flywheel.registry.NotFoundException;
import io.flywheel.registry.PayloadTooLargeException;
import io.flywheel.registry.PreconditionFailedException;
import io.flywheel.registry.RangeNotSatisfiableException;
import io.flywheel.registry.RegistryException;
import io.flywheel.registry.UnknownLineageException;
import io.flywheel.registry.UploadInterruptedException;
import io.flywheel.registry.VersionFinalisedException;
import io.flywheel.registry.VersionNotReadyException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Map;

/**
 * The one table from the registry's own exceptions to {@code application/problem+json} (RFC 9457).
 * Everything else (bodies that aren't JSON, validation, unknown routes, S3 or the database down,
 * bugs) is mapped by the shared problem module, in the same shape.
 */
public class ProblemMapping {

    private record Kind(int status, String title, String type) {
    }

    private static final Map<Class<? extends RegistryException>, Kind> KINDS = Map.ofEntries(
            Map.entry(NotFoundException.class, new Kind(404, "Not Found", "not-found")),
            Map.entry(ForbiddenException.class, new Kind(403, "Forbidden", "forbidden")),
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
            Map.entry(ModelRejectedException.class, new Kind(422, "Invalid Model", "invalid-model")),
            Map.entry(BusyException.class, new Kind(503, "Service Unavailable", "busy")));

    @ServerExceptionMapper
    public Response registry(RegistryException e, HttpServerRequest request) {
        Kind kind = ExceptionTable.lookup(KINDS, e.getClass()).orElse(new Kind(400, "Bad Request", "invalid-request"));
        Response.ResponseBuilder response = Problem.of(kind.status(), kind.type(), e.getMessage()).titled(kind.title())
                .at(request.path()).responseBuilder();
        if (e instanceof RangeNotSatisfiableException range) {
            response.header("Content-Range", "bytes */" + range.size());
        }
        return response.build();
    }
}
