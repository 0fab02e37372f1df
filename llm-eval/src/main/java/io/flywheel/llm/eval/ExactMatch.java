package io.flywheel.llm.eval;

/** The output equals the expected output (trimmed unless {@code trim} is false; case-sensitive unless told not). */
record ExactMatch(String name, boolean caseSensitive, boolean trim) implements Evaluator {

    @Override
    public EvalScore evaluate(EvalCase evalCase) {
        String expected = Cases.expected(evalCase, name);
        String output = Cases.output(evalCase);
        if (trim) {
            expected = expected.strip();
            output = output.strip();
        }
        boolean equal = caseSensitive ? output.equals(expected) : output.equalsIgnoreCase(expected);
        return EvalScore.bool(name, equal, equal ? "equals the expected output"
                : "expected " + Cases.quote(expected) + ", got " + Cases.quote(output));
    }
}
