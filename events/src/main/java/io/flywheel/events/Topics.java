package io.flywheel.events;

/** Kafka topics (docs/CONTRACTS.md, Events). Control topics are low volume; data topics carry traffic. */
public final class Topics {
    public static final String REGISTRY = "flywheel.registry";
    public static final String DEPLOY = "flywheel.deploy";
    public static final String MONITOR = "flywheel.monitor";
    public static final String RETRAIN = "flywheel.retrain";

    public static final String INFERENCE = "flywheel.inference";
    public static final String FEEDBACK = "flywheel.feedback";
    public static final String TRACES = "flywheel.traces";

    private Topics() {
    }
}
