package io.flywheel.deploy;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Brings the outcome of an HTTP call (or of a load shared by several callers) back to the caller's
 * Vert.x context. Hibernate Reactive insists that a session is used on the thread that opened it;
 * the REST client may complete on another thread, so anything that touches the database after a
 * registry call resumes here first.
 */
public final class CallerContext {

    private CallerContext() {
    }

    public static <T> Uni<T> resume(Uni<T> uni) {
        Context context = Vertx.currentContext();
        if (context == null) {
            return uni;
        }
        return uni.emitOn(task -> {
            if (Vertx.currentContext() == context) {
                task.run();
            } else {
                context.runOnContext(ignored -> task.run());
            }
        });
    }
}
