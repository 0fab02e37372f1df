package io.flywheel.gateway.auth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KeyFormatTest {

    @Test
    void aGeneratedKeyParsesAndMatchesOnlyItsOwnHash() {
        KeyFormat.NewKey key = KeyFormat.generate();
        KeyFormat.ParsedKey parsed = KeyFormat.parse(key.key()).orElseThrow();
        assertThat(parsed.id()).isEqualTo(key.id());
        assertThat(KeyFormat.matches(parsed.secret(), key.secretHash())).isTrue();
        assertThat(KeyFormat.matches(parsed.secret() + "x", key.secretHash())).isFalse();
        assertThat(KeyFormat.matches(parsed.secret(), KeyFormat.generate().secretHash())).isFalse();
    }

    @Test
    void keysAreUnique() {
        assertThat(KeyFormat.generate().key()).isNotEqualTo(KeyFormat.generate().key());
    }

    @Test
    void anythingElseDoesNotParse() {
        assertThat(KeyFormat.parse(null)).isEmpty();
        assertThat(KeyFormat.parse("")).isEmpty();
        assertThat(KeyFormat.parse("fwk_short_secret")).isEmpty();
        assertThat(KeyFormat.parse("Bearer abc")).isEmpty();
    }
}
