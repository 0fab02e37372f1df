package io.flywheel.retrain.llm.experiment;

import io.flywheel.problem.DependencyUnavailableException;

/** No chat endpoint is configured (flywheel.llm.endpoint.base-url): experiments can't run here (a 503 saying so). */
public class ExperimentsUnavailableException extends DependencyUnavailableException {
    public ExperimentsUnavailableException(String message) {
        super("llm-endpoint", message, null);
    }
}
