package io.flywheel.retrain.job;

import io.flywheel.retrain.RetrainJob;
import io.flywheel.retrain.config.RetrainConfig;
import io.flywheel.retrain.policy.PolicyService;
import io.flywheel.retrain.policy.RetrainPolicy;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs jobs in this instance: claims pending ones up to {@code retrain.worker.max-running}, runs each
 * on its own thread ({@link JobPipeline}), renews their lease with a heartbeat that also carries
 * their log lines and brings back remote cancel requests, and reaps jobs whose worker died (any
 * instance's) so that none stays running for ever. On shutdown it stops its trainers and puts its
 * jobs back in pending for the next instance.
 */
@ApplicationScoped
public class JobWorker {

    private final JobStore store;
    private final JobPipeline pipeline;
    private final PolicyService policies;
    private final RetrainConfig.Worker config;
    private final Vertx vertx;
    private final String owner;
    private final Path workRoot;
    private final ExecutorService threads;
    private final Map<UUID, JobContext> running = new ConcurrentHashMap<>();
    private final AtomicBoolean polling = new AtomicBoolean();
    private volatile boolean stopping;

    public JobWorker(JobStore store, JobPipeline pipeline, PolicyService policies, RetrainConfig config, Vertx vertx) {
        this.store = store;
        this.pipeline = pipeline;
        this.policies = policies;
        this.config = config.worker();
        this.vertx = vertx;
        this.owner = host() + "/" + UUID.randomUUID().toString().substring(0, 8);
        this.workRoot = Path.of(config.worker().workDir().orElse(Path.of(System.getProperty("java.io.tmpdir"), "flywheel-retrain").toString()));
        AtomicInteger counter = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(Math.max(1, config.worker().maxRunning()), r -> {
            Thread t = new Thread(r, "retrain-job-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Log.infof("retrain worker %s: up to %d job(s) at once, lease %s", owner, config.worker().maxRunning(), config.worker().lease());
    }

    /** This instance's name in leases: host and a per-start suffix. */
    public String owner() {
        return owner;
    }

    /** The jobs this instance runs now. */
    public Set<UUID> runningJobs() {
        return Set.copyOf(running.keySet());
    }

    @Scheduled(every = "${retrain.worker.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> pollOnSchedule() {
        return poll();
    }

    /** Claims and starts as many due pending jobs as there are free slots. */
    public Uni<Void> poll() {
        if (!config.enabled() || stopping || !polling.compareAndSet(false, true)) {
            return Uni.createFrom().voidItem();
        }
        int free = config.maxRunning() - running.size();
        if (free <= 0) {
            polling.set(false);
            return Uni.createFrom().voidItem();
        }
        return store.claim(owner, free, config.lease())
                .invoke(jobs -> jobs.forEach(this::start))
                .onFailure().invoke(e -> Log.warnf("claiming retrain jobs failed, will retry: %s", e.getMessage()))
                .onFailure().recoverWithNull()
                .onTermination().invoke(() -> polling.set(false))
                .replaceWithVoid();
    }

    /** A job was created or freed: look for work now rather than at the next poll. */
    public void wake() {
        if (!config.enabled() || stopping) {
            return;
        }
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> poll().subscribe().with(done -> { }, e -> Log.debugf("wake-up poll failed: %s", e.getMessage())));
    }

    private void start(RetrainJob job) {
        RetrainPolicy policy;
        try {
            policy = policies.parse(job.policy);
        } catch (RuntimeException e) {
            policy = null;
        }
        JobContext context = new JobContext(job, policy, workRoot.resolve(job.id + "-" + job.attempt));
        running.put(job.id, context);
        threads.execute(() -> {
            try {
                pipeline.run(context);
            } finally {
                running.remove(job.id, context);
                wake();
            }
        });
    }

    /** Stops a job that runs here at once (the heartbeat would bring the request within an interval). */
    public void cancelLocal(UUID id) {
        JobContext context = running.get(id);
        if (context != null) {
            context.requestCancel();
        }
    }

    @Scheduled(every = "${retrain.worker.heartbeat-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> heartbeat() {
        if (running.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Map<UUID, JobContext> now = Map.copyOf(running);
        Map<UUID, List<JobLog.Entry>> logs = new HashMap<>();
        now.forEach((id, context) -> logs.put(id, context.log.drain()));
        return store.heartbeat(owner, now.keySet(), config.lease(), logs)
                .invoke(signals -> signals.forEach((id, signal) -> {
                    JobContext context = now.get(id);
                    if (signal.lost()) {
                        context.loseLease();
                    } else if (signal.cancelRequested()) {
                        context.requestCancel();
                    }
                }))
                .onFailure().invoke(e -> Log.warnf("heartbeat of %d job(s) failed: %s", now.size(), e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    @Scheduled(every = "${retrain.worker.reap-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> reapOnSchedule() {
        return reap().replaceWithVoid();
    }

    /** Takes back the jobs whose worker died or that ran past the timeout; how many. */
    public Uni<Integer> reap() {
        return store.reap(config.maxAttempts(), config.jobTimeout(), config.requeueBackoff(), config.maxRequeueBackoff())
                .invoke(n -> {
                    if (n > 0) {
                        wake();
                    }
                })
                .onFailure().invoke(e -> Log.warnf("reaping retrain jobs failed, will retry: %s", e.getMessage()))
                .onFailure().recoverWithItem(0);
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        Set<UUID> ids = Set.copyOf(running.keySet());
        running.values().forEach(JobContext::loseLease);
        if (!ids.isEmpty()) {
            try {
                int released = VertxContextSupport.subscribeAndAwait(() -> store.release(owner, ids)
                        .ifNoItem().after(Duration.ofSeconds(5)).fail());
                Log.infof("shutting down: %d retrain job(s) put back in pending", released);
            } catch (Throwable e) {
                Log.warnf("shutting down: could not put %d job(s) back in pending (%s); the reaper will once their lease runs out",
                        ids.size(), e.getMessage());
            }
        }
        threads.shutdownNow();
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "retrain";
        }
    }
}
