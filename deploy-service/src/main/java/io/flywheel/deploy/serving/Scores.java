package io.flywheel.deploy.serving;

import java.util.List;
import java.util.Map;

/**
 * One request scored: the v2 outputs of the answer and, for each row, the inputs and the output the
 * prediction log records (inputs by feature name; a classification's probability and label, a
 * regression's value).
 */
public record Scores(int rows, List<InferResponse.Output> outputs, List<? extends Map<String, Object>> loggedInputs,
                     List<?> loggedOutputs) {
}
