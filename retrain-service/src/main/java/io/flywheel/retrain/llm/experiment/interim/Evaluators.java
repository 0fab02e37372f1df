package io.flywheel.retrain.llm.experiment.interim;

import io.flywheel.llm.eval.EvalCase;
import io.flywheel.llm.eval.EvalScore;
import io.flywheel.llm.eval.Evaluator;
import io.flywheel.llm.eval.chat.ChatClient;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** INTERIM stand-in for llm-eval's Evaluators (see package-info): exact_match and regex only. */
public final class Evaluators {

    private Evaluators() {
    }

    public static Evaluator create(EvaluatorSpec spec, ChatClient judgeClient) {
        if (spec == null || spec.type() == null) {
            throw new IllegalArgumentException("an evaluator needs a type");
        }
        String name = spec.scoreName();
        return switch (spec.type()) {
            case "exact_match" -> evaluator(name, c -> EvalScore.bool(name, c.expectedOutput() != null
                    && c.expectedOutput().strip().equals(c.output() == null ? null : c.output().strip()), null));
            case "regex" -> {
                Object p = spec.params().get("pattern");
                if (!(p instanceof String pattern)) {
                    throw new IllegalArgumentException("regex needs params.pattern, a string");
                }
                Pattern compiled;
                try {
                    compiled = Pattern.compile(pattern);
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException("regex: params.pattern does not compile: " + e.getDescription());
                }
                yield evaluator(name, c -> EvalScore.bool(name, c.output() != null && compiled.matcher(c.output()).find(), null));
            }
            default -> throw new IllegalArgumentException("unknown evaluator type '" + spec.type() + "'");
        };
    }

    private static Evaluator evaluator(String name, java.util.function.Function<EvalCase, EvalScore> f) {
        return new Evaluator() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public EvalScore evaluate(EvalCase evalCase) {
                return f.apply(evalCase);
            }
        };
    }
}
