package io.flywheel.gateway.ingest;

import io.quarkiverse.resteasy.problem.HttpProblem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.net.URI;

/** Ingest refusals as {@code application/problem+json}; framework errors are mapped by quarkus-resteasy-problem. */
public class ProblemMapping {

    @ServerExceptionMapper
    public Response invalidBatch(BatchParser.InvalidBatchException e, UriInfo uri) {
        return Response.status(400).type(HttpProblem.MEDIA_TYPE).entity(HttpProblem.builder()
                .withType(URI.create("urn:flywheel:problem:invalid-batch"))
                .withStatus(400)
                .withTitle("Bad Request")
                .withDetail(e.getMessage())
                .withInstance(URI.create(uri.getPath()))
                .with("errors", e.errors)
                .build()).build();
    }

    @ServerExceptionMapper
    public Response tooLarge(BatchParser.TooLargeException e, UriInfo uri) {
        return Response.status(413).type(HttpProblem.MEDIA_TYPE).entity(HttpProblem.builder()
                .withType(URI.create("urn:flywheel:problem:batch-too-large"))
                .withStatus(413)
                .withTitle("Content Too Large")
                .withDetail(e.getMessage())
                .withInstance(URI.create(uri.getPath()))
                .build()).build();
    }

    /** The broker did not acknowledge in time: nothing is promised, a retry with the same Idempotency-Key is safe. */
    @ServerExceptionMapper
    public Response brokerUnavailable(org.apache.kafka.common.KafkaException e, UriInfo uri) {
        return Response.status(503).type(HttpProblem.MEDIA_TYPE).header("Retry-After", "5").entity(HttpProblem.builder()
                .withType(URI.create("urn:flywheel:problem:broker-unavailable"))
                .withStatus(503)
                .withTitle("Service Unavailable")
                .withDetail("Kafka did not acknowledge the batch; retry it with the same Idempotency-Key")
                .withInstance(URI.create(uri.getPath()))
                .build()).build();
    }
}
