package io.flywheel.deploy.serving;

import io.flywheel.deploy.InvalidInferenceInputException;
import io.flywheel.deploy.NotFoundException;
import io.flywheel.deploy.NotReadyException;
import io.flywheel.deploy.NotServingException;
import io.flywheel.deploy.predictionlog.LoggedPrediction;
import io.flywheel.deploy.predictionlog.PredictionLog;
import io.flywheel.deploy.rollout.Live;
import io.flywheel.linear.InvalidInputException;
import io.flywheel.linear.Prediction;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The serving runtime's request path: pick the version for the routing key (primary or canary),
 * check the inputs against its signature, score, count, log, and let a shadow score a copy. All in
 * memory and synchronous (microseconds): it runs on the I/O thread and never waits for anything.
 */
@ApplicationScoped
public class Inference {

    /** The answer and the version that gave it. */
    public record Answer(InferResponse body, ServedVersion servedBy) {
    }

    private final ServingTable table;
    private final PredictionLog log;
    private final ServingMetrics metrics;

    public Inference(ServingTable table, PredictionLog log, ServingMetrics metrics) {
        this.table = table;
        this.log = log;
        this.metrics = metrics;
    }

    /**
     * @param pinned a version to answer with (it must be live as primary or canary), or null to route by key
     */
    public Answer infer(String model, String environment, String requestId, String routingKey, InferRequest request,
                        Integer pinned) {
        Route route = live(model, environment);
        ServedVersion target = pinned == null ? route.pick(routingKey) : route.answering(pinned);
        if (target == null) {
            metrics.notLive();
            throw new NotFoundException("version " + pinned + " of model '" + model + "' does not answer in '" + environment
                    + "'; the versions that do: " + route.versions().stream().filter(v -> !Live.SHADOW.equals(v.role()))
                    .map(ServedVersion::versionText).toList());
        }
        long start = System.nanoTime();
        long now = System.currentTimeMillis();
        target.meters().started();
        List<Map<String, Object>> rows;
        double[] scores;
        Object[] outputs;
        try {
            rows = InferenceInputs.rows(target.model(), request.inputs());
            scores = new double[rows.size()];
            outputs = new Object[rows.size()];
            for (int i = 0; i < scores.length; i++) {
                Prediction p = target.model().linear().predict(rows.get(i));
                scores[i] = p.score();
                outputs[i] = logged(p);
            }
        } catch (InvalidInferenceInputException e) {
            target.meters().refused();
            throw e;
        } catch (InvalidInputException e) {
            target.meters().refused();
            throw new InvalidInferenceInputException(e.feature() == null ? "inputs" : e.feature(), e.getMessage());
        } catch (RuntimeException e) {
            target.meters().failed();
            throw e;
        }
        long nanos = System.nanoTime() - start;
        target.meters().finished(nanos);
        target.samples().add(scores.length);
        double latencyMs = nanos / 1_000_000.0;
        for (int i = 0; i < scores.length; i++) {
            log.log(new LoggedPrediction(rowId(requestId, i, scores.length), model, target.version(), environment, rows.get(i),
                    outputs[i], latencyMs, now));
        }
        if (route.shadow() != null) {
            shadow(route.shadow(), rows, requestId, now);
        }
        List<Double> data = new ArrayList<>(scores.length);
        for (double s : scores) {
            data.add(s);
        }
        InferResponse body = new InferResponse(model, target.versionText(), requestId,
                Map.of("environment", environment, "role", target.role()),
                List.of(new InferResponse.Output(target.model().outputName(), List.of(scores.length), "FP64", data)));
        return new Answer(body, target);
    }

    /** The route, or why there is none: nothing live (404) or still loading (503). */
    public Route live(String model, String environment) {
        Route route = table.route(model, environment);
        if (route != null) {
            return route;
        }
        String problem = table.problem(model, environment);
        if (table.hasDeployment(model, environment) && problem != null) {
            metrics.notReady();
            throw new NotReadyException("model '" + model + "' is live in '" + environment + "' but not ready: " + problem);
        }
        metrics.notLive();
        throw new NotServingException(model, environment);
    }

    /** The shadow scores a copy; its answers are logged and discarded, its failures counted and never seen by the caller. */
    private void shadow(ServedVersion shadow, List<Map<String, Object>> rows, String requestId, long now) {
        long start = System.nanoTime();
        shadow.meters().started();
        Object[] outputs = new Object[rows.size()];
        try {
            for (int i = 0; i < outputs.length; i++) {
                outputs[i] = logged(shadow.model().linear().predict(rows.get(i)));
            }
        } catch (InvalidInputException e) {
            shadow.meters().refused();
            return;
        } catch (RuntimeException e) {
            shadow.meters().failed();
            return;
        }
        long nanos = System.nanoTime() - start;
        shadow.meters().finished(nanos);
        shadow.samples().add(outputs.length);
        for (int i = 0; i < outputs.length; i++) {
            log.log(new LoggedPrediction(rowId(requestId, i, outputs.length), shadow.model().model(), shadow.version(),
                    shadow.environment(), rows.get(i), outputs[i], nanos / 1_000_000.0, now));
        }
    }

    /** What the log records as the output: the probability and label of a classification, the value of a regression. */
    private static Object logged(Prediction p) {
        return switch (p) {
            case Prediction.Classification c -> {
                Map<String, Object> out = new LinkedHashMap<>(4);
                out.put("probability", c.probability());
                out.put("label", c.label());
                yield out;
            }
            case Prediction.Regression r -> r.value();
        };
    }

    /** One request id per prediction: the request's own, suffixed with the row for batches. */
    private static String rowId(String requestId, int row, int rows) {
        return rows == 1 ? requestId : requestId + "/" + row;
    }
}
