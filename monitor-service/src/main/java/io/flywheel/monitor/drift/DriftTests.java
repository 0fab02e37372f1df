package io.flywheel.monitor.drift;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Runs a drift test on a feature's raw reference and current values and decides it with a
 * {@link DriftPolicy}. Missing values must be removed by the caller (NaN and null are rejected).
 *
 * <p>Numeric features: ks, wasserstein, wasserstein_norm, and on {@code policy.numericBins()}
 * reference-quantile bins psi, js, hellinger; chi2, z and unseen_share treat each distinct
 * number as a category. Categorical features: chi2 (reference categories only), z (at most two
 * categories in both samples together), psi, js and hellinger over the sorted union of categories
 * (as make_golden.py), unseen_share.
 */
public final class DriftTests {

    private DriftTests() {
    }

    /** The policy's default test for this numeric feature (Evidently's choice), run and decided. */
    public static DriftTestResult numeric(double[] reference, double[] current, DriftPolicy policy) {
        requireNumeric(reference, current);
        long distinct = distinctUpTo(reference, current, DriftPolicy.LOW_CARDINALITY + 1);
        return numeric(DriftPolicy.defaultTest(FeatureKind.NUMERIC, reference.length, distinct), reference, current,
            policy);
    }

    public static DriftTestResult numeric(DriftTest test, double[] reference, double[] current, DriftPolicy policy) {
        requireNumeric(reference, current);
        return switch (test) {
            case KS -> {
                KsResult ks = KolmogorovSmirnov.test(reference, current);
                yield policy.decide(test, ks.statistic(), OptionalDouble.of(ks.pValue()));
            }
            case WASSERSTEIN -> policy.decide(test, Wasserstein.distance(reference, current), OptionalDouble.empty());
            case WASSERSTEIN_NORM ->
                policy.decide(test, Wasserstein.normalised(reference, current), OptionalDouble.empty());
            case PSI, JS, HELLINGER -> {
                QuantileBins bins = QuantileBins.fromReference(reference, policy.numericBins());
                Histogram r = bins.histogram(reference);
                Histogram c = bins.histogram(current);
                double statistic = switch (test) {
                    case PSI -> Psi.of(r, c);
                    case JS -> JensenShannon.binned(r, c);
                    default -> Hellinger.distance(r, c);
                };
                yield policy.decide(test, statistic, OptionalDouble.empty());
            }
            case CHI2, Z, UNSEEN_SHARE -> categorical(test, asCategories(reference), asCategories(current), policy);
        };
    }

    /** The policy's default test for this categorical feature (Evidently's choice), run and decided. */
    public static DriftTestResult categorical(List<String> reference, List<String> current, DriftPolicy policy) {
        CategoryDictionary union = CategoryDictionary.fromUnion(requireValues(reference, "reference"),
            requireValues(current, "current"));
        return categorical(DriftPolicy.defaultTest(FeatureKind.CATEGORICAL, reference.size(), union.size()), reference,
            current, policy);
    }

    public static DriftTestResult categorical(DriftTest test, List<String> reference, List<String> current,
                                              DriftPolicy policy) {
        requireValues(reference, "reference");
        requireValues(current, "current");
        return switch (test) {
            case CHI2 -> {
                CategoryDictionary dict = CategoryDictionary.fromReference(reference);
                ChiSquareResult chi = ChiSquare.test(dict, dict.histogram(reference), dict.histogram(current));
                yield policy.decide(test, chi.statistic(), OptionalDouble.of(chi.pValue()));
            }
            case Z -> {
                CategoryDictionary union = CategoryDictionary.fromUnion(reference, current);
                if (union.size() > 2) {
                    throw new IllegalArgumentException("test 'z' compares two categories, but the samples have "
                        + union.size() + ": use chi2");
                }
                Histogram r = union.histogram(reference);
                Histogram c = union.histogram(current);
                ProportionZTest.Result z = ProportionZTest.test(r.count(0), r.total(), c.count(0), c.total());
                yield policy.decide(test, z.statistic(), OptionalDouble.of(z.pValue()));
            }
            case PSI, JS, HELLINGER -> {
                CategoryDictionary union = CategoryDictionary.fromUnion(reference, current);
                CategoryDictionary.AlignedCounts counts = union.aligned(union.histogram(reference),
                    union.histogram(current));
                double statistic = switch (test) {
                    case PSI -> Psi.of(counts.reference(), counts.current());
                    case JS -> JensenShannon.binned(counts.reference(), counts.current());
                    default -> Hellinger.distance(counts.reference(), counts.current());
                };
                yield policy.decide(test, statistic, OptionalDouble.empty());
            }
            case UNSEEN_SHARE -> policy.decide(test, UnseenShare.of(reference, current), OptionalDouble.empty());
            case KS, WASSERSTEIN, WASSERSTEIN_NORM -> throw new IllegalArgumentException("test '" + test.id()
                + "' needs a numeric feature");
        };
    }

    private static void requireNumeric(double[] reference, double[] current) {
        Checks.requireNonEmpty(reference, "reference sample");
        Checks.requireNonEmpty(current, "current sample");
        Checks.requireNoNaN(reference, "reference sample");
        Checks.requireNoNaN(current, "current sample");
    }

    private static List<String> requireValues(List<String> values, String what) {
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException(what + " categories are empty: at least one value is needed");
        }
        return values;
    }

    /** Distinct values of both samples together, counting stops at {@code cap}. */
    private static long distinctUpTo(double[] a, double[] b, long cap) {
        Set<Long> seen = new HashSet<>();
        for (double[] values : List.of(a, b)) {
            for (double v : values) {
                seen.add(SortedKeys.key(v));
                if (seen.size() >= cap) {
                    return seen.size();
                }
            }
        }
        return seen.size();
    }

    /** Each distinct number as a category; -0.0 and 0.0 are one category. */
    private static List<String> asCategories(double[] values) {
        List<String> out = new ArrayList<>(values.length);
        for (double v : values) {
            out.add(Double.toString(v + 0.0));
        }
        return out;
    }
}
