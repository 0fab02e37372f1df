package io.flywheel.llm.eval;

/**
 * How close the output is to the expected output, without embeddings: normalised Levenshtein or token
 * F1 ({@link Similarity}). A NUMERIC score in [0, 1], or with a threshold a BOOLEAN one (similarity >= threshold).
 */
record StringSimilarity(String name, Method method, boolean caseSensitive, Double threshold) implements Evaluator {

    enum Method {
        LEVENSHTEIN, TOKEN_F1
    }

    @Override
    public EvalScore evaluate(EvalCase evalCase) {
        String expected = Similarity.normalise(Cases.expected(evalCase, name), caseSensitive);
        String output = Similarity.normalise(Cases.output(evalCase), caseSensitive);
        double similarity = method == Method.LEVENSHTEIN ? Similarity.levenshtein(output, expected) : Similarity.tokenF1(output, expected);
        String described = method.name().toLowerCase(java.util.Locale.ROOT) + " similarity " + String.format(java.util.Locale.ROOT, "%.3f", similarity);
        if (threshold == null) {
            return EvalScore.numeric(name, similarity, described);
        }
        boolean passed = similarity >= threshold;
        return EvalScore.bool(name, passed, described + (passed ? " >= " : " < ") + "threshold " + threshold);
    }
}
