package io.flywheel.monitor.window;

import io.flywheel.monitor.drift.BinnedKs;
import io.flywheel.monitor.drift.BinnedKsResult;
import io.flywheel.monitor.drift.ChiSquare;
import io.flywheel.monitor.drift.ChiSquareResult;
import io.flywheel.monitor.drift.DriftPolicy;
import io.flywheel.monitor.drift.DriftTest;
import io.flywheel.monitor.drift.FeatureKind;
import io.flywheel.monitor.drift.Hellinger;
import io.flywheel.monitor.drift.JensenShannon;
import io.flywheel.monitor.drift.ProportionZTest;
import io.flywheel.monitor.drift.Psi;
import io.flywheel.monitor.drift.UnseenShare;
import io.flywheel.monitor.drift.Wasserstein;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Drift of a window against the reference, from bin counts alone: O(B) per feature, whatever the
 * number of events in the window.
 *
 * <ul>
 *   <li>ks: {@link BinnedKs}, the statistic at its lower bound with the guaranteed bracket
 *       [statistic_lower, statistic_upper] and scipy's p-value at the lower bound;</li>
 *   <li>psi, js, hellinger: exact for the binning (numeric: reference-quantile bins; categorical:
 *       the reference categories plus "other" when it has values);</li>
 *   <li>chi2: over the bins (categories) the reference has; unseen_share: the "other" bin;</li>
 *   <li>z: when exactly two bins hold the reference (two categories);</li>
 *   <li>wasserstein, wasserstein_norm: an estimate, CDFs taken as linear inside each bin and the
 *       outer bins closed at the reference's min and max (marked {@code estimate}).</li>
 * </ul>
 * The deciding tests are the policy's, else Evidently's default choice for the feature's kind,
 * reference size and distinct reference values.
 */
public final class WindowEvaluator {

    private WindowEvaluator() {
    }

    /** Whole-window drift: every feature (and the prediction), and the dataset decision over the input features. */
    public record DriftEvaluation(Map<String, FeatureEvaluation> features, int judged, int drifted,
                                  double shareDrifted, double shareThreshold, boolean datasetDrift) {
    }

    public static DriftEvaluation evaluate(CompiledProfile profile, long[] windowCounts, MonitorPolicy policy) {
        Map<String, FeatureEvaluation> out = new LinkedHashMap<>();
        int judged = 0;
        int drifted = 0;
        for (int i = 0; i < profile.featureCount(); i++) {
            String name = profile.nameAt(i);
            FeatureEvaluation e = feature(profile.binners().get(i).reference(), profile.slice(windowCounts, i), policy,
                    name);
            out.put(name, e);
            if (i != profile.predictionIndex() && e.drift() != null) {
                judged++;
                if (e.drift()) {
                    drifted++;
                }
            }
        }
        double share = judged == 0 ? 0.0 : (double) drifted / judged;
        double threshold = policy.datasetDriftShareOrDefault();
        return new DriftEvaluation(out, judged, drifted, share, threshold, judged > 0 && share >= threshold);
    }

    public static FeatureEvaluation feature(FeatureReference ref, long[] window, MonitorPolicy policy, String name) {
        long n = Arrays.stream(window).sum();
        String kind = ref.kind() == FeatureKind.NUMERIC ? "numeric" : "categorical";
        long min = policy.minSamplesFor(name);
        if (n < min) {
            return new FeatureEvaluation(kind, n, ref.rows(), Map.of(), List.of(), null,
                    "not judged: " + n + " of the " + min + " samples needed");
        }
        DriftPolicy thresholds = policy.driftPolicyFor(name);
        List<DriftTest> deciding = policy.testsFor(name);
        if (deciding == null) {
            long distinct = ref.kind() == FeatureKind.CATEGORICAL
                    ? ref.categories().size() + (window[window.length - 1] > 0 ? 1 : 0) : ref.distinct();
            deciding = List.of(DriftPolicy.defaultTest(ref.kind(), ref.rows(), Math.max(1, distinct)));
        }
        Map<String, TestOutcome> tests = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        for (DriftTest t : applicable(ref, deciding)) {
            try {
                tests.put(t.id(), run(t, ref, window, thresholds.threshold(t)));
            } catch (IllegalArgumentException e) {
                if (deciding.contains(t)) {
                    notes.add(t.id() + ": " + e.getMessage());
                }
            }
        }
        List<String> decidedBy = deciding.stream().map(DriftTest::id).filter(tests::containsKey).toList();
        boolean drift = decidedBy.stream().anyMatch(t -> tests.get(t).drift());
        return new FeatureEvaluation(kind, n, ref.rows(), tests, decidedBy, decidedBy.isEmpty() ? null : drift,
                notes.isEmpty() ? null : String.join("; ", notes));
    }

    /** Every test that runs on this kind of feature from bins, the deciding ones included. */
    private static List<DriftTest> applicable(FeatureReference ref, List<DriftTest> deciding) {
        List<DriftTest> all = new ArrayList<>(ref.kind() == FeatureKind.NUMERIC
                ? List.of(DriftTest.KS, DriftTest.WASSERSTEIN, DriftTest.WASSERSTEIN_NORM, DriftTest.PSI, DriftTest.JS,
                DriftTest.HELLINGER)
                : List.of(DriftTest.CHI2, DriftTest.PSI, DriftTest.JS, DriftTest.HELLINGER, DriftTest.UNSEEN_SHARE));
        for (DriftTest t : deciding) {
            if (!all.contains(t)) {
                all.add(t);
            }
        }
        return all;
    }

