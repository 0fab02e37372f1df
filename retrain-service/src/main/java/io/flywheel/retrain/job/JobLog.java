package io.flywheel.retrain.job;

import io.quarkus.logging.Log;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A running job's log lines, buffered in memory until the next heartbeat or transition writes them
 * (in that transaction). Safe to append from any thread (the trainer's output readers included).
 */
public final class JobLog {

    /** One line: when, how serious ({@code info}, {@code warn}, {@code error}), what. */
    public record Entry(Instant at, String level, String message) {
    }

    private static final int MAX_LINE = 4000;

    private final UUID jobId;
    private final ConcurrentLinkedQueue<Entry> pending = new ConcurrentLinkedQueue<>();

    public JobLog(UUID jobId) {
        this.jobId = jobId;
    }

    public void info(String message) {
        add("info", message);
    }

    public void warn(String message) {
        add("warn", message);
    }

    public void error(String message) {
        add("error", message);
    }

    private void add(String level, String message) {
        String line = message == null ? "" : message.length() > MAX_LINE ? message.substring(0, MAX_LINE) + " …" : message;
        Log.debugf("job %s: %s", jobId, line);
        pending.add(new Entry(Instant.now(), level, line));
    }

    /** Takes what was appended since the last drain. */
    public List<Entry> drain() {
        List<Entry> out = new ArrayList<>();
        Entry e;
        while ((e = pending.poll()) != null) {
            out.add(e);
        }
        return out;
    }
}
