package io.flywheel.monitor.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The monitor's business settings (prefix {@code monitor}). */
@ConfigMapping(prefix = "monitor")
public interface MonitorConfig {

    /** Dead-letter predictions and labels of models the monitor has no reference or policy for. */
    @WithDefault("true")
    boolean rejectUnknownModels();

    /** How often every live window is judged. */
    @WithDefault("30s")
    Duration evaluationInterval();

    /** How long a prediction waits for its label (and a label for its prediction) before it is counted and dropped. */
    @WithDefault("PT48H")
    Duration joinWait();

    /** Joined rows kept this long after their export, then deleted. */
    @WithDefault("PT1H")
    Duration joinRetention();

    /** How the catalog of references and policies is re-read, for replicas that did not write them. */
    @WithDefault("30s")
    Duration catalogRefresh();

    Registry registry();

    Labelled labelled();

    Metrics metrics();

    /** LLM traces (llm/). */
    Llm llm();

    /** Serving endpoints whose Prometheus metrics are watched, by name. */
    Map<String, InfraTarget> infrastructure();

    interface Registry {
        @WithDefault("http://127.0.0.1:8081")
        String url();
    }

    interface Labelled {
        @WithDefault("10s")
        Duration exportInterval();

        @WithDefault("5000")
        int maxRowsPerSegment();
    }

    interface Metrics {
        /** At most this many model versions (and features per version) get their own gauges. */
        @WithDefault("200")
        int maxVersions();

        @WithDefault("100")
        int maxFeatures();
    }

    interface InfraTarget {
        /** The Prometheus text endpoint, e.g. http://127.0.0.1:8084/q/metrics. */
        String url();

        String model();

        @WithDefault("0")
        int version();

        /** p99 of http_server_requests_seconds over the last scrape interval, in ms. */
        Optional<Double> latencyP99MsMax();

        /** Share of 5xx among the requests since the last scrape. */
        Optional<Double> errorRateMax();

        /** process_cpu_usage, 0 to 1. */
        Optional<Double> cpuMax();

        /** Heap used / heap max, 0 to 1. */
        Optional<Double> memoryMax();

        /** Only requests whose uri starts with this count for latency and errors (e.g. /v2/models). */
        Optional<String> uriPrefix();
    }

    interface Llm {
        /** A price table (JSON, llm/cost/PriceTable) on disk used instead of the built-in llm/prices.json. */
        Optional<String> pricesFile();

        /** How long an event id is remembered, so a redelivery within it is counted once. */
        @WithDefault("PT24H")
        Duration dedupeRetention();

        /**
         * How many transactions store one poll of trace events side by side, its events split by trace
         * (llm/TraceStore): PostgreSQL's work for a poll spread over that many connections.
         */
        @WithDefault("2")
        int storeConnections();

        /** Traces, observations and scores older than this are deleted (llm/Retention). */
        @WithDefault("P90D")
        Duration retention();

        /** How often retention runs: a duration such as {@code 1h}, or {@code off}. */
        @WithDefault("1h")
        String retentionInterval();

        /** Rows deleted per statement, so no purge holds a long transaction. */
        @WithDefault("5000")
        int retentionBatch();

        /** How often the score monitors (llm/score/ScoreMonitors) judge their windows. */
        @WithDefault("60s")
        Duration scoreEvaluationInterval();

        /** At most this many scores are read for one score monitor's evaluation. */
        @WithDefault("200000")
        int scoreMonitorMaxSamples();

        /** Online evaluation of sampled production generations (llm/online/OnlineEvaluation). */
        OnlineEvaluation onlineEvaluation();
    }

    interface OnlineEvaluation {
        /** Threads that score generations, off the consumer's path. */
        @WithDefault("2")
        int workers();

        /** Generations waiting to be scored; beyond this they are dropped (and counted), not waited for. */
        @WithDefault("10000")
        int queue();

        /** How long an LLM judge's answer is waited for, per attempt. */
        @WithDefault("30s")
        Duration judgeTimeout();

        /** Retries of a judge's request on 429, 5xx and timeouts. */
        @WithDefault("2")
        int judgeRetries();

        /** How often the rules are read again (another replica may have changed them). */
        @WithDefault("15s")
        String refreshInterval();
    }
}
