package io.flywheel.gateway.llm;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class LlmKeysTest {

    private static String basic(String value) {
        return "Basic " + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aNewPairHasLangfusesShapeAndOnlyItsSecretMatchesItsHash() {
        LlmKeys.NewPair pair = LlmKeys.generate();
        assertThat(pair.publicKey()).matches("pk-lf-[0-9a-f-]{36}");
        assertThat(pair.secretKey()).matches("sk-lf-[A-Za-z0-9_-]{43}");
        assertThat(LlmKeys.matches(pair.secretKey(), pair.secretHash())).isTrue();
        assertThat(LlmKeys.matches(LlmKeys.generate().secretKey(), pair.secretHash())).isFalse();
        assertThat(LlmKeys.generate().publicKey()).isNotEqualTo(pair.publicKey());
    }

    @Test
    void basicIsSplitAtTheFirstColon() {
        LlmKeys.NewPair pair = LlmKeys.generate();
        var presented = LlmKeys.fromBasic(basic(pair.publicKey() + ":" + pair.secretKey()));
        assertThat(presented).hasValue(new LlmKeys.Presented(pair.publicKey(), pair.secretKey()));
        // the scheme is case-insensitive (RFC 7617)
        assertThat(LlmKeys.fromBasic("basic " + basic(pair.publicKey() + ":" + pair.secretKey()).substring(6))).isPresent();
    }

    @Test
    void anythingElseIsNotAPair() {
        LlmKeys.NewPair pair = LlmKeys.generate();
        assertThat(LlmKeys.fromBasic(null)).isEmpty();
        assertThat(LlmKeys.fromBasic("Bearer " + pair.publicKey())).isEmpty();
        assertThat(LlmKeys.fromBasic("Basic !!!not-base64")).isEmpty();
        assertThat(LlmKeys.fromBasic(basic(pair.publicKey()))).isEmpty();
        assertThat(LlmKeys.fromBasic(basic(pair.publicKey() + ":"))).isEmpty();
        assertThat(LlmKeys.fromBasic(basic(":" + pair.secretKey()))).isEmpty();
        assertThat(LlmKeys.fromBasic(basic("pk-lf-test:sk-lf-test"))).isEmpty();
        assertThat(LlmKeys.fromBasic(basic(pair.secretKey() + ":" + pair.publicKey()))).isEmpty();
        assertThat(LlmKeys.isBasic("Basic abc")).isTrue();
        assertThat(LlmKeys.isBasic("Bearer abc")).isFalse();
    }
}
