package io.flywheel.monitor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.monitor.drift.BinnedKs;
import io.flywheel.monitor.drift.BinnedKsResult;
import io.flywheel.monitor.drift.QuantileBins;
import io.flywheel.monitor.window.CompiledProfile;
import io.flywheel.monitor.window.DriftWindow;
import io.flywheel.monitor.window.WindowSpec;

import java.io.InputStream;
import java.util.SplittableRandom;

/**
 * The figures that are counts, not timings: bytes of window state per feature at 10^4 and 10^7
 * events, false alarms of the binned KS over 1,000 drift-free windows at alpha = 0.05, the KS
 * bracket against the exact D of every golden case, and (when the jar is packaged and the stack
 * is up) the whole path through Kafka ({@link PathBench}).
 */
public final class BenchFigures {

    private BenchFigures() {
    }

    public static void main(String[] args) throws Exception {
        stateBytes();
        falseAlarms();
        goldenBrackets();
        PathBench.run(args.length > 0 ? args[0] : "target/quarkus-app/quarkus-run.jar");
    }

    static void stateBytes() {
        CompiledProfile p = CompiledProfile.of(MonitorBenchmarks.reference(100, 100_000));
        WindowSpec spec = WindowSpec.DEFAULT; // 12 panes of 5 minutes
        for (long n : new long[]{10_000, 10_000_000}) {
            SplittableRandom rnd = new SplittableRandom(1);
            DriftWindow w = DriftWindow.empty(spec, p.width());
            long span = 3 * spec.windowMillis(); // the events spread over three window lengths: every pane rolls
            for (long i = 0; i < n; i++) {
                w = w.plus(i * span / n, new int[]{p.binners().get(0).binOf(rnd.nextGaussian())});
            }
            System.out.printf("FIGURE state bytes per feature per window (B=100, 12 panes) at %,d events: %,d bytes (window holds %,d)%n",
                    n, w.stateBytes() / p.featureCount(), w.windowEvents());
        }
    }

    static void falseAlarms() {
        SplittableRandom rnd = new SplittableRandom(3);
        double[] ref = MonitorBenchmarks.gaussians(10_000, 5, 0);
        QuantileBins bins = QuantileBins.fromReference(ref, 100);
        long[] r = bins.histogram(ref).counts();
        int alarms = 0;
        int windows = 1000;
        for (int k = 0; k < windows; k++) {
            double[] cur = new double[2000];
            for (int i = 0; i < cur.length; i++) {
                cur[i] = rnd.nextGaussian();
            }
            BinnedKsResult ks = BinnedKs.compare(r, bins.histogram(cur).counts());
            if (ks.pValue() < 0.05) {
                alarms++;
            }
        }
        System.out.printf("FIGURE false alarms, binned KS at alpha=0.05, 1,000 drift-free windows (ref 10,000, window 2,000, B=100): %d (%.1f%%)%n",
                alarms, 100.0 * alarms / windows);
    }

    static void goldenBrackets() throws Exception {
        JsonNode golden;
        try (InputStream in = BenchFigures.class.getResourceAsStream("/drift/golden.json")) {
            golden = new ObjectMapper().readTree(in);
        }
        int held = 0;
        int cases = 0;
        for (JsonNode c : golden.get("cases")) {
            if (!"numeric".equals(c.get("kind").asText())) {
                continue;
            }
            double[] ref = new ObjectMapper().convertValue(c.get("reference"), double[].class);
            double[] cur = new ObjectMapper().convertValue(c.get("current"), double[].class);
            double exact = c.get("expected").get("ks_statistic").asDouble();
            for (int b : new int[]{10, 100, 1000}) {
                QuantileBins bins = QuantileBins.fromReference(ref, b);
                BinnedKsResult ks = BinnedKs.compare(bins.histogram(ref), bins.histogram(cur));
                cases++;
                if (ks.lowerBound() <= exact + 1e-12 && exact <= ks.upperBound() + 1e-12) {
                    held++;
                }
            }
        }
        System.out.printf("FIGURE KS bracket holds scipy's exact D: %d of %d (golden numeric cases x B in {10, 100, 1000})%n",
                held, cases);
    }
}
