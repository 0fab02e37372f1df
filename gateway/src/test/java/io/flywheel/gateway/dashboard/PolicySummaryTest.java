package io.flywheel.gateway.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PolicySummaryTest {

    @Test
    void aPolicyIsSummedUpInOneLineAndItsAbsenceSaysPromotionsAreByHand() throws Exception {
        var body = new ObjectMapper().readTree("""
                {"model": "churn", "revision": 2, "policy": {"auto_promote": true, "from": "staging", "to": "production",
                 "soak": {"min_time": "PT15S", "min_samples": 20}, "shadow": {"min_hold_seconds": 0.0, "min_samples": 30},
                 "strategy": "canary", "canary": {"steps": [50, 100], "min_hold_seconds": 10.0, "min_samples": 20},
                 "judge": {"quality": {"metric": "accuracy", "max_drop": 0.05, "min_labelled": 30}, "latency_p99": {"budget_ms": 200.0}},
                 "rollback_on": ["latency_p99", "quality"]}}""");
        assertThat(ModelView.policySummary(new ServiceCalls.Answer(200, body, null))).isEqualTo(
                "by itself: staging → production after PT15S and 20 predictions; shadow first (30 copies); canary [50,100]; "
                        + "judged against the champion on quality, latency_p99; rolled back on latency_p99, quality");
        assertThat(ModelView.policySummary(new ServiceCalls.Answer(404, null, null)))
                .isEqualTo("none: versions reach production when someone promotes them");
        assertThat(ModelView.policySummary(new ServiceCalls.Answer(0, null, "deploy-service unavailable")))
                .isEqualTo("unknown (deploy-service unavailable)");
    }
}
