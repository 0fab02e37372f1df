package io.flywheel.retrain.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Retraining's settings (application.properties, prefix {@code retrain}). */
@ConfigMapping(prefix = "retrain")
public interface RetrainConfig {

    Registry registry();

    Worker worker();

    Retry retry();

    Runner runner();

    /** Trainers other than the reference one, run by the local-process runner. */
    Map<String, TrainerCommand> trainers();

    Code code();

    Schedule schedule();

    Git git();

    Webhooks webhooks();

    interface Registry {
        /** Where the registry answers (the REST client's URL is set from it). */
        @WithDefault("http://127.0.0.1:8081")
        String url();
    }

    /** The job worker: how many jobs this instance runs, and the lease that proves it is alive. */
    interface Worker {
        @WithDefault("true")
        boolean enabled();

        /** Jobs this instance runs at once (data, training, evaluation, registration). */
        @WithDefault("2")
        int maxRunning();

        /** How often pending jobs are looked for (a new job also wakes the worker at once). */
        @WithDefault("2s")
        Duration pollInterval();

        /** How long a job stays ours without a heartbeat; after that the reaper takes it back. */
        @WithDefault("30s")
        Duration lease();

        @WithDefault("5s")
        Duration heartbeatInterval();

        @WithDefault("10s")
        Duration reapInterval();

        /** Attempts per job in all; a job whose worker died is tried again until they are used. */
        @WithDefault("3")
        int maxAttempts();

        /** One attempt running longer than this is failed, whatever its heartbeat says. */
        @WithDefault("1h")
        Duration jobTimeout();

        /** The wait before a job that met a transient failure is tried again; doubles per attempt. */
        @WithDefault("30s")
        Duration requeueBackoff();

        @WithDefault("10m")
        Duration maxRequeueBackoff();

        /** Where jobs stage their training set and the trainer's output. */
        Optional<String> workDir();

        /** Keep each job's directory after it ends (for debugging). */
        @WithDefault("false")
        boolean keepWorkDirs();

        /** Log lines kept per job; the rest are counted, not stored. */
        @WithDefault("1000")
        int maxLogLines();
    }

    /** Retries of one call to S3 or the registry (exponential backoff with jitter). */
    interface Retry {
        @WithDefault("3")
        int maxRetries();

        @WithDefault("200ms")
        Duration initialBackoff();

        @WithDefault("5s")
        Duration maxBackoff();
    }

    interface Runner {
        InProcess inProcess();

        LocalProcess localProcess();

        Kubernetes kubernetes();

        interface InProcess {
            /** Trainings at once in this JVM. */
            @WithDefault("1")
            int threads();

            /** Trainings waiting for a thread; beyond that a job waits in pending. */
            @WithDefault("4")
            int queue();
        }

        interface LocalProcess {
            /** The java executable; this JVM's by default. */
            Optional<String> java();

            @WithDefault("-Xmx512m")
            List<String> jvmArgs();

            /** linear-model and its libraries; found from this JVM's class loading by default. */
            Optional<String> classpath();

            /** After a cancel, how long a trainer may take to exit before it is killed. */
            @WithDefault("5s")
            Duration killGrace();
        }

        /**
         * Trainers as Kubernetes Jobs (runner/KubernetesRunner). Off by default: the runner is offered to
         * policies only when enabled, through the client the quarkus-kubernetes-client extension configures
         * (in a pod: its ServiceAccount; elsewhere: the kubeconfig).
         */
        interface Kubernetes {
            @WithDefault("false")
            boolean enabled();

            /** Where the Jobs run; the client's namespace by default. */
            Optional<String> namespace();

            /** The trainer image by trainer name, e.g. {@code images."sklearn"=registry.example.com/trainer-sklearn:1.2}. */
            Map<String, String> images();

            /** The trainer pods' ServiceAccount; they call no API, so the namespace's default serves. */
            Optional<String> serviceAccount();

            /** S3 as the trainer pods reach it; flywheel.s3.endpoint by default. */
            Optional<String> s3Endpoint();

            /** The Secret with the S3 credentials, referenced by the Job, never copied into it. */
            @WithDefault("flywheel-s3")
            String s3Secret();

            @WithDefault("access-key")
            String s3AccessKeyKey();

            @WithDefault("secret-key")
            String s3SecretKeyKey();

            /** How long a finished Job stays if the service could not delete it. */
            @WithDefault("1h")
            Duration ttlAfterFinished();

            @WithDefault("500m")
            String cpu();

            @WithDefault("1Gi")
            String memory();

            /** The wait before reading a Job again after its watch gave up or a read failed. */
            @WithDefault("5s")
            Duration rewatchDelay();
        }
    }

    /** A trainer run as a command: {@code --dataset <uri> --output <dir> --params <json>} are appended. */
    interface TrainerCommand {
        List<String> command();

        /** The trainer's code, for the candidate's lineage. */
        Optional<String> codeRepository();

        Optional<String> codeCommit();
    }

    /**
     * The code of the reference trainer, for lineage: set it at deploy time (e.g. from the image's
     * commit); otherwise it is read from the git checkout the service runs in, if any.
     */
    interface Code {
        Optional<String> repository();

        Optional<String> commit();
    }

    interface Schedule {
        /** How often the policies' cron schedules are checked. */
        @WithDefault("10s")
        Duration tick();
    }

    /** How jobs check out a trainer's code (policy {@code trainer.code}). */
    interface Git {
        /**
         * Whether policies may name a trainer's code in a git repository ({@code trainer.code}): its
         * commands then run on this machine as this service's user, so it is the operator's choice, off by
         * default; a policy that names code while it is off is refused (400).
         */
        @WithDefault("false")
        boolean enabled();

        /** The git executable. */
        @WithDefault("git")
        String command();

        /** One git command (the clone, the checkout) running longer than this fails the job. */
        @WithDefault("10m")
        Duration timeout();
    }

    /**
     * Push webhooks of GitHub and GitLab. {@code secret} (from {@code RETRAIN_WEBHOOK_SECRET}) is the
     * secret set on the webhook; without it every webhook call is refused. Never logged.
     */
    interface Webhooks {
        Optional<String> secret();
    }
}
