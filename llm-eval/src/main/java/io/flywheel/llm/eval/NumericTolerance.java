package io.flywheel.llm.eval;

import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The first number of the output is within tolerance of the first number of the expected output:
 * |output - expected| <= max(absolute, relative * |expected|); both 0 (the default) asks for equality.
 */
record NumericTolerance(String name, double absolute, double relative) implements Evaluator {

    /** 1,234.5 / -3 / 2.5e-3 / .5; a comma only as a thousands separator, so "3,4" is 3. */
    private static final Pattern NUMBER = Pattern.compile(
            "[-+]?(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?(?:[eE][-+]?\\d+)?|[-+]?\\.\\d+(?:[eE][-+]?\\d+)?");

    static OptionalDouble firstNumber(String text) {
        Matcher m = NUMBER.matcher(text == null ? "" : text);
        return m.find() ? OptionalDouble.of(Double.parseDouble(m.group().replace(",", ""))) : OptionalDouble.empty();
    }

    @Override
    public EvalScore evaluate(EvalCase evalCase) {
        String expectedText = Cases.expected(evalCase, name);
        OptionalDouble expected = firstNumber(expectedText);
        if (expected.isEmpty()) {
            throw new EvaluationException(name + " needs a number in the item's expected output, and "
                    + Cases.quote(expectedText) + " has none");
        }
        OptionalDouble actual = firstNumber(Cases.output(evalCase));
        if (actual.isEmpty()) {
            return EvalScore.bool(name, false, "no number in the output " + Cases.quote(Cases.output(evalCase)));
        }
        double e = expected.getAsDouble();
        double a = actual.getAsDouble();
        double difference = Math.abs(a - e);
        double allowed = Math.max(absolute, relative * Math.abs(e));
        boolean within = difference <= allowed;
        return EvalScore.bool(name, within, Cases.format(a) + (within ? " is within " : " is not within ")
                + Cases.format(allowed) + " of " + Cases.format(e) + " (off by " + Cases.format(difference) + ")");
    }
}
