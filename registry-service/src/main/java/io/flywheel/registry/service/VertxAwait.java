package io.flywheel.registry.service;

import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

import java.util.function.Supplier;

/**
 * For the streaming use cases, which run on a worker thread (they read the request body and talk
 * to S3, both blocking): their database steps still use Hibernate Reactive, which must run on a
 * Vert.x context, so they are subscribed there and the worker waits for the result.
 */
final class VertxAwait {

    private VertxAwait() {
    }

    static <T> T await(Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(work);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
