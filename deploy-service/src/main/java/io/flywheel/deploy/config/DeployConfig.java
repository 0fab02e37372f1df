package io.flywheel.deploy.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Deploy's business settings (application.properties, prefix {@code deploy}). */
@ConfigMapping(prefix = "deploy")
public interface DeployConfig {

    /** The environments a model can be promoted through, in order (staging, production by default). */
    @WithDefault("staging,production")
    List<String> environments();

    /** The environment whose primary version the registry's champion alias follows. */
    @WithDefault("production")
    String productionEnvironment();

    Registry registry();

    Promotion promotion();

    Gates gates();

    Canary canary();

    Rollback rollback();

    Serving serving();

    PredictionLog predictionLog();

    Champion champion();

    External external();

    Kubernetes kubernetes();

    Prompt prompt();

    /**
     * Prompt rollouts (prompt/): the defaults of a prompt's rollout policy (each may be set per prompt),
     * the registry labels involved, and how often running canaries are judged.
     */
    interface Prompt {
        @WithDefault("20")
        int sharePercent();

        @WithDefault("PT1H")
        Duration minDuration();

        @WithDefault("PT24H")
        Duration maxDuration();

        @WithDefault("30")
        long minCount();

        @WithDefault("0.05")
        double maxDrop();

        @WithDefault("0.02")
        double margin();

        /** The label the candidate carries while its canary runs, so SDK users can fetch it by label. */
        @WithDefault("canary")
        String canaryLabel();

        /** The label a promotion moves to the candidate. */
        @WithDefault("production")
        String productionLabel();

        /** How often running prompt canaries are judged and pending label moves sent (the scheduler reads it). */
        @WithDefault("10s")
        String checkInterval();
    }

    /**
     * Serving on Kubernetes (kubernetes/KubernetesServingTarget): off by default. When enabled, the
     * primary version of every model in {@code environment} is also rolled out as that model's
     * Deployment in {@code namespace}, through the client the quarkus-kubernetes-client extension
     * configures (in a pod: its ServiceAccount).
     */
    interface Kubernetes {
        @WithDefault("false")
        boolean enabled();

        /** The environment whose primary versions run as Kubernetes workloads. */
        @WithDefault("production")
        String environment();

        /** Where the workloads live; the client's namespace by default. */
        Optional<String> namespace();

        /** The serving image: an Open Inference Protocol v2 server that serves FLYWHEEL_MODEL at FLYWHEEL_MODEL_VERSION. */
        @WithDefault("flywheel/serving:latest")
        String image();

        @WithDefault("2")
        int replicas();

        @WithDefault("8080")
        int port();

        @WithDefault("250m")
        String cpu();

        @WithDefault("512Mi")
        String memory();

        /** How long one rollout is waited for; a rollout still going then is logged and left to Kubernetes. */
        @WithDefault("5m")
        Duration rolloutTimeout();

        /**
         * How many models' rollouts are followed at once: a rollout that never completes (an image that
         * does not pull) holds one of these for its timeout, not every other model's.
         */
        @WithDefault("8")
        int parallelRollouts();

        /** How often the workloads are brought in line with the environment (the scheduler reads it). */
        @WithDefault("10s")
        String syncInterval();
    }

    interface Registry {
        /** Base URL of registry-service (the REST client reads it through quarkus.rest-client.registry.url). */
        @WithDefault("http://127.0.0.1:8081")
        String url();
    }

    Monitor monitor();

    interface Monitor {
        /** Base URL of monitor-service (the REST client reads it through quarkus.rest-client.monitor.url): the canary judge's quality. */
        @WithDefault("http://127.0.0.1:8082")
        String url();
    }

    interface Promotion {
        /** The strategy of a promotion that names none (API or retrain's promotion.requested). */
        @WithDefault("replace")
        String defaultStrategy();

        /** The same, for the production environment. */
        @WithDefault("canary")
        String productionDefaultStrategy();
    }

    interface Gates {
        /**
         * Metrics compared between candidate and champion, when both report them: by default the one
         * retraining optimises (roc_auc for classifiers, rmse for regressors). Listing more asks the
         * candidate to win on every one of them, which threshold metrics (f1, precision, recall)
         * rarely allow a better-ranking model at a low base rate.
         */
        @WithDefault("roc_auc,rmse")
        List<String> metrics();

        /** The candidate must beat the champion by at least this much (absolute) on each compared metric. */
        @WithDefault("0.0")
        double margin();

        /** Metrics where lower is better. */
        @WithDefault("log_loss,rmse,mae,mape,mse")
        List<String> lowerIsBetter();

        Soak soak();

        /** Environments whose promotions wait for a manual approval. */
        Optional<List<String>> approvalEnvironments();

        interface Soak {
            /** Environments a version must soak before entering. */
            @WithDefault("production")
            List<String> environments();

