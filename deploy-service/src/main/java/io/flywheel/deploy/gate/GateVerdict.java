package io.flywheel.deploy.gate;

import java.util.List;
import java.util.Optional;

/** Every gate's result, in the order they ran. */
public record GateVerdict(List<GateCheck> checks) {

    public GateVerdict {
        checks = List.copyOf(checks);
    }

    /** The first gate that failed, if any. */
    public Optional<GateCheck> failure() {
        return checks.stream().filter(c -> c.status() == GateCheck.Status.FAILED).findFirst();
    }

    /** All gates passed except a manual approval that is still outstanding. */
    public boolean awaitingApproval() {
        return failure().isEmpty() && checks.stream().anyMatch(c -> c.status() == GateCheck.Status.PENDING);
    }

    /** Nothing failed and nothing waits: the promotion may go ahead. */
    public boolean passed() {
        return checks.stream().noneMatch(c -> c.status() == GateCheck.Status.FAILED || c.status() == GateCheck.Status.PENDING);
    }
}
