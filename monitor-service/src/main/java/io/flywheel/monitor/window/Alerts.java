package io.flywheel.monitor.window;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * "Once per change of state": a condition raises an event when it becomes active and a recovery
 * when it stops being active; staying active (or inactive) says nothing. A condition that could not
 * be judged (too few samples) keeps its previous state.
 */
public final class Alerts {

    private Alerts() {
    }

    /**
     * @param kind     drift | quality | concept | infrastructure
     * @param key      what within the kind: "dataset", a metric, a detector, a rule
     * @param active   null when not judged
     * @param evidence what the event carries
     */
    public record Condition(String kind, String key, Boolean active, String metric, double value, double threshold,
                            long samples, Map<String, Object> evidence) {
        public String id() {
            return kind + "/" + key;
        }
    }

    public record Transition(Condition condition, boolean raised) {
    }

    /** @param previous condition id → whether it was active (absent: never raised) */
    public static List<Transition> transitions(Map<String, Boolean> previous, List<Condition> conditions) {
        List<Transition> out = new ArrayList<>();
        for (Condition c : conditions) {
            if (c.active() == null) {
                continue;
            }
            boolean was = previous.getOrDefault(c.id(), false);
            if (c.active() != was) {
                out.add(new Transition(c, c.active()));
            }
        }
        return out;
    }
}
