package io.flywheel.deploy.serving;

import io.flywheel.deploy.InvalidInferenceInputException;
import io.flywheel.deploy.NotFoundException;
import io.flywheel.deploy.NotReadyException;
import io.flywheel.deploy.NotServingException;
import io.flywheel.deploy.predictionlog.LoggedPrediction;
import io.flywheel.deploy.predictionlog.PredictionLog;
import io.flywheel.deploy.rollout.Live;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The serving runtime's request path: pick the version for the routing key (primary or canary),
 * let its {@link Scorer} check the inputs and score, count, log, and let a shadow score a copy. For
 * flywheel-linear and ONNX all in memory and synchronous (microseconds): it runs on the I/O thread and
 * never waits for anything. An external version (an {@link ExternalScorer}) forks here: its inputs are
 * checked at once, its answer arrives later ({@link Answer#later}), and is counted and logged then, with
 * its round-trip latency; an external shadow is fired and forgotten.
 */
@ApplicationScoped
public class Inference {

    /**
     * The answer and the version that gave it; or, for an external version, the version and {@code later}
     * (the answer when the endpoint gives it; failing with {@link InvalidInferenceInputException} or the
     * {@link io.flywheel.deploy.external.ExternalCallException} that says why there is none).
     */
    public record Answer(InferResponse body, ServedVersion servedBy, CompletableFuture<Answer> later) {

        public Answer(InferResponse body, ServedVersion servedBy) {
            this(body, servedBy, null);
        }
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
        try {
            return infer(live(model, environment), model, environment, requestId, routingKey, request, pinned);
        } catch (ScorerClosedException e) {
            // the version left traffic between routing and scoring: the routing table already has its
            // successor, so route once more
            try {
                return infer(live(model, environment), model, environment, requestId, routingKey, request, pinned);
            } catch (ScorerClosedException again) {
                metrics.notReady();
                throw new NotReadyException("model '" + model + "' is switching versions in '" + environment + "'; retry");
            }
        }
    }

    private Answer infer(Route route, String model, String environment, String requestId, String routingKey, InferRequest request,
                         Integer pinned) {
        ServedVersion target = pinned == null ? route.pick(routingKey) : route.answering(pinned);
        if (target == null) {
            metrics.notLive();
            throw new NotFoundException("version " + pinned + " of model '" + model + "' does not answer in '" + environment
                    + "'; the versions that do: " + route.versions().stream().filter(v -> !Live.SHADOW.equals(v.role()))
                    .map(ServedVersion::versionText).toList());
        }
        if (target.model().scorer() instanceof ExternalScorer external) {
            return inferExternal(route, target, external, model, environment, requestId, request);
        }
        long start = System.nanoTime();
        long now = System.currentTimeMillis();
        target.meters().started();
        Scores scores;
        List<InferResponse.Output> outputs;
        try {
            scores = target.model().scorer().score(request.inputs());
            outputs = selected(scores.outputs(), request.outputs());
        } catch (InvalidInferenceInputException e) {
            target.meters().refused();
            throw e;
        } catch (ScorerClosedException e) {
            target.meters().abandoned();
            throw e;
        } catch (RuntimeException e) {
            target.meters().failed();
            throw e;
        }
        long nanos = System.nanoTime() - start;
        target.meters().finished(nanos);
        int rows = scores.rows();
        target.samples().add(rows);
        double latencyMs = nanos / 1_000_000.0;
        for (int i = 0; i < rows; i++) {
            log.log(new LoggedPrediction(rowId(requestId, i, rows), model, target.version(), environment, scores.loggedInputs().get(i),
                    scores.loggedOutputs().get(i), latencyMs, now));
        }
        if (route.shadow() != null) {
            shadow(route.shadow(), request, requestId, now);
        }
        InferResponse body = new InferResponse(model, target.versionText(), requestId,
                Map.of("environment", environment, "role", target.role()), outputs);
        return new Answer(body, target);
    }

    /**
     * The fork for an external version: inputs checked now (a 400 or a re-route throws here, as for the
     * other formats), the answer counted, logged and returned when it arrives. The shadow scores a copy
     * once the answer is in, as it does after a synchronous answer.
     */
    private Answer inferExternal(Route route, ServedVersion target, ExternalScorer scorer, String model, String environment,
                                 String requestId, InferRequest request) {
        long start = System.nanoTime();
        long now = System.currentTimeMillis();
        target.meters().started();
        CompletableFuture<Scores> scoring;
        try {
            scoring = scorer.scoreAsync(request.inputs(), requestId);
        } catch (InvalidInferenceInputException e) {
            target.meters().refused();
            throw e;
        } catch (ScorerClosedException e) {
            target.meters().abandoned();
            throw e;
        } catch (RuntimeException e) {
            target.meters().failed();
            throw e;
        }
        CompletableFuture<Answer> later = scoring.handle((scores, failure) -> {
            if (failure != null) {
                Throwable cause = unwrap(failure);
                if (cause instanceof InvalidInferenceInputException) {
                    target.meters().refused();
                } else if (cause instanceof io.flywheel.deploy.external.ExternalCallException) {
                    target.meters().upstreamFailed();
                } else {
                    target.meters().failed();
                }
                throw cause instanceof RuntimeException r ? r : new CompletionException(cause);
            }
            List<InferResponse.Output> outputs;
            try {
                outputs = selected(scores.outputs(), request.outputs());
            } catch (InvalidInferenceInputException e) {
                target.meters().refused();
                throw e;
            }
            long nanos = System.nanoTime() - start;
            target.meters().finished(nanos);
            int rows = scores.rows();
            target.samples().add(rows);
            double latencyMs = nanos / 1_000_000.0;
            for (int i = 0; i < rows; i++) {
                log.log(new LoggedPrediction(rowId(requestId, i, rows), model, target.version(), environment, scores.loggedInputs().get(i),
                        scores.loggedOutputs().get(i), latencyMs, now));
            }
            if (route.shadow() != null) {
                shadow(route.shadow(), request, requestId, now);
            }
            return new Answer(new InferResponse(model, target.versionText(), requestId,
                    Map.of("environment", environment, "role", target.role()), outputs), target);
        });
        return new Answer(null, target, later);
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /** The outputs the request asks for (v2 {@code outputs}), in its order; all of them when it names none. */
    private static List<InferResponse.Output> selected(List<InferResponse.Output> all, List<InferRequest.RequestedOutput> requested) {
        if (requested == null || requested.isEmpty()) {
            return all;
        }
        List<InferResponse.Output> chosen = new ArrayList<>(requested.size());
        for (InferRequest.RequestedOutput wanted : requested) {
            String name = wanted == null ? null : wanted.name();
            InferResponse.Output found = null;
            for (InferResponse.Output output : all) {
                if (output.name().equals(name)) {
                    found = output;
                    break;
                }
            }
            if (found == null) {
                throw new InvalidInferenceInputException("outputs", "output '" + name + "' is not one the model gives; it gives "
                        + String.join(", ", all.stream().map(InferResponse.Output::name).toList()));
            }
            chosen.add(found);
        }
        return chosen;
    }

    /** The route, or why there is none: nothing live (404) or still loading (503). */
    public Route live(String model, String environment) {
        Route route = table.route(model, environment);
        if (route != null) {
            return route;
        }
        if (!table.loaded()) {
            // a (re)started replica has not read the routing table yet: "nothing live" would be a lie
            metrics.notReady();
            throw new NotReadyException("the serving runtime is still reading its routing table; retry shortly");
        }
        String problem = table.problem(model, environment);
        if (table.hasDeployment(model, environment) && problem != null) {
            metrics.notReady();
            throw new NotReadyException("model '" + model + "' is live in '" + environment + "' but not ready: " + problem);
        }
        metrics.notLive();
        throw new NotServingException(model, environment);
    }

    /**
     * The shadow scores a copy of the request (its own format reads it: a tabular request suits every
     * format); its answers are logged and discarded, its failures counted and never seen by the caller.
     */
    private void shadow(ServedVersion shadow, InferRequest request, String requestId, long now) {
        if (shadow.model().scorer() instanceof ExternalScorer external) {
            shadowExternal(shadow, external, request, requestId, now);
            return;
        }
        long start = System.nanoTime();
        shadow.meters().started();
        Scores scores;
        try {
            scores = shadow.model().scorer().score(request.inputs());
        } catch (InvalidInferenceInputException e) {
            shadow.meters().refused();
            return;
        } catch (ScorerClosedException e) {
            shadow.meters().abandoned();
            return;
        } catch (RuntimeException e) {
            shadow.meters().failed();
            return;
        }
        long nanos = System.nanoTime() - start;
        shadow.meters().finished(nanos);
        int rows = scores.rows();
        shadow.samples().add(rows);
        for (int i = 0; i < rows; i++) {
            log.log(new LoggedPrediction(rowId(requestId, i, rows), shadow.model().model(), shadow.version(),
                    shadow.environment(), scores.loggedInputs().get(i), scores.loggedOutputs().get(i), nanos / 1_000_000.0, now));
        }
    }

    /** An external shadow: fired and forgotten; logged when it answers, counted when it does not. */
    private void shadowExternal(ServedVersion shadow, ExternalScorer scorer, InferRequest request, String requestId, long now) {
        long start = System.nanoTime();
        shadow.meters().started();
        CompletableFuture<Scores> scoring;
        try {
            scoring = scorer.scoreAsync(request.inputs(), requestId);
        } catch (InvalidInferenceInputException e) {
            shadow.meters().refused();
            return;
        } catch (ScorerClosedException e) {
            shadow.meters().abandoned();
            return;
        } catch (RuntimeException e) {
            shadow.meters().failed();
            return;
        }
        scoring.whenComplete((scores, failure) -> {
            if (failure != null) {
                Throwable cause = unwrap(failure);
                if (cause instanceof InvalidInferenceInputException) {
                    shadow.meters().refused();
                } else if (cause instanceof io.flywheel.deploy.external.ExternalCallException) {
                    shadow.meters().upstreamFailed();
                } else {
                    shadow.meters().failed();
                }
                return;
            }
            long nanos = System.nanoTime() - start;
            shadow.meters().finished(nanos);
            int rows = scores.rows();
            shadow.samples().add(rows);
            for (int i = 0; i < rows; i++) {
                log.log(new LoggedPrediction(rowId(requestId, i, rows), shadow.model().model(), shadow.version(),
                        shadow.environment(), scores.loggedInputs().get(i), scores.loggedOutputs().get(i), nanos / 1_000_000.0, now));
            }
        });
    }

    /** One request id per prediction: the request's own, suffixed with the row for batches. */
    private static String rowId(String requestId, int row, int rows) {
        return rows == 1 ? requestId : requestId + "/" + row;
    }
}
