package io.flywheel.retrain;

/**
 * A trigger that the model's policy refused (cooldown, budget, duplicate, ...): a 409 whose body
 * carries the recorded trigger, so the caller sees the same reason as GET /api/v1/retrain/triggers.
 */
public class TriggerRefusedException extends RetrainException {
    private final long triggerSeq;
    private final String rule;

    public TriggerRefusedException(long triggerSeq, String rule, String reason) {
        super(reason);
        this.triggerSeq = triggerSeq;
        this.rule = rule;
    }

    public long triggerSeq() {
        return triggerSeq;
    }

    public String rule() {
        return rule;
    }
}
