package io.flywheel.registry.prompt;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PromptTemplateTest {

    @Test
    void variablesAreFilledUnescapedAndMissingOnesStay() {
        var compiled = PromptTemplate.compile(PromptContent.text("Dear {{name}}, {{ greeting }}! {{unknown}} <{{name}}>"),
                Map.of("name", "A & B", "greeting", "$1 \\ hello"), null);
        assertThat(compiled.prompt()).isEqualTo("Dear A & B, $1 \\ hello! {{unknown}} <A & B>");
        assertThat(compiled.missingVariables()).containsExactly("unknown");
    }

    @Test
    void numbersAndBooleansAreWrittenAsText() {
        assertThat(PromptTemplate.compile(PromptContent.text("{{n}} {{b}}"), Map.of("n", 3, "b", true), null).prompt()).isEqualTo("3 true");
    }

    @Test
    void chatMessagesAreFilledAndPlaceholdersReplacedByTheirMessages() {
        PromptContent chat = PromptContent.chat(List.of(
                Map.of("role", "system", "content", "You help with {{topic}}."),
                Map.of("type", "placeholder", "name", "history"),
                Map.of("type", "placeholder", "name", "examples"),
                Map.of("role", "user", "content", "{{question}}")));
        var compiled = PromptTemplate.compile(chat, Map.of("topic", "billing", "question", "Why?"),
                Map.of("history", List.of(Map.of("role", "user", "content", "hi"), Map.of("role", "assistant", "content", "hello"))));
        assertThat(compiled.prompt()).isEqualTo(List.of(
                Map.of("role", "system", "content", "You help with billing."),
                Map.of("role", "user", "content", "hi"),
                Map.of("role", "assistant", "content", "hello"),
                Map.of("type", "placeholder", "name", "examples"),
                Map.of("role", "user", "content", "Why?")));
        assertThat(compiled.missingVariables()).isEmpty();
        assertThat(compiled.missingPlaceholders()).containsExactly("examples");
    }

    @Test
    void theVariablesOfATemplateInOrder() {
        assertThat(PromptTemplate.variables("{{b}} {{a}} {{ b }}")).containsExactly("b", "a");
    }
}
