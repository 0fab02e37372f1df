package io.flywheel.retrain.llm.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.llm.eval.chat.ChatMessage;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PromptTemplateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    @Test
    void anObjectInputFillsVariablesByKeyAndLeavesUnknownOnesAsTheyAre() throws Exception {
        PromptTemplate t = new PromptTemplate("text", json("\"Translate {{ text }} to {{lang}} ({{missing}}), n={{n}}\""), null);
        assertThat(t.compile(json("{\"text\": \"hi\", \"lang\": \"fr\", \"n\": {\"a\": 1}}")))
                .containsExactly(ChatMessage.user("Translate hi to fr ({{missing}}), n={\"a\":1}"));
    }

    @Test
    void aStringOrOtherInputIsTheVariableInput() throws Exception {
        PromptTemplate t = new PromptTemplate("text", json("\"Q: {{input}}\""), null);
        assertThat(t.compile(json("\"what $1 costs\""))).containsExactly(ChatMessage.user("Q: what $1 costs"));
        assertThat(t.compile(json("[1, 2]"))).containsExactly(ChatMessage.user("Q: [1,2]"));
        assertThat(t.compile(null)).containsExactly(ChatMessage.user("Q: {{input}}"));
    }

    @Test
    void aChatPromptKeepsRolesAndExpandsPlaceholders() throws Exception {
        PromptTemplate t = new PromptTemplate("chat", json("[{\"role\": \"system\", \"content\": \"You are {{persona}}.\"},"
                + "{\"type\": \"placeholder\", \"name\": \"history\"}, {\"role\": \"user\", \"content\": \"{{question}}\"}]"), null);
        List<ChatMessage> messages = t.compile(json("{\"persona\": \"terse\", \"question\": \"why?\", "
                + "\"history\": [{\"role\": \"user\", \"content\": \"hi\"}, {\"role\": \"assistant\", \"content\": \"hello\"}]}"));
        assertThat(messages).containsExactly(ChatMessage.system("You are terse."), ChatMessage.user("hi"), ChatMessage.assistant("hello"),
                ChatMessage.user("why?"));
        assertThatThrownBy(() -> t.compile(json("{\"question\": \"why?\"}"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("placeholder 'history'");
    }

    @Test
    void theConfigGivesTheModelAndOnlyChatParameters() throws Exception {
        PromptTemplate t = new PromptTemplate("text", json("\"x\""), json("{\"model\": \"gpt-x\", \"temperature\": 0.2, \"max_tokens\": 50, \"team\": \"a\"}"));
        assertThat(t.model()).isEqualTo("gpt-x");
        assertThat(t.parameters()).isEqualTo(Map.of("temperature", 0.2, "max_tokens", 50));
        assertThat(new PromptTemplate("text", json("\"x\""), null).model()).isNull();
    }

    @Test
    void aMalformedPromptSaysWhatToFix() throws Exception {
        assertThatThrownBy(() -> new PromptTemplate("html", json("\"x\""), null)).hasMessageContaining("'text' or 'chat'");
        assertThatThrownBy(() -> new PromptTemplate("text", json("[]"), null)).hasMessageContaining("string");
        assertThatThrownBy(() -> new PromptTemplate("chat", json("[{\"role\": \"user\"}]"), null)).hasMessageContaining("role");
        assertThatThrownBy(() -> new PromptTemplate("text", json("\"x\""), json("[1]"))).hasMessageContaining("config");
    }
}
