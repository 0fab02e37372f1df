package io.flywheel.monitor.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every statistic of every case of golden.json (make_golden.py, numpy 2.4.6 / scipy 1.17.1), with
 * the tolerances the file states: statistics to 1e-9 relative (1e-12 absolute near 0), p-values to
 * 1e-4 absolute.
 */
class GoldenCasesTest {

    private static final JsonNode GOLDEN = load();

    private static JsonNode load() {
        try (InputStream in = GoldenCasesTest.class.getResourceAsStream("/drift/golden.json")) {
            if (in == null) {
                throw new IllegalStateException("drift/golden.json is missing from the test resources");
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<Arguments> expectedStatistics() {
        List<Arguments> args = new ArrayList<>();
        for (JsonNode c : GOLDEN.get("cases")) {
            Iterator<Map.Entry<String, JsonNode>> it = c.get("expected").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                args.add(Arguments.of(c.get("name").asText(), e.getKey(), e.getValue().asDouble()));
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("expectedStatistics")
    void matchesGolden(String caseName, String statistic, double expected) {
        JsonNode c = findCase(caseName);
        double actual = compute(c, statistic);
        JsonNode tol = GOLDEN.get("tolerance");
        if (statistic.endsWith("_pvalue")) {
            assertEquals(expected, actual, tol.get("pvalue_absolute").asDouble(), caseName + " " + statistic);
        } else {
            double allowed = Math.max(tol.get("relative").asDouble() * Math.abs(expected), tol.get("absolute").asDouble());
            assertEquals(expected, actual, allowed, caseName + " " + statistic);
        }
    }

    @Test
    void goldenFileHasNumericAndCategoricalCases() {
        int numeric = 0;
        int categorical = 0;
        for (JsonNode c : GOLDEN.get("cases")) {
            if (c.get("kind").asText().equals("numeric")) {
                numeric++;
            } else {
                categorical++;
            }
        }
        assertEquals(7, numeric);
        assertEquals(3, categorical);
        assertEquals(54, expectedStatistics().count(), "7 numeric cases x 6 + 3 categorical x 4");
    }

    @Test
    void exactKsStatisticIsReproducedBitForBit() {
        // scipy reports the exact-method statistic as h / lcm; the same double must come out
        for (JsonNode c : GOLDEN.get("cases")) {
            if (c.get("kind").asText().equals("numeric")) {
                KsResult r = KolmogorovSmirnov.test(numbers(c.get("reference")), numbers(c.get("current")));
                assertEquals(c.get("expected").get("ks_statistic").asDouble(), r.statistic(), 0.0, c.get("name").asText());
                assertEquals(KsResult.Method.EXACT, r.method());
            }
        }
    }

    static JsonNode findCase(String name) {
        for (JsonNode c : GOLDEN.get("cases")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no golden case " + name);
    }

    static List<JsonNode> numericCases() {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode c : GOLDEN.get("cases")) {
            if (c.get("kind").asText().equals("numeric")) {
                out.add(c);
            }
        }
        return out;
    }

    static double[] numbers(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>(array.size());
        for (JsonNode n : array) {
            out.add(n.asText());
        }
        return out;
    }

    /** The statistic as make_golden.py defines it, computed with the library. */
    private static double compute(JsonNode c, String statistic) {
        if (c.get("kind").asText().equals("numeric")) {
            double[] ref = numbers(c.get("reference"));
            double[] cur = numbers(c.get("current"));
            QuantileBins deciles = QuantileBins.fromReference(ref, 10);
            return switch (statistic) {
                case "ks_statistic" -> KolmogorovSmirnov.test(ref, cur).statistic();
                case "ks_pvalue" -> KolmogorovSmirnov.test(ref, cur).pValue();
                case "wasserstein" -> Wasserstein.distance(ref, cur);
                case "wasserstein_norm" -> Wasserstein.normalised(ref, cur);
                case "psi" -> Psi.of(deciles.histogram(ref), deciles.histogram(cur));
                case "js" -> JensenShannon.binned(deciles.histogram(ref), deciles.histogram(cur));
                default -> fail("golden numeric statistic '" + statistic + "' is not mapped to the library");
            };
        }
        List<String> ref = strings(c.get("reference"));
        List<String> cur = strings(c.get("current"));
        CategoryDictionary referenceCategories = CategoryDictionary.fromReference(ref);
        CategoryDictionary union = CategoryDictionary.fromUnion(ref, cur);
        return switch (statistic) {
            case "chi2_statistic" -> ChiSquare.test(referenceCategories, referenceCategories.histogram(ref),
                referenceCategories.histogram(cur)).statistic();
            case "chi2_pvalue" -> ChiSquare.test(referenceCategories, referenceCategories.histogram(ref),
                referenceCategories.histogram(cur)).pValue();
            case "psi" -> {
                CategoryDictionary.AlignedCounts counts = union.aligned(union.histogram(ref), union.histogram(cur));
                yield Psi.of(counts.reference(), counts.current());
            }
            case "js" -> {
                CategoryDictionary.AlignedCounts counts = union.aligned(union.histogram(ref), union.histogram(cur));
                yield JensenShannon.binned(counts.reference(), counts.current());
            }
            default -> fail("golden categorical statistic '" + statistic + "' is not mapped to the library");
        };
    }

    @Test
    void unionDictionaryOfTheNewCategoryCaseHasAnUnseenCategory() {
        JsonNode c = findCase("cat-new-category");
        List<String> ref = strings(c.get("reference"));
        List<String> cur = strings(c.get("current"));
        CategoryDictionary dict = CategoryDictionary.fromReference(ref);
        double share = UnseenShare.of(dict, dict.histogram(cur));
        assertTrue(share > 0.05 && share < 0.2, "about 10% of the current values are 'e': " + share);
        assertEquals(UnseenShare.of(ref, cur), share, 0.0);
        assertFalse(dict.categories().contains("e"));
    }
}
