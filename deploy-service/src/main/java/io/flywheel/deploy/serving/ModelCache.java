package io.flywheel.deploy.serving;

import io.flywheel.deploy.CallerContext;
import io.flywheel.deploy.external.CircuitBreaker;
import io.flywheel.deploy.external.ExternalCallException;
import io.flywheel.deploy.external.ExternalModel;
import io.flywheel.deploy.external.ExternalServing;
import io.flywheel.deploy.external.MicrometerExternalMetrics;
import io.flywheel.deploy.registry.Registry;
import io.flywheel.deploy.registry.RegistryVersion;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loaded model versions. A finalised version never changes in the registry, so a version is loaded
 * once (metadata and artifact, over HTTP; the model is built on a worker thread, as an ONNX session
 * takes milliseconds to create) and kept while anything serves it; a failed load is not kept, so the
 * next attempt asks the registry again. A version nothing serves any more is closed (its ONNX session
 * freed, after the runs under way) and forgotten. A version of format external has no artifact: loading
 * it reads its endpoint's metadata ({@link ExternalServing#load}); its endpoint is probed for readiness
 * on a schedule ({@code deploy.external.ready-interval}).
 */
@ApplicationScoped
public class ModelCache {

    /** Why a version can't be served: its artifact or signature is unusable. */
    public static class NotServableException extends RuntimeException {
        public NotServableException(String message) {
            super(message, null, false, false);
        }
    }

    private final Registry registry;
    private final ExternalServing external;
    private final MeterRegistry meters;
    private final Map<String, CompletableFuture<ServedModel>> loaded = new ConcurrentHashMap<>();
    /** One per external version ever loaded here: its gauges keep their state object, so it is made once. */
    private final Map<String, MicrometerExternalMetrics> externalMetrics = new ConcurrentHashMap<>();

    public ModelCache(Registry registry, ExternalServing external, MeterRegistry meters) {
        this.registry = registry;
        this.external = external;
        this.meters = meters;
    }

    /**
     * The loaded version. Fails with {@link NotServableException} when the artifact can't be served,
     * and with deploy's registry exceptions (not found, unavailable) otherwise.
     */
    public Uni<ServedModel> get(String model, int version) {
        String key = key(model, version);
        CompletableFuture<ServedModel> existing = loaded.get(key);
        if (existing != null && usable(existing)) {
            return CallerContext.resume(Uni.createFrom().completionStage(existing));
        }
        CompletableFuture<ServedModel> loading = new CompletableFuture<>();
        CompletableFuture<ServedModel> winner = loaded.merge(key, loading, (old, mine) -> usable(old) ? old : mine);
        if (winner == loading) {
            registry.version(model, version)
                    .chain(metadata -> metadata.isExternal() ? external(metadata) : registry.artifact(model, version).chain(bytes -> {
                        // built on a worker, then back on this (event loop) context: callers without a
                        // context of their own (the Kafka consumers) go on to Hibernate Reactive from here
                        Context back = Vertx.currentContext();
                        Uni<ServedModel> built = Uni.createFrom().item(() -> {
                            try {
                                return ServedModel.load(metadata, bytes);
                            } catch (IllegalArgumentException e) {
                                throw new NotServableException(e.getMessage());
                            }
                        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
                        return back == null ? built : built.emitOn(task -> back.runOnContext(ignored -> task.run()));
                    }))
                    .subscribe().with(served -> {
                        Log.infof("loaded model %s version %d (%s, %d features)", model, version, served.format(),
                                served.signature().inputs().size());
                        loading.complete(served);
                    }, failure -> {
                        loaded.remove(key, loading);
                        loading.completeExceptionally(failure);
                    });
        }
        return CallerContext.resume(Uni.createFrom().completionStage(winner));
    }

    /** An external version: its endpoint checked (allow-list, secret) and its metadata fitted to the signature; no artifact. */
    private Uni<ServedModel> external(RegistryVersion metadata) {
        Context back = Vertx.currentContext();
        String model = metadata.model();
        int version = metadata.version();
        Uni<ServedModel> loading = Uni.createFrom().completionStage(() -> {
                    MicrometerExternalMetrics metrics = externalMetrics.computeIfAbsent(key(model, version),
                            k -> new MicrometerExternalMetrics(meters, model, version));
                    metrics.breaker(CircuitBreaker.State.CLOSED); // loaded again after a retirement: a new breaker, closed
                    List<ExternalModel.Feature> features;
                    try {
                        features = ServedModel.features(metadata);
                    } catch (IllegalArgumentException e) {
                        return CompletableFuture.failedFuture(e);
                    }
                    return external.load(metadata.endpoint(), features, metrics);
                })
                .map(endpoint -> {
                    endpoint.ready(); // the ready gauge has a value from the start, not after the first scheduled probe
                    return ServedModel.external(metadata, endpoint);
                })
                .onFailure().transform(ModelCache::notServable);
        return back == null ? loading : loading.emitOn(task -> back.runOnContext(ignored -> task.run()));
    }

    /** Why an external version can't be served, as the servable gate and the routing table report it. */
    private static Throwable notServable(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof ExternalCallException e) {
            return new NotServableException("its endpoint's metadata can't be read: " + e.getMessage());
        }
        if (cause instanceof IllegalArgumentException e) { // ExternalModel.NotServableException, a bad signature
            return new NotServableException(e.getMessage());
        }
        return cause;
    }

    /** Probes every loaded external version's {@code <url>/ready}; the answers set {@code deploy.external.ready}. */
    @Scheduled(every = "${deploy.external.ready-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void probeExternal() {
        for (CompletableFuture<ServedModel> future : loaded.values()) {
            if (future.isDone() && !future.isCompletedExceptionally()
                    && future.join().scorer() instanceof ExternalScorer scorer && !scorer.isClosed()) {
                scorer.model().ready(); // never fails; does not wait
            }
        }
    }

    /** Neither failed nor retired (a retired one left traffic; if it is needed again, it is loaded anew). */
    private static boolean usable(CompletableFuture<ServedModel> future) {
        return !future.isCompletedExceptionally() && !(future.isDone() && future.join().isRetired());
    }

    /**
     * Closes and forgets the versions outside {@code keep}. Closing waits for the runs under way, so it
     * happens on a thread of its own, never the caller's.
     */
    public void retainOnly(Set<String> keep) {
        List<ServedModel> retired = new ArrayList<>();
        loaded.entrySet().removeIf(entry -> {
            if (keep.contains(entry.getKey())) {
                return false;
            }
            CompletableFuture<ServedModel> future = entry.getValue();
            if (future.isDone() && !future.isCompletedExceptionally()) {
                ServedModel model = future.join();
                model.retire();
                retired.add(model);
                return true;
            }
            // a failed load is dropped; one still loading is kept (a gate or an install waits for it): the next pass decides
            return future.isCompletedExceptionally();
        });
        if (!retired.isEmpty()) {
            Thread.ofVirtual().name("model-closer").start(() -> {
                for (ServedModel model : retired) {
                    try {
                        model.close();
                        // only an ONNX session frees anything worth a line in the log
                        Log.logf(model.scorer() instanceof OnnxScorer ? Logger.Level.INFO : Logger.Level.DEBUG,
                                "closed model %s version %d (%s): it serves nothing any more", model.model(), model.version(),
                                model.format());
                    } catch (RuntimeException e) {
                        Log.warnf("closing model %s version %d failed: %s", model.model(), model.version(), e.getMessage());
                    }
                }
            });
        }
    }

    public static String key(String model, int version) {
        return model + '\u0000' + version;
    }
}
