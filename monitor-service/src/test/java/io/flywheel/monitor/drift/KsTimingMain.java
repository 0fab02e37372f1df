package io.flywheel.monitor.drift;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Prints the time of {@link KolmogorovSmirnov#test} on two samples of 1,000,000 doubles (median of
 * several runs in one JVM, after warm-up), and for comparison the time of two Arrays.sort copies.
 * Not a test: run with
 * {@code java -cp target/classes:target/test-classes:<commons-math3 jar> io.flywheel.monitor.drift.KsTimingMain}.
 */
public final class KsTimingMain {

    private KsTimingMain() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        SplittableRandom rnd = new SplittableRandom(2026);
        double[] a = new double[n];
        double[] b = new double[n];
        long[] ks = new long[runs];
        long[] sortOnly = new long[runs];
        long[] keys = new long[runs];
        long[] merge = new long[runs];
        long[] pValue = new long[runs];
        double sink = 0;
        for (int warm = 0; warm < 5; warm++) { // let the JIT compile the hot loops
            fill(rnd, a, b);
            sink += KolmogorovSmirnov.test(a, b).pValue();
        }
        for (int r = 0; r < runs; r++) {
            fill(rnd, a, b);
            long t0 = System.nanoTime();
            KsResult result = KolmogorovSmirnov.test(a, b);
            long t1 = System.nanoTime();
            double[] sa = a.clone();
            double[] sb = b.clone();
            Arrays.sort(sa);
            Arrays.sort(sb);
            long t2 = System.nanoTime();
            ks[r] = t1 - t0;
            sortOnly[r] = t2 - t1;
            // the same work in its three parts
            long u0 = System.nanoTime();
            long[] ka = SortedKeys.sortedKeys(a, "a");
            long[] kb = SortedKeys.sortedKeys(b, "b");
            long u1 = System.nanoTime();
            KolmogorovSmirnov.Extremes e = KolmogorovSmirnov.Extremes.of(ka, n, kb, n);
            long u2 = System.nanoTime();
            sink += KolmogorovSmirnov.asymptoticPValue(result.statistic(), n, n) + e.maxI;
            long u3 = System.nanoTime();
            keys[r] = u1 - u0;
            merge[r] = u2 - u1;
            pValue[r] = u3 - u2;
            sink += result.pValue() + sa[0] + sb[0];
        }
        Arrays.sort(ks);
        Arrays.sort(sortOnly);
        Arrays.sort(keys);
        Arrays.sort(merge);
        Arrays.sort(pValue);
        System.out.printf("KS exact statistic + p-value, 2 x %,d doubles: median %.1f ms (min %.1f, max %.1f) over %d runs%n",
            n, ks[runs / 2] / 1e6, ks[0] / 1e6, ks[runs - 1] / 1e6, runs);
        System.out.printf("  parts (medians): two sorted key copies %.1f ms, merge pass %.1f ms, p-value %.2f ms%n",
            keys[runs / 2] / 1e6, merge[runs / 2] / 1e6, pValue[runs / 2] / 1e6);
        System.out.printf("for comparison, two Arrays.sort copies alone: median %.1f ms%n", sortOnly[runs / 2] / 1e6);
        System.out.println("(checksum " + sink + ")");
    }

    private static void fill(SplittableRandom rnd, double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) {
            a[i] = rnd.nextGaussian();
            b[i] = rnd.nextGaussian() * 1.002 + 0.001;
        }
    }
}
