package io.flywheel.llm.eval;

import java.util.Map;

/**
 * What an evaluator judges: the input the prompt was run on, the output it produced, the expected
 * output when the dataset item has one (else null), and the item's metadata.
 */
public record EvalCase(String input, String output, String expectedOutput, Map<String, Object> metadata) {

    public EvalCase {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
