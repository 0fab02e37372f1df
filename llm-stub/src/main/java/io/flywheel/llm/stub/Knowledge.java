package io.flywheel.llm.stub;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the stub "knows": a few facts, and arithmetic on two numbers. A question is looked up by the
 * first fact whose pattern it contains, else by its first "a op b" (op one of + - * x / ×).
 * llm-stub/README.md lists the facts.
 */
final class Knowledge {

    record Fact(Pattern question, String answer) {
        static Fact of(String regex, String answer) {
            return new Fact(Pattern.compile(regex, Pattern.CASE_INSENSITIVE), answer);
        }
    }

    static final List<Fact> FACTS = List.of(
            Fact.of("capital of france", "Paris"),
            Fact.of("capital of germany", "Berlin"),
            Fact.of("capital of italy", "Rome"),
            Fact.of("capital of spain", "Madrid"),
            Fact.of("capital of japan", "Tokyo"),
            Fact.of("capital of canada", "Ottawa"),
            Fact.of("capital of australia", "Canberra"),
            Fact.of("largest planet", "Jupiter"),
            Fact.of("red planet", "Mars"),
            Fact.of("chemical symbol for gold", "Au"),
            Fact.of("wrote hamlet|author of hamlet", "Shakespeare"),
            Fact.of("boiling point of water", "100"),
            Fact.of("how many days (are there )?in a (non-leap )?year", "365"),
            Fact.of("how many continents", "7"));

    private static final Pattern ARITHMETIC = Pattern.compile("(-?\\d+(?:\\.\\d+)?)\\s*([-+*/x×])\\s*(-?\\d+(?:\\.\\d+)?)");

    private Knowledge() {
    }

    static Optional<String> answer(String question) {
        for (Fact fact : FACTS) {
            if (fact.question().matcher(question).find()) {
                return Optional.of(fact.answer());
            }
        }
        Matcher m = ARITHMETIC.matcher(question);
        if (m.find()) {
            BigDecimal a = new BigDecimal(m.group(1));
            BigDecimal b = new BigDecimal(m.group(3));
            BigDecimal result = switch (m.group(2)) {
                case "+" -> a.add(b);
                case "-" -> a.subtract(b);
                case "/" -> b.signum() == 0 ? null : a.divide(b, MathContext.DECIMAL64);
                default -> a.multiply(b);
            };
            return Optional.ofNullable(result).map(Knowledge::plain);
        }
        return Optional.empty();
    }

    /** 12, 2.5, 0.3333333333333333: no exponent, no trailing zeros. */
    private static String plain(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return (stripped.scale() < 0 ? stripped.setScale(0) : stripped).toPlainString();
    }
}
