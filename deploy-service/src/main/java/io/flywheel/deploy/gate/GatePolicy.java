package io.flywheel.deploy.gate;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * What the gates demand. {@code metrics} are compared, when both versions report them, with the
 * candidate at least the champion's value plus {@code margin} (at most minus it for the metrics in
 * {@code lowerIsBetter}). Promotions into {@code soakEnvironments} need the version live in
 * {@code soakFrom} for {@code soakMinTime} with {@code soakMinSamples} predictions served there and
 * no degradation reported meanwhile. Promotions into {@code approvalEnvironments} wait for a person.
 */
public record GatePolicy(List<String> metrics, double margin, Set<String> lowerIsBetter, Set<String> soakEnvironments,
                         String soakFrom, Duration soakMinTime, long soakMinSamples, Set<String> approvalEnvironments) {

    public GatePolicy {
        metrics = List.copyOf(metrics);
        lowerIsBetter = Set.copyOf(lowerIsBetter);
        soakEnvironments = Set.copyOf(soakEnvironments);
        approvalEnvironments = Set.copyOf(approvalEnvironments);
        if (Double.isNaN(margin) || margin < 0) {
            throw new IllegalArgumentException("the metric margin must be zero or more");
        }
        if (soakMinTime == null || soakMinTime.isNegative() || soakMinSamples < 0) {
            throw new IllegalArgumentException("the soak needs a non-negative time and sample count");
        }
    }

    public boolean requiresSoak(String environment) {
        return soakEnvironments.contains(environment);
    }

    public boolean requiresApproval(String environment) {
        return approvalEnvironments.contains(environment);
    }
}
