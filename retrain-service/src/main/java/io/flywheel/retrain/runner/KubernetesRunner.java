package io.flywheel.retrain.runner;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.ScalableResource;
import io.fabric8.kubernetes.api.model.batch.v1.JobList;
import io.flywheel.retrain.policy.RetrainPolicy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs each training as a Kubernetes {@code batch/v1} Job ({@link TrainingJobSpec}): stages the
 * training set in S3, creates the Job, watches it (watching again from a fresh read whenever the watch
 * gives up, so a closed watch loses nothing), maps its end to the result ({@link JobOutcome}), copies
 * the outputs the trainer wrote under its S3 prefix into the request's output directory (where the
 * pipeline reads every runner's outputs), and deletes the Job and the staged objects. Cancelling
 * deletes the Job with background propagation (its pod goes with it).
 *
 * <p>The API verbs it uses: jobs create, get, list (the watch), watch, delete; pods list and
 * pods/log get (the trainer's log and exit code, best effort).
 */
public final class KubernetesRunner implements TrainerRunner {

    private static final int LOG_TAIL = 200;

    private final KubernetesClient client;
    private final TrainingJobSpec spec;
    private final JobStaging staging;
    private final Duration rewatchDelay;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("retrain-kubernetes-watch").factory());

    /** @param rewatchDelay the wait before reading the Job again after its watch gave up or a read failed */
    public KubernetesRunner(KubernetesClient client, TrainingJobSpec spec, JobStaging staging, Duration rewatchDelay) {
        this.client = client;
        this.spec = spec;
        this.staging = staging;
        this.rewatchDelay = rewatchDelay;
    }

    @Override
    public String name() {
        return RetrainPolicy.KUBERNETES;
    }

    public TrainingJobSpec spec() {
        return spec;
    }

    /** The S3 prefix of one retrain job's staged files and outputs. */
    static String prefix(String jobId) {
        return "jobs/" + TrainingJobSpec.jobLabel(jobId) + "/";
    }

    @Override
    public TrainingRun start(TrainingRequest request) {
        String prefix = prefix(request.jobId());
        // the spec is checked (the trainer has an image) before anything is uploaded
        spec.build(request, staging.uri(prefix + "training-set.jsonl"), staging.uri(prefix + "output/"));
        String datasetUri = staging.upload(Path.of(URI.create(request.datasetUri())), prefix + "training-set.jsonl");
        Job job = spec.build(request, datasetUri, staging.uri(prefix + "output/"));
        String name = job.getMetadata().getName();
        try {
            // an earlier attempt of this retrain job (its worker died) must not run beside this one
            // (one by one: deleting by a label selector would need the deletecollection verb too)
            for (Job earlier : jobs().withLabel(TrainingJobSpec.JOB_LABEL, TrainingJobSpec.jobLabel(request.jobId())).list().getItems()) {
                request.log().accept("deleting Job " + earlier.getMetadata().getName() + " of an earlier attempt");
                jobs().withName(earlier.getMetadata().getName()).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
            }
            jobs().resource(job).create();
        } catch (KubernetesClientException e) {
            staging.delete(prefix);
            throw refused("create the Job " + spec.namespace() + "/" + name, e);
        }
        request.log().accept("created Job " + spec.namespace() + "/" + name + " (image " + job.getSpec().getTemplate().getSpec()
                .getContainers().getFirst().getImage() + ")");
        Run run = new Run(request, name, prefix);
        run.watch();
        return run;
    }

    private NonNamespaceOperation<Job, JobList, ScalableResource<Job>> jobs() {
        return client.batch().v1().jobs().inNamespace(spec.namespace());
    }

    /** Forbidden and invalid are the operator's to fix (the job fails saying so); the rest may pass (tried again later). */
    private RuntimeException refused(String what, KubernetesClientException e) {
        String reason = "the Kubernetes API refused to " + what + " (HTTP " + e.getCode() + "): " + message(e);
        return switch (e.getCode()) {
            case 401, 403 -> new IllegalStateException(reason + "; the service's ServiceAccount needs create, get, list, watch "
                    + "and delete on jobs in namespace " + spec.namespace(), e);
            case 400, 404, 422 -> new IllegalArgumentException(reason, e);
            default -> new RunnerUnavailableException("could not " + what + ": " + message(e), e);
        };
    }

    private static String message(KubernetesClientException e) {
        return e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : String.valueOf(e.getMessage());
    }

    /** One training's Job: watched until it ends, is cancelled, or disappears. */
    private final class Run implements TrainingRun, Watcher<Job> {

        private final TrainingRequest request;
        private final String name;
        private final String prefix;
        private final CompletableFuture<TrainingResult> result = new CompletableFuture<>();
        private final AtomicBoolean ended = new AtomicBoolean();
        private volatile Watch watch;

        Run(TrainingRequest request, String name, String prefix) {
            this.request = request;
            this.name = name;
            this.prefix = prefix;
        }

        @Override
        public CompletableFuture<TrainingResult> result() {
            return result;
        }

        @Override
        public void cancel() {
            if (ended.compareAndSet(false, true)) {
                closeWatch();
                request.log().accept("cancelling: deleting Job " + spec.namespace() + "/" + name);
                Thread.ofVirtual().start(() -> {
                    deleteJob();
                    cleanUp();
                    result.complete(TrainingResult.cancelledRun());
                });
            }
        }

        /** Reads the Job, then watches it from that version; a Job already gone or ended is handled at once. */
        void watch() {
            if (ended.get()) {
                return;
            }
            Job current;
            try {
                current = jobs().withName(name).get();
            } catch (KubernetesClientException e) {
                if (e.getCode() == 401 || e.getCode() == 403) {
                    end(new TrainingResult(TrainingResult.FAILED, "the Kubernetes API refused to read Job " + name + " (HTTP "
                            + e.getCode() + "): " + message(e), false), true);
                } else {
                    request.log().accept("could not read Job " + name + " (" + message(e) + "); reading it again in " + rewatchDelay.toSeconds() + "s");
                    later();
                }
                return;
            }
            if (current == null) {
                vanished();
                return;
            }
            if (observe(current)) {
                return;
            }
            try {
                watch = jobs().withName(name).watch(new ListOptionsBuilder()
                        .withResourceVersion(current.getMetadata().getResourceVersion()).build(), this);
                if (ended.get()) {
                    closeWatch();
                }
            } catch (KubernetesClientException e) {
                request.log().accept("could not watch Job " + name + " (" + message(e) + "); trying again in " + rewatchDelay.toSeconds() + "s");
                later();
            }
        }

        @Override
        public void eventReceived(Action action, Job job) {
            if (action == Action.DELETED) {
                vanished();
            } else if (action != Action.ERROR && action != Action.BOOKMARK) {
                observe(job);
            }
        }

        @Override
        public void onClose(WatcherException cause) {
            // the client gave up reconnecting (e.g. 410 Gone): read the Job afresh and watch again
            if (!ended.get()) {
                request.log().accept("the watch of Job " + name + " closed (" + cause.getMessage() + "); watching again");
                later();
            }
        }

        private void later() {
            if (!ended.get()) {
                timer.schedule(this::watch, rewatchDelay.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        /** True when the Job has ended; then the outputs are fetched and the run completes (off the watch's thread). */
        private boolean observe(Job job) {
            if (!JobOutcome.finished(job) || !ended.compareAndSet(false, true)) {
                return JobOutcome.finished(job);
            }
            closeWatch();
            Thread.ofVirtual().name("retrain-kubernetes-" + name).start(() -> {
                Trainer trainer = trainerPod();
                TrainingResult outcome = JobOutcome.of(job, trainer.exitCode(), trainer.lastLine()).orElseThrow();
                if (outcome.succeeded()) {
                    try {
                        staging.download(prefix + "output/", request.output());
                        request.log().accept("Job " + name + " completed; outputs copied from " + staging.uri(prefix + "output/"));
                    } catch (RuntimeException e) {
                        outcome = new TrainingResult(TrainingResult.FAILED, "the trainer's Job completed but its outputs could not be read from "
                                + staging.uri(prefix + "output/") + ": " + e.getMessage(), false);
                    }
                }
                finish(outcome, true);
            });
            return true;
        }

        /** The Job is gone and we did not delete it. */
        private void vanished() {
            if (ended.compareAndSet(false, true)) {
                closeWatch();
                Thread.ofVirtual().start(() -> finish(new TrainingResult(TrainingResult.FAILED, "the training Job " + spec.namespace() + "/"
                        + name + " was deleted before it finished (not by this service)", false), false));
            }
        }

        private void end(TrainingResult outcome, boolean deleteJob) {
            if (ended.compareAndSet(false, true)) {
                closeWatch();
                Thread.ofVirtual().start(() -> finish(outcome, deleteJob));
            }
        }

        private void finish(TrainingResult outcome, boolean deleteJob) {
            if (deleteJob) {
                deleteJob();
            }
            cleanUp();
            result.complete(outcome);
        }

        /** The trainer's exit code and log, best effort: the log goes to the job's log, the last line into a failure's error. */
        private Trainer trainerPod() {
            try {
                List<Pod> pods = client.pods().inNamespace(spec.namespace())
                        .withLabel(TrainingJobSpec.JOB_LABEL, TrainingJobSpec.jobLabel(request.jobId())).list().getItems();
                if (pods.isEmpty()) {
                    return new Trainer(null, null);
                }
                Pod pod = pods.getLast();
                Integer exit = pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null ? null
                        : pod.getStatus().getContainerStatuses().stream()
                        .filter(s -> TrainingJobSpec.CONTAINER.equals(s.getName()) && s.getState() != null && s.getState().getTerminated() != null)
                        .map(s -> s.getState().getTerminated().getExitCode()).findFirst().orElse(null);
                String log = client.pods().inNamespace(spec.namespace()).withName(pod.getMetadata().getName())
                        .inContainer(TrainingJobSpec.CONTAINER).tailingLines(LOG_TAIL).getLog();
                List<String> lines = log == null ? List.of() : Arrays.stream(log.split("\n")).filter(l -> !l.isBlank()).toList();
                lines.forEach(line -> request.log().accept("pod: " + line));
                return new Trainer(exit, lines.isEmpty() ? null : lines.getLast());
            } catch (KubernetesClientException e) {
                request.log().accept("the trainer pod's log could not be read: " + message(e));
                return new Trainer(null, null);
            }
        }

        private void deleteJob() {
            try {
                jobs().withName(name).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
            } catch (KubernetesClientException e) {
                request.log().accept("could not delete Job " + name + " (" + message(e) + "); its ttlSecondsAfterFinished removes it");
            }
        }

        private void cleanUp() {
            try {
                staging.delete(prefix);
            } catch (RuntimeException e) {
                request.log().accept("could not delete the staged files under " + staging.uri(prefix) + ": " + e.getMessage());
            }
        }

        private void closeWatch() {
            Watch w = watch;
            if (w != null) {
                w.close();
            }
        }
    }

    private record Trainer(Integer exitCode, String lastLine) {
    }

    /** Stops the re-watch timer; running Jobs keep running (their deadline and time to live still apply). */
    public void close() {
        timer.shutdownNow();
    }
}
