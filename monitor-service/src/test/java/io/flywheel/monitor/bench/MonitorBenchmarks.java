package io.flywheel.monitor.bench;

import io.flywheel.monitor.drift.KolmogorovSmirnov;
import io.flywheel.monitor.drift.QuantileBins;
import io.flywheel.monitor.window.CompiledProfile;
import io.flywheel.monitor.window.FeatureReference;
import io.flywheel.monitor.window.Folder;
import io.flywheel.monitor.window.MonitorPolicy;
import io.flywheel.monitor.window.ReferenceFitter;
import io.flywheel.monitor.window.WindowEvaluator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/** The monitor's JMH benchmarks; run by src/test/bench/run-bench.sh (./mvnw -Pbench ...). */
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MonitorBenchmarks {

    static final int VALUES = 1_000_000;

    /** B = 100 bins, 1M values to fold into one pane. */
    @State(Scope.Thread)
    public static class FoldState {
        Folder folder;
        double[] values;

        @Setup(Level.Trial)
        public void setUp() {
            folder = new Folder(CompiledProfile.of(reference(100, 100_000)));
            values = gaussians(VALUES, 1, 0.1);
        }
    }

    /** Feature values folded into a pane: throughput is values per second (one thread = one core). */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(VALUES)
    public long fold(FoldState s) {
        s.folder.fold(0, s.values);
        return s.values.length;
    }

    /** A window of 1M values at B = 1000 against a reference of 100k. */
    @State(Scope.Thread)
    public static class EvaluateState {
        FeatureReference reference;
        long[] window;
        MonitorPolicy policy = MonitorPolicy.defaults();

        @Setup(Level.Trial)
        public void setUp() {
            reference = reference(1000, 100_000).features().get(0);
            window = QuantileBins.ofInnerEdges(reference.innerEdges()).histogram(gaussians(VALUES, 2, 0.05)).counts();
        }
    }

    /** Every numeric test (KS with bracket, Wasserstein, PSI, JS, Hellinger) and the decision, from the window state. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Object evaluate(EvaluateState s) {
        return WindowEvaluator.feature(s.reference, s.window, s.policy, "x");
    }

    /** The same two samples of 1M doubles as the scipy script (target/bench/ks-a.bin, ks-b.bin). */
    @State(Scope.Thread)
    public static class KsState {
        double[] a;
        double[] b;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            a = read(Path.of(System.getProperty("bench.dir", "target/bench"), "ks-a.bin"));
            b = read(Path.of(System.getProperty("bench.dir", "target/bench"), "ks-b.bin"));
        }
    }

    /** Exact KS statistic and p-value (scipy's ks_2samp, method='auto') on 2 x 1M doubles. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    public Object exactKs(KsState s) {
        return KolmogorovSmirnov.test(s.a, s.b);
    }

    static double[] read(Path file) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        double[] out = new double[bytes.remaining() / 8];
        bytes.asDoubleBuffer().get(out);
        return out;
    }

    static io.flywheel.monitor.window.ReferenceProfile reference(int bins, int rows) {
        List<Object> x = new ArrayList<>(rows);
        for (double v : gaussians(rows, 7, 0)) {
            x.add(v);
        }
        Map<String, List<Object>> columns = new LinkedHashMap<>();
        columns.put("x", x);
        return ReferenceFitter.fit("bench", 1, columns, Map.of(), null, Set.of(), bins, 0, "bench");
    }

    static double[] gaussians(int n, long seed, double shift) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = shift + rnd.nextGaussian();
        }
        return out;
    }
}
