package io.flywheel.monitor.rest;

import io.flywheel.monitor.BadRequestException;
import io.flywheel.monitor.window.SampleComparison;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;
import java.util.Map;

/** Stateless drift: two samples per feature in, every requested (or the default) test and a decision out. */
@Path("/api/v1/drift")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DriftResource {

    /**
     * @param reference  feature → reference values (numbers, or strings/booleans)
     * @param current    feature → current values
     * @param tests      feature → test names (optional; default: Evidently's choice)
     * @param thresholds feature → test → threshold (optional)
     */
    public record CompareRequest(Map<String, List<Object>> reference, Map<String, List<Object>> current,
                                 Map<String, List<String>> tests, Map<String, Map<String, Double>> thresholds,
                                 Double datasetDriftShare) {
    }

    @POST
    @Path("compare")
    @Blocking // sorting up to millions of values: off the event loop
    public SampleComparison.Result compare(CompareRequest request) {
        if (request == null) {
            throw new BadRequestException("the body is empty: send {\"reference\": {...}, \"current\": {...}}");
        }
        try {
            return SampleComparison.compare(request.reference(), request.current(), request.tests(), request.thresholds(),
                    request.datasetDriftShare());
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
    }
}
