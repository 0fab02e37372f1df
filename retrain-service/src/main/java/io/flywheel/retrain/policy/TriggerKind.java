package io.flywheel.retrain.policy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What can start a retraining: a monitor verdict, the policy's schedule, a person, or a push to the trainer's code. */
public enum TriggerKind {
    DRIFT("drift"),
    QUALITY("quality"),
    SCHEDULE("schedule"),
    MANUAL("manual"),
    /** A push to the repository and branch of the policy's {@code trainer.code} (a webhook, or by hand). */
    CODE("code");

    private final String id;

    TriggerKind(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    @JsonCreator
    public static TriggerKind of(String id) {
        for (TriggerKind kind : values()) {
            if (kind.id.equals(id)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("trigger must be one of " + Arrays.stream(values()).map(TriggerKind::id)
                .collect(Collectors.joining(", ")) + "; got '" + id + "'");
    }
}
