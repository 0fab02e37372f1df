package io.flywheel.deploy.prompt;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PromptPolicyDocumentTest {

    private static final PromptPolicy DEFAULTS = new PromptPolicy(20, Duration.ofHours(1), Duration.ofHours(24), 30, 0.05, 0.02);

    private static PromptPolicyDocument doc(Integer share, String min, String max, Long count, Double drop, Double margin) {
        return new PromptPolicyDocument(share, min, max, count, drop, margin);
    }

    @Test
    void absentFieldsTakeTheDefaults() {
        assertThat(doc(null, null, null, null, null, null).toPolicy(DEFAULTS)).isEqualTo(DEFAULTS);
        assertThat(doc(50, "PT5M", null, 10L, null, null).toPolicy(DEFAULTS))
                .isEqualTo(new PromptPolicy(50, Duration.ofMinutes(5), Duration.ofHours(24), 10, 0.05, 0.02));
        // a max_drop below the default margin brings the margin down with it
        assertThat(doc(null, null, null, null, 0.01, null).toPolicy(DEFAULTS).margin()).isEqualTo(0.01);
    }

    @Test
    void badFieldsAreNamed() {
        assertThatThrownBy(() -> doc(0, null, null, null, null, null).toPolicy(DEFAULTS)).hasMessageContaining("share_percent");
        assertThatThrownBy(() -> doc(100, null, null, null, null, null).toPolicy(DEFAULTS)).hasMessageContaining("share_percent");
        assertThatThrownBy(() -> doc(null, "an hour", null, null, null, null).toPolicy(DEFAULTS))
                .hasMessage("min_duration is an ISO-8601 duration such as PT1H, got 'an hour'");
        assertThatThrownBy(() -> doc(null, "PT2H", "PT1H", null, null, null).toPolicy(DEFAULTS)).hasMessageContaining("max_duration");
        assertThatThrownBy(() -> doc(null, null, null, 0L, null, null).toPolicy(DEFAULTS)).hasMessageContaining("min_count");
        assertThatThrownBy(() -> doc(null, null, null, null, -0.1, null).toPolicy(DEFAULTS)).hasMessageContaining("max_drop");
        assertThatThrownBy(() -> doc(null, null, null, null, 0.05, 0.1).toPolicy(DEFAULTS)).hasMessageContaining("margin");
    }

    @Test
    void theWrittenOutDocumentReadsBackToTheSamePolicy() {
        PromptPolicy p = new PromptPolicy(35, Duration.ofMinutes(3), Duration.ofMinutes(30), 7, 0.1, 0.0);
        assertThat(PromptPolicyDocument.of(p).toPolicy(DEFAULTS)).isEqualTo(p);
    }

    @Test
    void aRequestsFieldsWinOverTheStoredOnes() {
        PromptPolicyDocument stored = doc(30, "PT10M", null, 5L, null, null);
        assertThat(doc(40, null, null, null, null, null).over(stored)).isEqualTo(doc(40, "PT10M", null, 5L, null, null));
    }
}
