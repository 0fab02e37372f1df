package io.flywheel.monitor.llm.online;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GenerationTextTest {

    @Test
    void readsStringsMessagesAndConversations() {
        assertThat(GenerationText.of(null)).isNull();
        assertThat(GenerationText.of("42")).isEqualTo("42");
        assertThat(GenerationText.of(Map.of("role", "assistant", "content", "Paris"))).isEqualTo("Paris");
        assertThat(GenerationText.of(List.of(Map.of("role", "system", "content", "Be brief."), Map.of("role", "user", "content", "2+2?"))))
                .isEqualTo("system: Be brief.\nuser: 2+2?");
        assertThat(GenerationText.of(Map.of("answer", 4))).isEqualTo("{\"answer\":4}");
        assertThat(GenerationText.of(List.of(1, 2))).isEqualTo("[1,2]");
    }
}
