package io.flywheel.monitor.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class DriftPolicyTest {

    private final DriftPolicy defaults = DriftPolicy.defaults();

    @Test
    void defaultTestIsEvidentlysChoice() {
        assertEquals(DriftTest.KS, DriftPolicy.defaultTest(FeatureKind.NUMERIC, 1000, 500));
        assertEquals(DriftTest.WASSERSTEIN_NORM, DriftPolicy.defaultTest(FeatureKind.NUMERIC, 1001, 500));
        assertEquals(DriftTest.CHI2, DriftPolicy.defaultTest(FeatureKind.CATEGORICAL, 1000, 3));
        assertEquals(DriftTest.Z, DriftPolicy.defaultTest(FeatureKind.CATEGORICAL, 1000, 2));
        assertEquals(DriftTest.JS, DriftPolicy.defaultTest(FeatureKind.CATEGORICAL, 1001, 2));
        assertEquals(DriftTest.JS, DriftPolicy.defaultTest(FeatureKind.CATEGORICAL, 50_000, 40));
        // low-cardinality numeric features are tested as categories
        assertEquals(DriftTest.CHI2, DriftPolicy.defaultTest(FeatureKind.NUMERIC, 800, 5));
        assertEquals(DriftTest.Z, DriftPolicy.defaultTest(FeatureKind.NUMERIC, 800, 2));
        assertEquals(DriftTest.KS, DriftPolicy.defaultTest(FeatureKind.NUMERIC, 800, 6));
        assertEquals(DriftTest.JS, DriftPolicy.defaultTest(FeatureKind.NUMERIC, 5000, 5));
    }

    @Test
    void everyTestHasItsDefaultThresholdAndDirection() {
        Map<String, Double> expected = Map.of("ks", 0.05, "chi2", 0.05, "z", 0.05, "wasserstein", 0.1,
            "wasserstein_norm", 0.1, "psi", 0.1, "js", 0.1, "hellinger", 0.1, "unseen_share", 0.1);
        assertEquals(expected.size(), DriftTest.values().length);
        for (DriftTest t : DriftTest.values()) {
            assertEquals(expected.get(t.id()), defaults.threshold(t), t.id());
            assertEquals(t, DriftTest.fromId(t.id().toUpperCase()));
            boolean pValueTest = t == DriftTest.KS || t == DriftTest.CHI2 || t == DriftTest.Z;
            assertEquals(pValueTest, t.usesPValue(), t.id());
        }
    }

    @Test
    void pValueTestsDriftBelowTheThresholdAndDistancesAtOrAbove() {
        assertTrue(defaults.decide(DriftTest.KS, 0.3, OptionalDouble.of(0.049)).drift());
        assertFalse(defaults.decide(DriftTest.KS, 0.3, OptionalDouble.of(0.05)).drift(), "p = threshold is no drift");
        assertTrue(defaults.decide(DriftTest.JS, 0.1, OptionalDouble.empty()).drift(), "distance = threshold is drift");
        assertFalse(defaults.decide(DriftTest.PSI, 0.0999, OptionalDouble.empty()).drift());
        DriftTestResult r = defaults.decide(DriftTest.CHI2, 12.5, OptionalDouble.of(0.01));
        assertEquals(new DriftTestResult("chi2", 12.5, OptionalDouble.of(0.01), 0.05, true), r);
        assertThrows(IllegalArgumentException.class, () -> defaults.decide(DriftTest.KS, 0.3, OptionalDouble.empty()));
    }

    @Test
    void thresholdsAreOverridable() {
        DriftPolicy strict = defaults.withThreshold(DriftTest.KS, 0.01).withThreshold(DriftTest.PSI, 0.25);
        assertFalse(strict.decide(DriftTest.KS, 0.3, OptionalDouble.of(0.02)).drift());
        assertFalse(strict.decide(DriftTest.PSI, 0.2, OptionalDouble.empty()).drift());
        assertEquals(0.05, defaults.threshold(DriftTest.KS), "the original policy is unchanged");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> defaults.withThreshold(DriftTest.KS, 1.5));
        assertTrue(e.getMessage().contains("significance level"), e.getMessage());
    }

    @Test
    void datasetDriftUsesTheShareOfDriftedFeatures() {
        Map<String, DriftTestResult> results = new LinkedHashMap<>();
        results.put("age", defaults.decide(DriftTest.KS, 0.2, OptionalDouble.of(0.001)));
        results.put("income", defaults.decide(DriftTest.WASSERSTEIN_NORM, 0.05, OptionalDouble.empty()));
        results.put("country", defaults.decide(DriftTest.JS, 0.2, OptionalDouble.empty()));
        results.put("device", defaults.decide(DriftTest.CHI2, 1.0, OptionalDouble.of(0.6)));
        DatasetDrift half = defaults.datasetDrift(results);
        assertEquals(2, half.driftedCount());
        assertEquals(0.5, half.driftedShare(), 0.0);
        assertTrue(half.drift(), "0.5 >= default share 0.5");
        assertEquals(List.of("age", "income", "country", "device"), half.features().stream().map(FeatureDrift::feature).toList());
        assertFalse(defaults.withDatasetDriftShare(0.75).datasetDrift(results).drift());
    }

    @Test
    void correctionsAdjustPValueTestsOnly() {
        Map<String, DriftTestResult> results = new LinkedHashMap<>();
        results.put("a", defaults.decide(DriftTest.KS, 0.1, OptionalDouble.of(0.02)));
        results.put("b", defaults.decide(DriftTest.KS, 0.1, OptionalDouble.of(0.03)));
        results.put("c", defaults.decide(DriftTest.CHI2, 3.0, OptionalDouble.of(0.5)));
        results.put("d", defaults.decide(DriftTest.JS, 0.3, OptionalDouble.empty()));
        DatasetDrift none = defaults.datasetDrift(results);
        assertEquals(3, none.driftedCount());
        DatasetDrift bonferroni = defaults.withCorrection(DriftPolicy.Correction.BONFERRONI).datasetDrift(results);
        assertEquals(1, bonferroni.driftedCount(), "0.06 and 0.09 are no longer below 0.05; js still drifts");
        assertEquals(0.06, bonferroni.features().get(0).adjustedPValue().getAsDouble(), 1e-15);
        assertTrue(bonferroni.features().get(3).adjustedPValue().isEmpty());
        DatasetDrift bh = defaults.withCorrection(DriftPolicy.Correction.BENJAMINI_HOCHBERG).datasetDrift(results);
        assertEquals(0.045, bh.features().get(0).adjustedPValue().getAsDouble(), 1e-15);
        assertEquals(0.045, bh.features().get(1).adjustedPValue().getAsDouble(), 1e-15);
        assertEquals(3, bh.driftedCount());
    }

    @Test
    void runnerChoosesAndRunsTheDefaultTest() {
        JsonNode small = GoldenCasesTest.findCase("shifted-normal-small");
        DriftTestResult ks = DriftTests.numeric(GoldenCasesTest.numbers(small.get("reference")),
            GoldenCasesTest.numbers(small.get("current")), defaults);
        assertEquals("ks", ks.testName());
        assertEquals(small.get("expected").get("ks_pvalue").asDouble(), ks.pValue().getAsDouble(), 1e-4);
        assertTrue(ks.drift(), "p = 0.046 < 0.05");

        JsonNode large = GoldenCasesTest.findCase("scaled-large");
        DriftTestResult w = DriftTests.numeric(GoldenCasesTest.numbers(large.get("reference")),
            GoldenCasesTest.numbers(large.get("current")), defaults);
        assertEquals("wasserstein_norm", w.testName());
        assertEquals(large.get("expected").get("wasserstein_norm").asDouble(), w.statistic(), 1e-9);
        assertTrue(w.drift());

        JsonNode cat = GoldenCasesTest.findCase("cat-shift");
        DriftTestResult chi = DriftTests.categorical(GoldenCasesTest.strings(cat.get("reference")),
            GoldenCasesTest.strings(cat.get("current")), defaults);
        assertEquals("chi2", chi.testName());
        assertTrue(chi.drift());
        DriftTestResult js = DriftTests.categorical(DriftTest.JS, GoldenCasesTest.strings(cat.get("reference")),
            GoldenCasesTest.strings(cat.get("current")), defaults);
        assertEquals(cat.get("expected").get("js").asDouble(), js.statistic(), 1e-12);

        DriftTestResult z = DriftTests.categorical(List.of("y", "n", "n", "y"), List.of("y", "y", "y", "n"), defaults);
        assertEquals("z", z.testName());
        DriftTestResult lowCardinality = DriftTests.numeric(new double[] {0, 1, 2, 0, 1, 2}, new double[] {0, 0, 0, 2}, defaults);
        assertEquals("chi2", lowCardinality.testName());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> DriftTests.categorical(DriftTest.KS, List.of("a"), List.of("b"), defaults));
        assertEquals("test 'ks' needs a numeric feature", e.getMessage());
    }
}
