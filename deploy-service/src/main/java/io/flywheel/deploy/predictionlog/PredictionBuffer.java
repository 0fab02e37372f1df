package io.flywheel.deploy.predictionlog;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A bounded hand-off between the request path and the sender: {@link #offer} never blocks; when the
 * buffer is full the item is dropped and counted. Plain Java.
 */
public final class PredictionBuffer<T> {

    private final ArrayBlockingQueue<T> queue;
    private final LongAdder accepted = new LongAdder();
    private final LongAdder dropped = new LongAdder();

    public PredictionBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the buffer needs room for at least one prediction");
        }
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** Adds the item, or drops and counts it when the buffer is full. Never blocks. */
    public boolean offer(T item) {
        if (queue.offer(item)) {
            accepted.increment();
            return true;
        }
        dropped.increment();
        return false;
    }

    /**
     * Puts back an item that was taken and could not be delivered, to be sent again; dropped and counted
     * when the buffer is full. Not counted as accepted a second time. Never blocks.
     */
    public boolean putBack(T item) {
        if (queue.offer(item)) {
            return true;
        }
        dropped.increment();
        return false;
    }

    /** Waits up to {@code timeout} for a first item, then takes up to {@code max} into {@code into}; returns how many. */
    public int take(List<T> into, int max, long timeout, TimeUnit unit) throws InterruptedException {
        T first = queue.poll(timeout, unit);
        if (first == null) {
            return 0;
        }
        into.add(first);
        return 1 + queue.drainTo(into, max - 1);
    }

    public int size() {
        return queue.size();
    }

    public long accepted() {
        return accepted.sum();
    }

    public long dropped() {
        return dropped.sum();
    }
}