            /** Where it soaks. */
            @WithDefault("staging")
            String from();

            @WithDefault("PT30M")
            Duration minTime();

            @WithDefault("100")
            long minSamples();
        }
    }

    interface Canary {
        /** The candidate's share of traffic per step, ending at 100. */
        @WithDefault("10,50,100")
        List<Integer> steps();

        /** Each step is held at least this long... */
        @WithDefault("PT5M")
        Duration minHold();

        /** ...and until the candidate served this many predictions in it. */
        @WithDefault("100")
        long minSamples();

        /** How often running canaries are checked (the scheduler reads deploy.canary.check-interval). */
        @WithDefault("5s")
        String checkInterval();
    }

    interface Rollback {
        /**
         * Environments where a degradation reported for the primary version (not only a candidate)
         * rolls it back to the previous one automatically.
         */
        Optional<List<String>> onPrimaryDegradation();
    }

    interface Serving {
        /** The environment /v2 serves when the request names none (X-Flywheel-Environment). */
        @WithDefault("production")
        String defaultEnvironment();

        /** The request header whose value routes a request (else its id). */
        @WithDefault("X-Flywheel-Routing-Key")
        String routingHeader();

        /** How often the routing table is compared with the database (changes made by other replicas). */
        @WithDefault("2s")
        String refreshInterval();

        /** How often served-prediction counts are added to the database. */
        @WithDefault("1s")
        String flushInterval();
    }

    interface PredictionLog {
        /** Log every prediction to flywheel.inference. */
        @WithDefault("true")
        boolean enabled();

        /** Predictions waiting to be sent; when full, new ones are dropped and counted, never blocking an answer. */
        @WithDefault("65536")
        int bufferSize();

        /** Predictions handed to Kafka and not yet acknowledged, at most. */
        @WithDefault("2048")
        int maxInFlight();

        /** Predictions taken from the buffer per batch. */
        @WithDefault("512")
        int batchSize();

        /** After a batch that was not full, the sender waits this long for more (fewer wake-ups at low rates). */
        @WithDefault("20ms")
        Duration drainInterval();

        /** The topic (flywheel.inference). */
        @WithDefault("flywheel.inference")
        String topic();

        /** Producer acknowledgement: 1 (the leader) by default; "all" for more durability at some cost. */
        @WithDefault("1")
        String acks();

        /** Kafka batching: the log is not latency-critical (the monitor works in windows of minutes). */
        @WithDefault("25ms")
        Duration linger();

        @WithDefault("262144")
        int kafkaBatchBytes();

        /**
         * none by default: on a small machine the log competes with serving for CPU, and lz4 cost about
         * 15% of the log's CPU in the benchmark; lz4 or zstd where network or broker disk is the limit.
         */
        @WithDefault("none")
        String compression();
    }

    interface Champion {
        /** Move the registry's champion alias when production's primary version changes. */
        @WithDefault("true")
        boolean enabled();

        @WithDefault("champion")
        String alias();

        /** Attempts before a move is given up (each logged); a later change of production retries anyway. */
        @WithDefault("20")
        int maxAttempts();

        /** How often pending moves are sent to the registry (read by the scheduler). */
        @WithDefault("1s")
        String syncInterval();
    }

    /** Versions of format external: where deploy may call, with what secrets, how patiently (docs/CONTRACTS.md, "Model formats"). */
    interface External {
        /**
         * Hosts deploy may call ({@code models.example.com}, {@code *.example.com}, {@code 10.0.0.7:8080},
         * {@code host:*}; without a port only the scheme's default). Empty by default: no external
         * version deploys until an operator names where they may live.
         */
        Optional<List<String>> allowedHosts();

        /** Where the auth headers' values are, one file per secret_ref (a mounted Kubernetes Secret). */
        Optional<String> secretsDir();

        /** How long a secret's value is used before its file is looked at again (rotation). */
        @WithDefault("5s")
        Duration secretRecheck();

        @WithDefault("1s")
        Duration connectTimeout();

        /** How long a call waits for the endpoint's answer to begin (504 after). */
        @WithDefault("2s")
        Duration readTimeout();

        /** How often every loaded external version's {@code <url>/ready} is probed (read by the scheduler). */
        @WithDefault("10s")
        String readyInterval();

        Breaker breaker();

        /** Each version's circuit breaker (external/CircuitBreaker). */
        interface Breaker {
            /** Opens after this many failures in a row... */
            @WithDefault("5")
            int consecutiveFailures();

            /** ...or when at least this share of the last {@code window} calls failed. */
            @WithDefault("0.5")
            double failureRatio();

            @WithDefault("20")
            int window();

            /** Calls are refused (503) this long before a probe call is let through. */
            @WithDefault("10s")
            Duration openFor();

            /** Probe successes in a row that close it again. */
            @WithDefault("1")
            int probes();
        }
    }
}
