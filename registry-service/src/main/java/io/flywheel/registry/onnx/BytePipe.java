package io.flywheel.registry.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Hands bytes pushed by one thread (an upload as it streams to storage) to a reader on another (a
 * parser), in bounded memory. A reader that {@link #skip skips} costs nothing per byte: the writer
 * drops what the reader skips without copying it and wakes it only when the skip is done, so the
 * weights of a model pass by while only its small declarations are copied.
 */
final class BytePipe extends InputStream {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final byte[] ring;
    private int head;
    private int count;
    /** What the reader asked to skip and the writer has not delivered yet. */
    private long skipPending;
    /** The writer has no more bytes. */
    private boolean closed;
    /** The reader wants no more bytes: the writer drops them. */
    private boolean abandoned;

    BytePipe(int capacity) {
        this.ring = new byte[capacity];
    }

    // ---- the writer's side ----------------------------------------------------------------------

    /** Passes the bytes on, waiting while the buffer is full; drops them once the reader stopped. */
    void write(byte[] bytes, int offset, int length) {
        lock.lock();
        try {
            while (length > 0 && !abandoned) {
                if (skipPending > 0) {
                    int dropped = (int) Math.min(skipPending, length);
                    skipPending -= dropped;
                    offset += dropped;
                    length -= dropped;
                    if (skipPending == 0) {
                        changed.signalAll();
                    }
                    continue;
                }
                int free = ring.length - count;
                if (free == 0) {
                    changed.signalAll();
                    awaitChange();
                    continue;
                }
                int tail = (head + count) % ring.length;
                int n = Math.min(length, Math.min(free, ring.length - tail));
                System.arraycopy(bytes, offset, ring, tail, n);
                count += n;
                offset += n;
                length -= n;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** No more bytes: the reader sees the end once it has read what is buffered. */
    void close(boolean writerSide) {
        lock.lock();
        try {
            if (writerSide) {
                closed = true;
            } else {
                abandoned = true;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // ---- the reader's side ----------------------------------------------------------------------

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        lock.lock();
        try {
            while (count == 0 && !closed && !abandoned) {
                awaitChange();
            }
            if (count == 0) {
                return -1;
            }
            int n = Math.min(length, Math.min(count, ring.length - head));
            System.arraycopy(ring, head, bytes, offset, n);
            take(n);
            return n;
        } finally {
            lock.unlock();
        }
    }

    /** Skips {@code n} bytes, fewer only at the end; bytes not yet written are dropped as they arrive. */
    @Override
    public long skip(long n) {
        if (n <= 0) {
            return 0;
        }
        lock.lock();
        try {
            int buffered = (int) Math.min(n, count);
            take(buffered);
            long rest = n - buffered;
            if (rest == 0 || closed || abandoned) {
                return buffered;
            }
            skipPending = rest;
            changed.signalAll();
            while (skipPending > 0 && !closed && !abandoned) {
                awaitChange();
            }
            long skipped = n - skipPending;
            skipPending = 0;
            return skipped;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int available() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }

    /** The reader is done (the parser finished or failed): what the writer still pushes is dropped. */
    @Override
    public void close() {
        close(false);
    }

    private void take(int n) {
        head = (head + n) % ring.length;
        count -= n;
        if (n > 0) {
            changed.signalAll();
        }
    }

    private void awaitChange() {
        try {
            changed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandoned = true;
            throw new IllegalStateException(new IOException("interrupted while passing an upload to its parser", e));
        }
    }
}
