package io.flywheel.llm.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnvironmentsTest {

    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {
            "production, production",
            "Production, production",
            "langfuse-staging, staging",
            "LANGFUSE_dev, dev",
            "sdk-experiment, sdk-experiment",
            "my env, default",
            "'', default",
            "langfuse-, default",
            "prod/eu, default",
            "NULL, NULL",
            "aaaaaaaaaabbbbbbbbbbccccccccccddddddddddeeeee, aaaaaaaaaabbbbbbbbbbccccccccccdddddddddd"})
    void langfusesRule(String raw, String expected) {
        assertThat(Environments.normalise(raw)).isEqualTo(expected);
    }
}
