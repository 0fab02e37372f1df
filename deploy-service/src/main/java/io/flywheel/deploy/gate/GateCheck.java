package io.flywheel.deploy.gate;

import java.util.Locale;
import java.util.Map;

/** One gate's result: its name, the outcome, a sentence saying why, and the numbers behind it. */
public record GateCheck(String gate, Status status, String detail, Map<String, Object> evidence) {

    public enum Status {
        PASSED, FAILED,
        /** waiting for a person (the manual approval step) */
        PENDING,
        /** the gate does not apply to this environment */
        NOT_REQUIRED,
        /** an earlier gate failed, so this one was not checked */
        NOT_RUN;

        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static Status of(String id) {
            return valueOf(id.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    public GateCheck {
        evidence = evidence == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(evidence));
    }

    static GateCheck passed(String gate, String detail, Map<String, Object> evidence) {
        return new GateCheck(gate, Status.PASSED, detail, evidence);
    }

    static GateCheck failed(String gate, String detail, Map<String, Object> evidence) {
        return new GateCheck(gate, Status.FAILED, detail, evidence);
    }

    /** "gate: detail", e.g. for a problem's detail. */
    public String summary() {
        return gate + ": " + detail;
    }
}
