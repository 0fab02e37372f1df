package io.flywheel.deploy;

import io.flywheel.deploy.gate.GateCheck;
import io.flywheel.deploy.gate.GateVerdict;

/**
 * A promotion gate failed (422): nothing changed. Carries the recorded promotion's id and every
 * check in order, so the answer says which one failed and why.
 */
public class GateFailedException extends DeployException {
    private final String promotionId;
    private final GateVerdict verdict;

    public GateFailedException(String promotionId, GateVerdict verdict) {
        super(verdict.failure().map(GateCheck::summary).orElse("a promotion gate failed"));
        this.promotionId = promotionId;
        this.verdict = verdict;
    }

    public String promotionId() {
        return promotionId;
    }

    public GateVerdict verdict() {
        return verdict;
    }
}
