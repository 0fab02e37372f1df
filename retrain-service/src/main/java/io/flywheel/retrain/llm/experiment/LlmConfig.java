package io.flywheel.retrain.llm.experiment;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** The chat endpoint experiments call, and their defaults (application.properties, prefix {@code flywheel.llm}). */
@ConfigMapping(prefix = "flywheel.llm")
public interface LlmConfig {

    Endpoint endpoint();

    Experiments experiments();

    /** An OpenAI-compatible chat completions endpoint: {@code <base-url>/chat/completions}. */
    interface Endpoint {
        /** e.g. {@code https://api.openai.com/v1}; without it, experiments are refused (503 saying so). */
        Optional<URI> baseUrl();

        /** Sent as {@code Authorization: Bearer}; none for endpoints that need none. */
        Optional<String> apiKey();

        @WithDefault("60s")
        Duration timeout();

        /** Retries of one call that got a 429, a 5xx or no answer; an experiment may ask for another number. */
        @WithDefault("3")
        int maxRetries();

        /** Calls per second to the endpoint, shared by an experiment's workers; an experiment may ask for another rate. */
        @WithDefault("5")
        double requestsPerSecond();
    }

    interface Experiments {
        /** Items of one experiment in flight at once, unless it asks for another number (at most max-concurrency). */
        @WithDefault("4")
        int concurrency();

        @WithDefault("16")
        int maxConcurrency();

        /** Experiments this instance runs at once; the others wait, queued. */
        @WithDefault("2")
        int maxRunning();
    }
}
