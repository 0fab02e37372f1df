package io.flywheel.llm.eval;

import java.util.regex.Pattern;

/** The output matches a regular expression: somewhere in it, or all of it with {@code full_match}. */
record RegexMatch(String name, Pattern pattern, boolean fullMatch) implements Evaluator {

    @Override
    public EvalScore evaluate(EvalCase evalCase) {
        String output = Cases.output(evalCase);
        boolean matches = fullMatch ? pattern.matcher(output).matches() : pattern.matcher(output).find();
        return EvalScore.bool(name, matches, (matches ? "matches " : "does not match ") + "/" + pattern.pattern() + "/"
                + (fullMatch ? " (whole output)" : ""));
    }
}
