package io.flywheel.retrain.runner;

import io.flywheel.linear.TrainingJob;
import io.flywheel.linear.TrainingParams;
import io.flywheel.retrain.policy.RetrainPolicy;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the reference trainer ({@link TrainingJob}) in this JVM on a bounded pool: {@code threads}
 * trainings at once and at most {@code queue} waiting; beyond that {@link #start} refuses with
 * {@link RunnerBusyException} and the job is tried again later. Cancelling stops the trainer at its
 * next progress line (each Newton iteration, each step) or takes it off the queue.
 */
public final class InProcessRunner implements TrainerRunner, AutoCloseable {

    private final ThreadPoolExecutor pool;

    public InProcessRunner(int threads, int queue) {
        AtomicInteger counter = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(Math.max(1, queue)),
                r -> {
                    Thread t = new Thread(r, "retrain-trainer-" + counter.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    @Override
    public String name() {
        return RetrainPolicy.IN_PROCESS;
    }

    @Override
    public TrainingRun start(TrainingRequest request) {
        if (!RetrainPolicy.LINEAR_TRAINER.equals(request.trainer())) {
            throw new IllegalArgumentException("the in-process runner runs the reference trainer only, not '" + request.trainer() + "'");
        }
        AtomicBoolean cancelled = new AtomicBoolean();
        CompletableFuture<TrainingResult> result = new CompletableFuture<>();
        AtomicReference<Future<?>> task = new AtomicReference<>();
        try {
            task.set(pool.submit(() -> result.complete(train(request, cancelled))));
        } catch (RejectedExecutionException e) {
            throw new RunnerBusyException("the in-process runner is full (" + pool.getMaximumPoolSize() + " training, "
                    + pool.getQueue().size() + " waiting)");
        }
        return new TrainingRun() {
            @Override
            public CompletableFuture<TrainingResult> result() {
                return result;
            }

            @Override
            public void cancel() {
                cancelled.set(true);
                // still queued: it never starts; running: it stops at its next progress line
                if (task.get().cancel(false)) {
                    result.complete(TrainingResult.cancelledRun());
                }
            }
        };
    }

    private static TrainingResult train(TrainingRequest request, AtomicBoolean cancelled) {
        if (cancelled.get()) {
            return TrainingResult.cancelledRun();
        }
        try {
            TrainingParams params = TrainingParams.fromJson(request.paramsJson());
            TrainingJob.run(request.datasetUri(), request.output().toString(), params, request.trainedAt(), line -> {
                if (cancelled.get()) {
                    throw new CancellationException("cancelled");
                }
                request.log().accept(line);
            });
            return cancelled.get() ? TrainingResult.cancelledRun() : TrainingResult.ok();
        } catch (CancellationException e) {
            return TrainingResult.cancelledRun();
        } catch (IllegalArgumentException e) {
            return new TrainingResult(TrainingResult.BAD_INPUT, e.getMessage(), false);
        } catch (Exception e) {
            return new TrainingResult(TrainingResult.FAILED, "unexpected failure: " + e, false);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
