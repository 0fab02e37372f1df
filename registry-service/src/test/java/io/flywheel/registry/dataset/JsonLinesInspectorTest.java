package io.flywheel.registry.dataset;

import io.flywheel.registry.ColumnSchema;
import io.flywheel.registry.MalformedDatasetException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonLinesInspectorTest {

    private static DatasetProfile inspect(String jsonl, int chunk) {
        byte[] bytes = jsonl.getBytes(StandardCharsets.UTF_8);
        JsonLinesInspector inspector = new JsonLinesInspector(1 << 20, 1000);
        for (int i = 0; i < bytes.length; i += chunk) {
            inspector.update(bytes, i, Math.min(chunk, bytes.length - i));
        }
        inspector.finish();
        return inspector.profile();
    }

    private static DatasetProfile inspect(String jsonl) {
        return inspect(jsonl, Integer.MAX_VALUE);
    }

    @Test
    void columnsAreTheUnionOfKeysWithWidenedTypes() {
        DatasetProfile profile = inspect("""
                {"age": 42, "income": 1200, "plan": "pro", "active": true}
                {"age": 37, "income": 980.5, "plan": "basic", "active": false, "extra": [1, 2]}

                {"age": 29, "income": 1000, "plan": null, "active": true}
                """);
        assertThat(profile.rows()).isEqualTo(3);
        assertThat(profile.columns()).containsExactly(
                new ColumnSchema("age", "integer", false),
                new ColumnSchema("income", "number", false),
                new ColumnSchema("plan", "string", true),
                new ColumnSchema("active", "boolean", false),
                new ColumnSchema("extra", "string", true));
    }

    @Test
    void crlfAndAMissingFinalLineEndAreFine() {
        DatasetProfile profile = inspect("{\"a\": 1}\r\n{\"a\": 2}", 3);
        assertThat(profile.rows()).isEqualTo(2);
        assertThat(profile.columns()).containsExactly(new ColumnSchema("a", "integer", false));
    }

    @Test
    void invalidJsonIsRefusedNamingItsLine() {
        assertThatThrownBy(() -> inspect("{\"a\": 1}\n{\"a\": 2}\n{\"a\": }\n{\"a\": 4}\n", 5))
                .isInstanceOf(MalformedDatasetException.class)
                .hasMessageStartingWith("line 3: not valid JSON")
                .extracting(e -> ((MalformedDatasetException) e).line()).isEqualTo(3L);
    }

    @Test
    void aLineThatIsNotOneObjectIsRefused() {
        assertThatThrownBy(() -> inspect("{\"a\": 1}\n[1, 2]\n")).hasMessageStartingWith("line 2: not a JSON object");
        assertThatThrownBy(() -> inspect("{\"a\": 1} {\"a\": 2}\n")).hasMessageStartingWith("line 1: more than one JSON value");
        assertThatThrownBy(() -> inspect("{\"a\": 1, \"a\": 2}\n")).hasMessageStartingWith("line 1: not valid JSON");
    }

    @Test
    void nothingButBlankLinesIsRefused() {
        assertThatThrownBy(() -> inspect("\n \n")).hasMessageStartingWith("line 1: the body holds no JSON lines");
    }

    @Test
    void aLineLongerThanTheLimitIsRefused() {
        JsonLinesInspector inspector = new JsonLinesInspector(16, 10);
        byte[] bytes = "{\"a\": 1}\n{\"abcdefghijklmnop\": 1}\n".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> inspector.update(bytes, 0, bytes.length)).hasMessage("line 2: the line is longer than 16 bytes");
    }
}