    static TestOutcome run(DriftTest test, FeatureReference ref, long[] window, double threshold) {
        long[] reference = ref.counts();
        boolean categorical = ref.kind() == FeatureKind.CATEGORICAL;
        return switch (test) {
            case KS -> {
                if (categorical) {
                    throw new IllegalArgumentException("test 'ks' needs a numeric feature");
                }
                BinnedKsResult ks = BinnedKs.compare(reference, window);
                boolean drift = test.isDrift(ks.estimate(), ks.pValue(), threshold);
                yield new TestOutcome(ks.estimate(), ks.pValue(), threshold, drift, ks.lowerBound(), ks.upperBound(),
                        null);
            }
            case WASSERSTEIN, WASSERSTEIN_NORM -> {
                if (categorical) {
                    throw new IllegalArgumentException("test '" + test.id() + "' needs a numeric feature");
                }
                double w = wassersteinFromBins(ref, window);
                double statistic = test == DriftTest.WASSERSTEIN ? w : w / Math.max(ref.std(), Wasserstein.MIN_STD);
                yield new TestOutcome(statistic, null, threshold, test.isDrift(statistic, Double.NaN, threshold), null,
                        null, true);
            }
            case PSI, JS, HELLINGER -> {
                long[][] aligned = categorical ? withoutEmptyOther(reference, window) : new long[][]{reference, window};
                double statistic = switch (test) {
                    case PSI -> Psi.of(aligned[0], aligned[1]);
                    case JS -> JensenShannon.binned(aligned[0], aligned[1]);
                    default -> Hellinger.distance(aligned[0], aligned[1]);
                };
                yield TestOutcome.of(statistic, null, threshold, test.isDrift(statistic, Double.NaN, threshold));
            }
            case CHI2 -> {
                long[][] kept = referenceBins(reference, window, categorical);
                ChiSquareResult chi = ChiSquare.test(kept[0], kept[1]);
                yield TestOutcome.of(chi.statistic(), chi.pValue(), threshold,
                        test.isDrift(chi.statistic(), chi.pValue(), threshold));
            }
            case Z -> {
                long[][] kept = referenceBins(reference, window, categorical);
                if (kept[0].length != 2) {
                    throw new IllegalArgumentException("test 'z' compares two categories, the reference has "
                            + kept[0].length);
                }
                long refTotal = kept[0][0] + kept[0][1];
                long winTotal = kept[1][0] + kept[1][1];
                if (winTotal == 0) {
                    throw new IllegalArgumentException("no window value falls in the reference's two categories");
                }
                ProportionZTest.Result z = ProportionZTest.test(kept[0][0], refTotal, kept[1][0], winTotal);
                yield TestOutcome.of(z.statistic(), z.pValue(), threshold,
                        test.isDrift(z.statistic(), z.pValue(), threshold));
            }
            case UNSEEN_SHARE -> {
                if (!categorical) {
                    throw new IllegalArgumentException("test 'unseen_share' needs a categorical feature");
                }
                long total = Arrays.stream(window).sum();
                double share = UnseenShare.of(window[window.length - 1], total);
                yield TestOutcome.of(share, null, threshold, test.isDrift(share, Double.NaN, threshold));
            }
        };
    }

    /** Categorical counts without the "other" bin when neither side has values in it. */
    private static long[][] withoutEmptyOther(long[] reference, long[] window) {
        int last = reference.length - 1;
        if (reference[last] == 0 && window[last] == 0) {
            return new long[][]{Arrays.copyOf(reference, last), Arrays.copyOf(window, last)};
        }
        return new long[][]{reference, window};
    }

    /** The bins the reference has values in (categorical: its categories, never "other"). */
    private static long[][] referenceBins(long[] reference, long[] window, boolean categorical) {
        int end = categorical ? reference.length - 1 : reference.length;
        int k = 0;
        for (int i = 0; i < end; i++) {
            if (reference[i] > 0) {
                k++;
            }
        }
        long[] r = new long[k];
        long[] w = new long[k];
        for (int i = 0, j = 0; i < end; i++) {
            if (reference[i] > 0) {
                r[j] = reference[i];
                w[j++] = window[i];
            }
        }
        return new long[][]{r, w};
    }

    /**
     * Wasserstein-1 from bins: the integral of |F - G| with both CDFs linear inside each bin, known
     * exactly at the inner edges; the outer bins span [min, e_1] and [e_{B-1}, max] of the reference.
     */
    static double wassersteinFromBins(FeatureReference ref, long[] window) {
        long[] reference = ref.counts();
        double[] inner = ref.innerEdges();
        int b = reference.length;
        double[] x = new double[b + 1];
        x[0] = Math.min(ref.min(), inner.length > 0 ? inner[0] : ref.min());
        System.arraycopy(inner, 0, x, 1, inner.length);
        x[b] = Math.max(ref.max(), inner.length > 0 ? inner[inner.length - 1] : ref.max());
        double n1 = Arrays.stream(reference).sum();
        double n2 = Arrays.stream(window).sum();
        double f = 0;
        double g = 0;
        double sum = 0;
        double previous = 0;
        for (int i = 0; i < b; i++) {
            f += reference[i] / n1;
            g += window[i] / n2;
            double d = f - g;
            double width = x[i + 1] - x[i];
            if (width > 0) {
                sum += segment(previous, d) * width;
            }
            previous = d;
        }
        return sum;
    }

    /** Mean of |linear d| over a unit interval from d0 to d1. */
    private static double segment(double d0, double d1) {
        if (d0 * d1 >= 0) {
            return (Math.abs(d0) + Math.abs(d1)) / 2;
        }
        double a = Math.abs(d0);
        double c = Math.abs(d1);
        return (a * a + c * c) / (2 * (a + c));
    }
}
