package io.flywheel.llm.eval;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.flywheel.llm.eval.Specs.evaluator;
import static io.flywheel.llm.eval.Specs.output;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonSchemaValidityTest {

    private static final Map<String, Object> ANSWER_SCHEMA = Map.of(
            "type", "object",
            "required", List.of("answer", "confidence"),
            "properties", Map.of(
                    "answer", Map.of("type", "string"),
                    "confidence", Map.of("type", "number", "minimum", 0, "maximum", 1)),
            "additionalProperties", false);

    @Test
    void withoutASchemaAnyJsonPasses() {
        Evaluator e = evaluator("json_schema");
        assertThat(e.evaluate(output("{\"a\": [1, 2]}", null)).value()).isEqualTo(1);
        assertThat(e.evaluate(output("42", null)).value()).isEqualTo(1);
        EvalScore prose = e.evaluate(output("Sure! {\"a\": 1}", null));
        assertThat(prose.value()).isZero();
        assertThat(prose.comment()).startsWith("not valid JSON");
    }

    @Test
    void aSchemaOfNullIsJustValidJson() {
        Evaluator e = Evaluators.create(new EvaluatorSpec("json_schema", null, Specs.params("schema", null)), null);
        assertThat(e.evaluate(output("[]", null)).value()).isEqualTo(1);
    }

    @Test
    void trailingTextOrAnEmptyOutputIsNotJson() {
        Evaluator e = evaluator("json_schema");
        assertThat(e.evaluate(output("{\"a\": 1} and more", null)).value()).isZero();
        EvalScore empty = e.evaluate(output("   ", null));
        assertThat(empty.value()).isZero();
        assertThat(empty.comment()).isEqualTo("not valid JSON: the output is empty");
        assertThat(e.evaluate(output(null, null)).value()).isZero();
    }

    @Test
    void validatesAgainstTheSchemaAndSaysWhatIsWrong() {
        Evaluator e = evaluator("json_schema", "schema", ANSWER_SCHEMA);
        assertThat(e.evaluate(output("{\"answer\": \"Paris\", \"confidence\": 0.9}", null)).value()).isEqualTo(1);

        EvalScore bad = e.evaluate(output("{\"answer\": 7, \"confidence\": 1.5, \"extra\": true}", null));
        assertThat(bad.value()).isZero();
        assertThat(bad.comment()).startsWith("3 schema violation(s)").contains("answer").contains("confidence").contains("extra");

        EvalScore missing = e.evaluate(output("{\"answer\": \"Paris\"}", null));
        assertThat(missing.value()).isZero();
        assertThat(missing.comment()).contains("confidence");
    }

    @Test
    void readsInsideOneMarkdownCodeFenceUnlessToldNot() {
        String fenced = "```json\n{\"answer\": \"Paris\", \"confidence\": 1}\n```";
        assertThat(evaluator("json_schema", "schema", ANSWER_SCHEMA).evaluate(output(fenced, null)).value()).isEqualTo(1);
        assertThat(evaluator("json_schema", "schema", ANSWER_SCHEMA, "strip_code_fence", false).evaluate(output(fenced, null)).value())
                .isZero();
    }

    @Test
    void aSchemaThatIsNotAnObjectOrCannotWorkIsRefused() {
        assertThatThrownBy(() -> evaluator("json_schema", "schema", "object"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'schema' must be a JSON object");
        assertThatThrownBy(() -> evaluator("json_schema", "schema", Map.of("$ref", "#/$defs/missing")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'schema' is not a usable JSON Schema");
    }
}
