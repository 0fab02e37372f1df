package io.flywheel.deploy.serving;

import io.flywheel.deploy.CallerContext;
import io.flywheel.deploy.registry.Registry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loaded model versions. A finalised version never changes in the registry, so a version is loaded
 * once (metadata and artifact, over HTTP) and kept while anything serves it; a failed load is not
 * kept, so the next attempt asks the registry again.
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
    private final Map<String, CompletableFuture<ServedModel>> loaded = new ConcurrentHashMap<>();

    public ModelCache(Registry registry) {
        this.registry = registry;
    }

    /**
     * The loaded version. Fails with {@link NotServableException} when the artifact can't be served,
     * and with deploy's registry exceptions (not found, unavailable) otherwise.
     */
    public Uni<ServedModel> get(String model, int version) {
        String key = key(model, version);
        CompletableFuture<ServedModel> existing = loaded.get(key);
        if (existing != null && !existing.isCompletedExceptionally()) {
            return CallerContext.resume(Uni.createFrom().completionStage(existing));
        }
        CompletableFuture<ServedModel> loading = new CompletableFuture<>();
        CompletableFuture<ServedModel> winner = loaded.merge(key, loading,
                (old, mine) -> old.isCompletedExceptionally() ? mine : old);
        if (winner == loading) {
            registry.version(model, version)
                    .chain(metadata -> registry.artifact(model, version).map(bytes -> {
                        try {
                            return ServedModel.load(metadata, bytes);
                        } catch (IllegalArgumentException e) {
                            throw new NotServableException(e.getMessage());
                        }
                    }))
                    .subscribe().with(served -> {
                        Log.infof("loaded model %s version %d (%d inputs)", model, version, served.inputs().size());
                        loading.complete(served);
                    }, failure -> {
                        loaded.remove(key, loading);
                        loading.completeExceptionally(failure);
                    });
        }
        return CallerContext.resume(Uni.createFrom().completionStage(winner));
    }

    /** Forgets the versions nothing serves any more. */
    public void retainOnly(Set<String> liveKeys) {
        loaded.keySet().removeIf(key -> !liveKeys.contains(key));
    }

    public static String key(String model, int version) {
        return model + '\u0000' + version;
    }
}
