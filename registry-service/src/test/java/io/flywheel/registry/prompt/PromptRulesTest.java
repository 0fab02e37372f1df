package io.flywheel.registry.prompt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PromptRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"summarizer", "team-a/summarizer v2", "a/b/c", "Ünïcode name", "x.y"})
    void namesWithFoldersAreTaken(String name) {
        assertThat(PromptRules.nameRefusal(name)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a|b", "new", "metrics", "prompt-detail", "/a", "a/", "a//b", "a/../b", "./a", "a/versions",
            "labels/x", "x/compile", "a;b", "a\\b", "a\nb"})
    void namesThatCantBeReadBackAreRefused(String name) {
        assertThat(PromptRules.nameRefusal(name)).isPresent();
    }

    @Test
    void aNameHasAtMost255Characters() {
        assertThat(PromptRules.nameRefusal("a".repeat(255))).isEmpty();
        assertThat(PromptRules.nameRefusal("a".repeat(256))).hasValueSatisfying(why -> assertThat(why).contains("255"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"production", "staging", "prod-a", "v1.2_x", "a"})
    void labelsAsLangfuseTakesThem(String label) {
        assertThat(PromptRules.labelRefusal(label)).isEmpty();
    }

    @Test
    void latestUpperCaseAndLongLabelsAreRefused() {
        assertThat(PromptRules.labelRefusal("latest")).hasValueSatisfying(why -> assertThat(why).contains("derived"));
        assertThat(PromptRules.labelRefusal("Production")).isPresent();
        assertThat(PromptRules.labelRefusal("a b")).isPresent();
        assertThat(PromptRules.labelRefusal("..")).isPresent();
        assertThat(PromptRules.labelRefusal("a".repeat(37))).isPresent();
        assertThat(PromptRules.labelRefusal("a".repeat(36))).isEmpty();
        assertThat(PromptRules.labelsRefusal(List.of("staging", "latest"))).isPresent();
    }

    @Test
    void chatContentIsNormalisedAndSdkTypesDropped() {
        PromptContent content = PromptRules.content("chat", List.of(
                Map.of("role", "system", "content", "You are {{role}}", "type", "chatmessage"),
                Map.of("type", "placeholder", "name", "history"),
                Map.of("role", "user", "content", "{{q}}")));
        assertThat(content.messages()).containsExactly(
                Map.of("role", "system", "content", "You are {{role}}"),
                Map.of("type", "placeholder", "name", "history"),
                Map.of("role", "user", "content", "{{q}}"));
    }

    @Test
    void aNulCharacterAnywhereIsRefused() {
        assertThat(PromptRules.nulRefusal("prompt", "a\u0000b")).isPresent();
        assertThat(PromptRules.nulRefusal("config", Map.of("k\u0000", 1))).isPresent();
        assertThat(PromptRules.nulRefusal("prompt", List.of(Map.of("role", "user", "content", List.of("x\u0000"))))).isPresent();
        assertThat(PromptRules.nulRefusal("prompt", List.of(Map.of("role", "user", "content", "fine")))).isEmpty();
        assertThat(PromptRules.nulRefusal("config", null)).isEmpty();
    }

    @Test
    void contentMustFitItsType() {
        assertThat(PromptRules.content("text", "Hi {{name}}").value()).isEqualTo("Hi {{name}}");
        assertThatThrownBy(() -> PromptRules.content("text", List.of())).hasMessageContaining("type 'chat'");
        assertThatThrownBy(() -> PromptRules.content("chat", "hi")).hasMessageContaining("list of messages");
        assertThatThrownBy(() -> PromptRules.content("chat", List.of(Map.of("content", "x")))).hasMessageContaining("prompt[0] needs a role");
        assertThatThrownBy(() -> PromptRules.content("chat", List.of(Map.of("type", "placeholder")))).hasMessageContaining("without a name");
        assertThatThrownBy(() -> PromptRules.content("image", "x")).hasMessageContaining("'text' or 'chat'");
    }
}
