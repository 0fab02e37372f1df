package io.flywheel.problem;

import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * Tells "a dependency is down, retry later" (a 503) apart from a bug (a 500) by looking down a
 * failure's causes: the database, Kafka, or a {@link DependencyUnavailableException}.
 */
public final class Unavailability {

    private Unavailability() {
    }

    /** The problem for a failure caused by an unavailable dependency, if that is what it is. */
    public static Optional<Problem> of(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = next(cause)) {
            if (cause instanceof DependencyUnavailableException dependency) {
                return Optional.of(unavailable(dependency.dependency(), dependency.getMessage()));
            }
        }
        if (isDatabaseDown(failure)) {
            return Optional.of(unavailable("database", "the service's database can't be reached; retry later"));
        }
        if (isBrokerDown(failure)) {
            return Optional.of(unavailable("broker", "Kafka did not acknowledge in time; retry later (with the same Idempotency-Key, if any)"));
        }
        return Optional.empty();
    }

    private static Problem unavailable(String dependency, String detail) {
        return Problem.of(503, dependency + "-unavailable",
                detail == null ? "the service's " + dependency + " can't be reached; retry later" : detail);
    }

    /** Whether the failure may pass by itself: something depended on is down, not the request or a bug. */
    public static boolean isTransient(Throwable failure) {
        return of(failure).isPresent();
    }

    public static boolean isDatabaseDown(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = next(cause)) {
            String type = cause.getClass().getName();
            if (type.startsWith("org.apache.kafka.")) {
                return false; // Kafka's own network failures are the broker's, below
            }
            if (cause instanceof ConnectException || cause instanceof NoRouteToHostException
                    || cause instanceof ClosedChannelException || cause instanceof SocketException
                    || cause instanceof ClosedConnectionException
                    || type.equals("io.vertx.core.http.ConnectionPoolTooBusyException")
                    || type.equals("io.vertx.core.VertxException") && String.valueOf(cause.getMessage()).contains("Connection")) {
                return true;
            }
            if (cause instanceof TimeoutException && type.startsWith("java.")) {
                return true;
            }
            String sqlState = cause instanceof DatabaseException db ? db.getSqlState()
                    : cause instanceof java.sql.SQLException sql ? sql.getSQLState() : null;
            // 08: connection exception; 57P: shutting down, crashed, starting up; 53: out of connections, memory or disk
            if (sqlState != null && (sqlState.startsWith("08") || sqlState.startsWith("57P") || sqlState.startsWith("53"))) {
                return true;
            }
            String message = String.valueOf(cause.getMessage());
            if (type.startsWith("io.vertx.") && (message.contains("Connection refused") || message.contains("Connection reset")
                    || message.contains("Timeout") || message.contains("closed"))) {
                return true;
            }
        }
        return false;
    }

    /** Kafka did not take or give what was asked in time: the broker is down or moving (its retriable errors). */
    public static boolean isBrokerDown(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = next(cause)) {
            for (Class<?> type = cause.getClass(); type != null; type = type.getSuperclass()) {
                String name = type.getName();
                if (name.equals("org.apache.kafka.common.errors.RetriableException")
                        || name.equals("org.apache.kafka.common.errors.TimeoutException")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * PostgreSQL's "data exception" (SQLSTATE class 22: a NUL in text, a number out of range, text
     * that is not a valid value of its column) comes from what a client sent, not from a bug: its
     * message, for a 400.
     */
    public static Optional<String> unstorableValue(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = next(cause)) {
            // the reactive client's own exception, or the SQLException Hibernate Reactive made of it
            String sqlState = cause instanceof DatabaseException db ? db.getSqlState()
                    : cause instanceof java.sql.SQLException sql ? sql.getSQLState() : null;
            if (sqlState != null && sqlState.startsWith("22")) {
                String message = String.valueOf(cause.getMessage());
                return Optional.of(message.length() > 200 ? message.substring(0, 200) : message);
            }
        }
        return Optional.empty();
    }

    private static Throwable next(Throwable cause) {
        return cause.getCause() == cause ? null : cause.getCause();
    }
}
