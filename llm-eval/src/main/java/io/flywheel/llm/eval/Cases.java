package io.flywheel.llm.eval;

/** What evaluators share about a case: its expected output when they need one, and short quotes for comments. */
final class Cases {

    private static final int QUOTE = 80;

    private Cases() {
    }

    static String expected(EvalCase evalCase, String evaluator) {
        if (evalCase.expectedOutput() == null) {
            throw new EvaluationException(evaluator + " compares the output with the item's expected output, and this item has none");
        }
        return evalCase.expectedOutput();
    }

    static String output(EvalCase evalCase) {
        return evalCase.output() == null ? "" : evalCase.output();
    }

    static String quote(String text) {
        String t = text == null ? "" : text.replace("\n", "\\n");
        return "\"" + (t.length() <= QUOTE ? t : t.substring(0, QUOTE) + "...") + "\"";
    }

    static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }
}
