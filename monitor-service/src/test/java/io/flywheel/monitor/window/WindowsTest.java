package io.flywheel.monitor.window;

import io.flywheel.monitor.drift.BinnedKsResult;
import io.flywheel.monitor.drift.FeatureKind;
import io.flywheel.monitor.drift.KolmogorovSmirnov;
import io.flywheel.monitor.drift.QuantileBins;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Panes, sliding windows, fitting and evaluation from bins: plain JUnit, no Quarkus. */
class WindowsTest {

    private static CompiledProfile profile(int bins) {
        SplittableRandom rnd = new SplittableRandom(1);
        List<Object> x = new ArrayList<>();
        List<Object> c = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            x.add(rnd.nextGaussian());
            c.add(new String[]{"a", "b", "c"}[i % 3]);
        }
        return CompiledProfile.of(ReferenceFitter.fit("m", 1, new java.util.LinkedHashMap<>(Map.of("x", x, "c", c)),
                Map.of(), null, Set.of(), bins, 0, "test"));
    }

    /**
     * A poll's events folded in one step give the window that folding them one at a time gives: runs that
     * start mid-pane, cross pane boundaries, skip panes, and carry late events (into a closed pane still in
     * the window, and too old for it); the windows they started from are left as they were.
     */
    @Test
    void foldingARunAtOnceEqualsFoldingItEventByEvent() {
        CompiledProfile p = profile(20);
        WindowSpec spec = new WindowSpec(1000, 4);
        SplittableRandom rnd = new SplittableRandom(3);
        DriftWindow oneByOne = DriftWindow.empty(spec, p.width());
        DriftWindow byRuns = oneByOne;
        long t = 0;
        for (int run = 0; run < 300; run++) {
            int n = 1 + rnd.nextInt(60);
            long[] times = new long[n];
            int[][] bins = new int[n][];
            for (int i = 0; i < n; i++) {
                t += rnd.nextInt(run % 10 == 0 ? 900 : 40); // now and then a run skips panes
                times[i] = rnd.nextInt(13) == 0 ? Math.max(0, t - rnd.nextInt(6000)) : t; // some late ones, some too late
                bins[i] = p.binsOf(Map.of("x", rnd.nextGaussian(), "c", "abc".substring(i % 3, i % 3 + 1)), null);
            }
            DriftWindow before = byRuns;
            long[] countsBefore = before.counts();
            for (int i = 0; i < n; i++) {
                oneByOne = oneByOne.plus(times[i], bins[i]);
            }
            byRuns = byRuns.plusAll(times, bins);
            assertThat(byRuns).isEqualTo(oneByOne);
            assertThat(byRuns.windowEvents()).isEqualTo(oneByOne.windowEvents());
            assertThat(byRuns.late()).isEqualTo(oneByOne.late());
            assertThat(byRuns.closedEvents()).isEqualTo(oneByOne.closedEvents());
            assertThat(byRuns.paneEvents()).isEqualTo(oneByOne.paneEvents());
            assertThat(before.counts()).as("the window the run started from is unchanged").isEqualTo(countsBefore);
        }
        assertThat(oneByOne.late()).as("the runs had events too late for the window").isPositive();
        assertThat(oneByOne.events()).isGreaterThan(5000);
    }

    @Test
    void theWindowIsTheSumOfItsLivePanesAfterRollsAndLateEvents() {
        CompiledProfile p = profile(20);
        WindowSpec spec = new WindowSpec(1000, 3);
        DriftWindow w = DriftWindow.empty(spec, p.width());
        SplittableRandom rnd = new SplittableRandom(2);
        long[][] perPane = new long[20][p.width()];
        long[] paneEvents = new long[20];
        for (int i = 0; i < 4000; i++) {
            long t = i; // 1 ms apart: 4 panes of 1000 ms
            if (i % 97 == 0 && i > 1500) {
                t = Math.max(0, t - (i % 2 == 0 ? 1500 : 3000)); // late: into a pane still in the window, or one that has left it
            }
            int[] bins = p.binsOf(Map.of("x", rnd.nextGaussian(), "c", "b"), null);
            DriftWindow next = w.plus(t, bins);
            assertThat(w.events()).isEqualTo(i); // the old window is untouched (immutability)
            w = next;
            long pane = t / 1000;
            if (t >= 0 && pane > w.latest() - spec.panes()) {
                for (int b : bins) {
                    perPane[(int) pane][b]++;
                }
                paneEvents[(int) pane]++;
            }
        }
        long[] expected = new long[p.width()];
        long events = 0;
        for (long pane = w.latest() - spec.panes() + 1; pane <= w.latest(); pane++) {
            for (int b = 0; b < expected.length; b++) {
                expected[b] += perPane[(int) pane][b];
            }
            events += paneEvents[(int) pane];
        }
        assertThat(w.counts()).isEqualTo(expected);
        assertThat(w.windowEvents()).isEqualTo(events);
        assertThat(w.late()).isPositive();
        assertThat(w.startMillis()).isEqualTo(1000);
        assertThat(w.endMillis()).isEqualTo(4000);
    }

    @Test
    void stateBytesAreConstantInTheNumberOfEvents() {
        CompiledProfile p = profile(100);
        WindowSpec spec = new WindowSpec(1000, 12);
        DriftWindow small = fill(p, spec, 10_000);
        DriftWindow large = fill(p, spec, 1_000_000);
        assertThat(small.stateBytes()).isEqualTo(large.stateBytes());
        assertThat(small.stateBytes() / p.featureCount()).isLessThanOrEqualTo(16 * 1024);
    }

    private static DriftWindow fill(CompiledProfile p, WindowSpec spec, int n) {
        DriftWindow w = DriftWindow.empty(spec, p.width());
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < n; i++) {
            w = w.plus((long) i * 20 * spec.paneMillis() / n, p.binsOf(Map.of("x", rnd.nextGaussian(), "c", "a"), null));
        }
        return w;
    }

    @Test
    void binnedKsBracketsTheExactStatisticAndDistancesDecide() {
        CompiledProfile p = profile(100);
        SplittableRandom rnd = new SplittableRandom(4);
        double[] ref = new double[5000];
        SplittableRandom r1 = new SplittableRandom(1);
        for (int i = 0; i < ref.length; i++) {
            ref[i] = r1.nextGaussian();
            r1.nextGaussian(); // (profile() drew x and c alternately? no: only x is random) keep sequences apart
        }
        double[] cur = new double[3000];
        for (int i = 0; i < cur.length; i++) {
            cur[i] = 0.3 + rnd.nextGaussian();
        }
        FeatureReference x = p.binners().get(p.indexOf("x")).reference();
        QuantileBins bins = QuantileBins.ofInnerEdges(x.innerEdges());
        long[] window = bins.histogram(cur).counts();
        FeatureEvaluation e = WindowEvaluator.feature(x, window, MonitorPolicy.defaults(), "x");
        TestOutcome ks = e.tests().get("ks");
        assertThat(ks.statisticLower()).isLessThanOrEqualTo(ks.statistic()).isLessThanOrEqualTo(ks.statisticUpper());
        assertThat(e.decidedBy()).containsExactly("wasserstein_norm"); // Evidently: > 1000 reference rows
        assertThat(e.drift()).isTrue();
        assertThat(e.tests().get("wasserstein_norm").statistic()).isBetween(0.2, 0.4);
        assertThat(e.tests().get("psi").statistic()).isPositive();
    }

    @Test
    void binnedKsBracketHoldsTheExactDOfRawSamples() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int trial = 0; trial < 50; trial++) {
            double[] ref = new double[2000];
            double[] cur = new double[1500];
            for (int i = 0; i < ref.length; i++) {
                ref[i] = rnd.nextGaussian();
            }
            double shift = rnd.nextDouble() * 0.5;
            for (int i = 0; i < cur.length; i++) {
                cur[i] = shift + rnd.nextGaussian();
            }
            QuantileBins bins = QuantileBins.fromReference(ref, 100);
            BinnedKsResult b = io.flywheel.monitor.drift.BinnedKs.compare(bins.histogram(ref), bins.histogram(cur));
            double exact = KolmogorovSmirnov.test(ref, cur).statistic();
            assertThat(exact).isBetween(b.lowerBound() - 1e-12, b.upperBound() + 1e-12);
        }
    }

    @Test
    void fittingChoosesKindsAndRejectsWrongTypes() {
        FeatureReference num = ReferenceFitter.fitColumn("age", List.of(1.0, 2.0, 3.0, 4.0), null, 2);
        assertThat(num.kind()).isEqualTo(FeatureKind.NUMERIC);
        assertThat(num.counts()).containsExactly(2, 2);
        FeatureReference cat = ReferenceFitter.fitColumn("plan", Arrays.asList("pro", null, "basic", true), null, 100);
        assertThat(cat.kind()).isEqualTo(FeatureKind.CATEGORICAL);
        assertThat(cat.categories()).containsExactly("basic", "pro", "true");
        assertThat(cat.counts()).containsExactly(1, 1, 1, 0);
        Binner b = Binner.of(num);
        assertThatThrownBy(() -> b.binOf((Object) "old")).hasMessageContaining("feature 'age' is numeric, but got a string");
        assertThat(b.binOf((Object) null)).isEqualTo(Binner.MISSING);
        assertThat(Binner.of(cat).binOf((Object) "enterprise")).isEqualTo(3); // "other"
    }

    @Test
    void categoricalWindowsTestChi2JsAndUnseenShare() {
        FeatureReference cat = ReferenceFitter.fitColumn("plan",
                new ArrayList<>(List.of("a", "a", "b", "b", "c", "c", "a", "b", "c", "a")), null, 100);
        long[] window = {10, 10, 10, 30}; // 30 of 60 never seen in the reference
        FeatureEvaluation e = WindowEvaluator.feature(cat, window,
                new MonitorPolicy(List.of("unseen_share", "chi2"), null, 10L, null, null, null, null, null, null, null, null), "plan");
        assertThat(e.tests().get("unseen_share").statistic()).isEqualTo(0.5);
        assertThat(e.tests().get("chi2").pvalue()).isGreaterThan(0.5);
        assertThat(e.drift()).isTrue();
        assertThat(WindowEvaluator.feature(cat, new long[]{1, 1, 1, 0}, MonitorPolicy.defaults(), "plan").drift())
                .as("3 samples are below the default minimum of 100").isNull();
    }

    @Test
    void qualityWindowsAddUpAndDetectorsFire() {
        WindowSpec spec = new WindowSpec(1000, 4);
        QualityWindow q = QualityWindow.empty(spec);
        for (int i = 0; i < 2000; i++) {
            boolean late = i >= 1000;
            double score = late ? 0.9 : (i % 10 == 0 ? 0.9 : 0.1); // 10% errors, then all wrong
            q = q.plus(i * 2L, Outcome.of(score, 0));
        }
        QualityStats s = q.stats();
        assertThat(s.labelled()).isEqualTo(2000); // 4 s of 1 s panes hold the whole 0..4 s
        assertThat(s.confusion().fp()).isEqualTo(1100);
        assertThat(q.lastDrift()[0]).as("DDM fired").isGreaterThan(2000);
        assertThat(q.lastDrift()[2]).as("ADWIN fired").isGreaterThan(2000);
        QualityStats regression = QualityStats.empty().plus(Outcome.of(2.5, 3.0)).plus(Outcome.of(4.0, 4.0));
        assertThat(regression.regression().mae()).isEqualTo(0.25);
    }

    @Test
    void alertsFireOncePerChangeOfState() {
        Alerts.Condition on = new Alerts.Condition("drift", "dataset", true, "share", 1, 0, 10, Map.of());
        Alerts.Condition off = new Alerts.Condition("drift", "dataset", false, "share", 0, 0, 10, Map.of());
        Alerts.Condition unjudged = new Alerts.Condition("drift", "dataset", null, "share", 0, 0, 1, Map.of());
        assertThat(Alerts.transitions(Map.of(), List.of(on))).singleElement().extracting(Alerts.Transition::raised).isEqualTo(true);
        assertThat(Alerts.transitions(Map.of("drift/dataset", true), List.of(on))).isEmpty();
        assertThat(Alerts.transitions(Map.of("drift/dataset", true), List.of(unjudged))).isEmpty();
        assertThat(Alerts.transitions(Map.of("drift/dataset", true), List.of(off))).singleElement()
                .extracting(Alerts.Transition::raised).isEqualTo(false);
        assertThat(Alerts.transitions(Map.of(), List.of(off))).isEmpty();
    }

    @Test
    void sampleComparisonSaysWhichFeatureIsWrong() {
        assertThatThrownBy(() -> SampleComparison.compare(Map.of("a", List.of(1, "x")), Map.of("a", List.of(1)), null, null, null))
                .hasMessage("feature 'a': mixed types: numbers and strings/booleans in one feature");
        assertThatThrownBy(() -> SampleComparison.compare(Map.of("a", List.of(1)), Map.of("a", List.of()), null, null, null))
                .hasMessage("feature 'a': the current sample is empty");
        assertThatThrownBy(() -> SampleComparison.compare(Map.of("a", List.of(1)), Map.of("a", List.of(2)),
                Map.of("a", List.of("magic")), null, null)).hasMessageStartingWith("feature 'a': unknown drift test 'magic'");
    }
}
