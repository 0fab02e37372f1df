package io.flywheel.registry.rest;

import io.flywheel.registry.storage.StorageUnavailableException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;

/** Tells "a dependency is down, retry later" apart from bugs, by looking down a failure's causes. */
final class Unavailable {

    private Unavailable() {
    }

    static boolean isDatabaseDown(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof NoRouteToHostException
                    || cause instanceof ClosedConnectionException || cause instanceof ClosedChannelException
                    || cause instanceof TimeoutException || cause instanceof SocketException) {
                return true;
            }
            if (cause instanceof DatabaseException db && db.getSqlState() != null) {
                String state = db.getSqlState();
                // 08: connection exception; 57P01-03: shutdown, crash, cannot connect now; 53300: too many connections
                if (state.startsWith("08") || state.startsWith("57P0") || state.equals("53300")) {
                    return true;
                }
            }
            String message = String.valueOf(cause.getMessage());
            if (cause.getClass().getName().startsWith("io.vertx.") && (message.contains("Connection refused")
                    || message.contains("Connection reset") || message.contains("Timeout"))) {
                return true;
            }
        }
        return false;
    }

    static boolean isStorageDown(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof StorageUnavailableException) {
                return true;
            }
        }
        return false;
    }

    static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
