package io.flywheel.deploy.policy;

import io.flywheel.deploy.rollout.CanaryPolicy;
import io.flywheel.deploy.rollout.Strategy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyDocumentTest {

    private static final PolicyDocument.Defaults DEFAULTS = new PolicyDocument.Defaults("staging", "production", Duration.ofMinutes(30),
            100, new CanaryPolicy(List.of(10, 50, 100), Duration.ofMinutes(5), 100));

    @Test
    void anEmptyDocumentIsAManualCanaryPolicyWithTheDefaults() {
        PromotionPolicy p = new PolicyDocument(null, null, null, null, null, null, null, null, null).toPolicy(DEFAULTS);
        assertThat(p.autoPromote()).isFalse();
        assertThat(p.from()).isEqualTo("staging");
        assertThat(p.to()).isEqualTo("production");
        assertThat(p.soakTime()).isEqualTo(Duration.ofMinutes(30));
        assertThat(p.strategy()).isEqualTo(Strategy.CANARY);
        assertThat(p.canary()).isEqualTo(DEFAULTS.canary());
        assertThat(p.judge().judges()).isFalse();
        assertThat(p.rollbackOn()).isEmpty();
    }

    @Test
    void judgedCriteriaRollBackByDefaultAndTheDocumentRoundTrips() {
        var doc = new PolicyDocument(true, null, null, new PolicyDocument.Soak("PT15S", 20L), null, "canary",
                new PolicyDocument.Canary(List.of(50, 100), 10.0, 20L),
                new PolicyDocument.Judge(new PolicyDocument.Quality("accuracy", 0.05, 30L), null,
                        new PolicyDocument.Latency(3.0, null, null)), null);
        PromotionPolicy p = doc.toPolicy(DEFAULTS);
        assertThat(p.rollbackOn()).containsExactlyInAnyOrder("quality", "latency_p99");
        assertThat(p.canary()).isEqualTo(new CanaryPolicy(List.of(50, 100), Duration.ofSeconds(10), 20));
        assertThat(p.judge().latency().minRequests()).isEqualTo(100);
        PolicyDocument written = PolicyDocument.of(p);
        assertThat(written.toPolicy(DEFAULTS)).isEqualTo(p);
        assertThat(written.soak()).isEqualTo(new PolicyDocument.Soak("PT15S", 20L));
        assertThat(written.rollbackOn()).containsExactly("latency_p99", "quality");
    }

    @Test
    void badFieldsAreNamed() {
        assertThatThrownBy(() -> new PolicyDocument(true, null, null, new PolicyDocument.Soak("15 minutes", null), null, null, null, null, null)
                .toPolicy(DEFAULTS)).hasMessage("soak.min_time is an ISO-8601 duration such as PT30M, got '15 minutes'");
        assertThatThrownBy(() -> new PolicyDocument(true, null, null, null, null, "shadow", null, null, null).toPolicy(DEFAULTS))
                .hasMessage("strategy must be replace or canary, got 'shadow'");
        assertThatThrownBy(() -> new PolicyDocument(true, "production", null, null, null, null, null, null, null).toPolicy(DEFAULTS))
                .hasMessage("from and to must be different environments, both are 'production'");
        assertThatThrownBy(() -> new PolicyDocument(true, null, null, null, null, null, null,
                new PolicyDocument.Judge(new PolicyDocument.Quality(null, null, null), null, null), null).toPolicy(DEFAULTS))
                .hasMessage("judge.quality.metric is required, e.g. accuracy or roc_auc");
        assertThatThrownBy(() -> new PolicyDocument(true, null, null, null, null, null, null, null, List.of("drift")).toPolicy(DEFAULTS))
                .hasMessageStartingWith("rollback_on holds 'drift'; the judge's criteria are");
        assertThatThrownBy(() -> new PolicyDocument(true, null, null, null, null, null, null,
                new PolicyDocument.Judge(null, null, new PolicyDocument.Latency(0.5, null, null)), null).toPolicy(DEFAULTS))
                .hasMessage("judge.latency_p99.max_ratio must be 1 or more");
        assertThatThrownBy(() -> new PolicyDocument(true, null, null, null, null, null, new PolicyDocument.Canary(List.of(10, 50), null, null),
                null, null).toPolicy(DEFAULTS)).hasMessage("the last canary step must be 100, got [10, 50]");
        assertThatThrownBy(() -> new PolicyDocument(true, null, null, null, null, null, new PolicyDocument.Canary(java.util.Arrays.asList(10, null), null, null),
                null, null).toPolicy(DEFAULTS)).hasMessage("canary.steps are percentages from 1 to 100, got a null");
        assertThatThrownBy(() -> new PolicyDocument(true, null, null, null, null, null, null, null, java.util.Arrays.asList("quality", null))
                .toPolicy(DEFAULTS)).hasMessageStartingWith("rollback_on names judge criteria");
    }
}
