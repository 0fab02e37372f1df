package io.flywheel.registry.bench;

import io.flywheel.internalauth.TestCallers;
import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;
import okio.Okio;
import okio.Source;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Artifact throughput of the registry against the MinIO client writing the same bytes straight to
 * the same S3, in one run: upload and download of each size, as MB/s and as a ratio, with the
 * service's peak heap beside them. Downloads go three ways: direct, relayed by the service
 * ({@code redirect=false}), and through the service's 307 to a presigned URL ({@code redirect=true}). The service is the packaged jar, started here as its own process
 * with a small heap ({@code -Xmx256m} by default), so a 1 GB artifact going through it shows that
 * memory stays flat. Both sides move the bytes with the same HTTP library (OkHttp, the MinIO client's
 * own), so the ratio is the cost of the hop through the service, not a difference between clients.
 *
 * <p>Run: {@code ./flywheel bench registry}, or {@code ./mvnw -B -ntp -pl registry-service -am -Pbench verify}
 * with the test stack's PostgreSQL, Kafka and S3 up ({@code FLYWHEEL_STACK=test ./flywheel stack}). Settings (system properties of the Maven run): {@code bench.sizes}
 * (MB, default 10,100,1024), {@code bench.heap} (default 256m), {@code bench.repeats} (runs of
 * sizes up to 100 MB; the median is shown). It uses bucket {@code flywheel-bench} and database
 * {@code flywheel_test}: don't run it while the registry's tests run.
 */
public final class ArtifactBenchmark {

    private static final long MB = 1_000_000L;
    // the test stack's (./flywheel bench registry starts it; the pom passes its addresses)
    private static final String S3 = System.getProperty("flywheel.test.s3", "http://127.0.0.1:19000");
    private static final String POSTGRES = System.getProperty("flywheel.test.postgres", "127.0.0.1:15432");
    private static final String KAFKA = System.getProperty("flywheel.test.kafka", "127.0.0.1:19092");
    private static final String BUCKET = "flywheel-bench";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final OkHttpClient bytes = new OkHttpClient.Builder()
            .readTimeout(Duration.ofMinutes(5)).writeTimeout(Duration.ofMinutes(5)).build();
    private final MinioClient minio = MinioClient.builder()
            .endpoint(S3).credentials("flywheel", "flywheel-secret").region("us-east-1").build();
    private final String service;
    private final HeapSampler heap;
    private final long pid;

    private ArtifactBenchmark(String service, HeapSampler heap, long pid) {
        this.service = service;
        this.heap = heap;
        this.pid = pid;
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args.length > 0 ? args[0] : "target/quarkus-app/quarkus-run.jar");
        List<Integer> sizes = Arrays.stream(System.getProperty("bench.sizes", "10,100,1024").split(","))
                .map(String::strip).map(Integer::parseInt).toList();
        String xmx = System.getProperty("bench.heap", "256m");
        int repeats = Integer.getInteger("bench.repeats", 3);

        ensureBucket();
        int port = freePort();
        Process process = startService(jar, port, xmx);
        try {
            String base = "http://127.0.0.1:" + port;
            awaitReady(base, process);
            HeapSampler heap = new HeapSampler(base);
            heap.start();
            ArtifactBenchmark bench = new ArtifactBenchmark(base, heap, process.pid());
            System.out.printf(Locale.ROOT, "%nRegistry artifact throughput: service at -Xmx%s (pid %d) vs MinIO client direct, same S3 (%s)%n",
                    xmx, process.pid(), S3);
            System.out.printf(Locale.ROOT, "%d CPUs, load average at start: %s%n", Runtime.getRuntime().availableProcessors(), loadAverage());
            System.out.printf(Locale.ROOT, "%-8s %-20s %11s %12s %6s %14s %12s %8s %8s%n", "size", "direction", "direct MB/s", "service MB/s",
                    "ratio", "svc heap peak", "svc CPU s/GB", "busy dir", "busy svc");
            bench.warmUp();
            for (int size : sizes) {
                bench.measure(size * MB, size <= 100 ? repeats : 1);
            }
            heap.stop();
            System.out.printf(Locale.ROOT, "%nservice: -Xmx%s, heap in use at most %.0f MiB, live data after GC at most %.0f MiB, peak RSS %s;"
                            + " load average at end: %s%n", xmx, heap.overallPeak() / 1048576.0, heap.liveDataPeak() / 1048576.0,
                    peakRss(process.pid()), loadAverage());
            System.out.println("(MB = 10^6 bytes; ratio = service / direct; heap peak = most heap in use, garbage included, during that"
                    + " transfer; CPU = the service process's user+system time per GB moved; busy = share of the whole machine's CPU"
                    + " busy during the direct and the service transfer: near 100% the transfer is CPU-bound, and the service's"
                    + " CPU per GB is what it takes from the client and S3 sharing the machine; down (relayed) = redirect=false, the"
                    + " service copies the bytes; down (redirect) = redirect=true, the client follows the service's 307 to a presigned"
                    + " S3 URL)");
        } finally {
            process.destroy();
            process.waitFor();
        }
    }

    /** A few small round trips first, so the JIT has compiled both paths before anything is timed. */
    private void warmUp() throws Exception {
        for (int i = 0; i < 5; i++) {
            long seed = System.nanoTime();
            long size = 5 * MB;
            String model = "bench-warmup-" + UUID.randomUUID().toString().substring(0, 8);
            createModel(model);
            String sha = BenchData.sha256Hex(size, seed);
            String key = "bench/direct/" + UUID.randomUUID();
            directPut(key, BenchData.stream(size, seed), size);
            servicePut(model, createDraft(model), size, seed, null, sha);
            drain(directGet(key), size);
            drain(serviceGet(model, 1, sha), size);
            drain(redirectedGet(model, 1, sha), size);
            removeObject(key);
            removeBlob(sha);
        }
    }

    private void measure(long size, int runs) throws Exception {
        String label = size / MB + " MB";
        Rate[][] results = new Rate[7][runs];
        long[] heapPeaks = new long[7];
        double[] cpu = new double[7];
        for (int run = 0; run < runs; run++) {
            long seed = System.nanoTime();
            String model = "bench-" + UUID.randomUUID().toString().substring(0, 8);
            createModel(model);
            String sha = BenchData.sha256Hex(size, seed);
            String directKey = "bench/direct/" + UUID.randomUUID();

            results[0][run] = rate(size, () -> directPut(directKey, BenchData.stream(size, seed), size));
            heap.reset();
            int plain = createDraft(model);
            long ticks = cpuTicks(pid);
            results[1][run] = rate(size, () -> servicePut(model, plain, size, seed, null, sha));
            cpu[1] += cpuTicks(pid) - ticks;
            heapPeaks[1] = Math.max(heapPeaks[1], heap.peak());
            // the Digest run sends other bytes, so it stores them rather than finding them there
            long otherSeed = seed + 1;
            String otherSha = BenchData.sha256Hex(size, otherSeed);
            results[2][run] = results[0][run];
            heap.reset();
            int checked = createDraft(model);
            ticks = cpuTicks(pid);
            results[3][run] = rate(size, () -> servicePut(model, checked, size, otherSeed, otherSha, otherSha));
            cpu[3] += cpuTicks(pid) - ticks;
            heapPeaks[3] = Math.max(heapPeaks[3], heap.peak());

            results[4][run] = rate(size, () -> drain(directGet(directKey), size));
            heap.reset();
            ticks = cpuTicks(pid);
            results[5][run] = rate(size, () -> drain(serviceGet(model, plain, sha), size));
            cpu[5] += cpuTicks(pid) - ticks;
            heapPeaks[5] = Math.max(heapPeaks[5], heap.peak());
            heap.reset();
            ticks = cpuTicks(pid);
            results[6][run] = rate(size, () -> drain(redirectedGet(model, plain, sha), size));
            cpu[6] += cpuTicks(pid) - ticks;
            heapPeaks[6] = Math.max(heapPeaks[6], heap.peak());

            removeObject(directKey);
            removeBlob(sha);
            removeBlob(otherSha);
        }
        List<String> rows = new ArrayList<>();
        double gigabytes = (double) size * runs / 1e9;
        rows.add(row(label, "up (no Digest)", results[0], results[1], heapPeaks[1], cpu[1] / 100.0 / gigabytes));
        rows.add(row(label, "up (Digest header)", results[2], results[3], heapPeaks[3], cpu[3] / 100.0 / gigabytes));
        rows.add(row(label, "down (relayed)", results[4], results[5], heapPeaks[5], cpu[5] / 100.0 / gigabytes));
        rows.add(row(label, "down (redirect)", results[4], results[6], heapPeaks[6], cpu[6] / 100.0 / gigabytes));
        rows.forEach(System.out::println);
    }

    private static String row(String size, String direction, Rate[] direct, Rate[] service, long heapPeak, double cpuPerGb) {
        double directRate = median(Arrays.stream(direct).mapToDouble(Rate::megabytesPerSecond).toArray());
        double serviceRate = median(Arrays.stream(service).mapToDouble(Rate::megabytesPerSecond).toArray());
        return String.format(Locale.ROOT, "%-8s %-20s %11.1f %12.1f %6.2f %10.0f MiB %12.1f %7.0f%% %7.0f%%", size, direction,
                directRate, serviceRate, serviceRate / directRate, heapPeak / 1048576.0, cpuPerGb,
                100 * median(Arrays.stream(direct).mapToDouble(Rate::machineBusy).toArray()),
                100 * median(Arrays.stream(service).mapToDouble(Rate::machineBusy).toArray()));
    }

    /** user + system time of a process, in clock ticks (1/100 s). */
    private static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException e) {
            return 0;
        }
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "?";
        }
    }

    // --- the two ways in and out ---------------------------------------------------------------

    private void directPut(String key, InputStream content, long size) throws Exception {
        minio.putObject(PutObjectArgs.builder().bucket(BUCKET).object(key).stream(content, size, -1L)
                .contentType("application/octet-stream").build());
    }

    private InputStream directGet(String key) throws Exception {
        return minio.getObject(GetObjectArgs.builder().bucket(BUCKET).object(key).build());
    }

    private void servicePut(String model, int version, long size, long seed, String digestSha, String expectSha) throws Exception {
        Request.Builder request = new Request.Builder()
                .url(service + "/api/v1/models/" + model + "/versions/" + version + "/artifact")
                .header("Authorization", TestCallers.bearer("bench"))
                .put(new StreamBody(BenchData.stream(size, seed), size));
        if (digestSha != null) {
            request.header("Digest", "sha-256=" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(digestSha)));
        }
        try (Response response = bytes.newCall(request.build()).execute()) {
            String body = response.body().string();
            if (response.code() != 200 || !body.contains(expectSha)) {
                throw new IllegalStateException("upload failed: " + response.code() + " " + body);
            }
        }
    }

    /** The bytes relayed by the service ({@code redirect=false}). */
    private InputStream serviceGet(String model, int version, String sha) throws Exception {
        Response response = bytes.newCall(new Request.Builder().header("Authorization", TestCallers.bearer("bench"))
                .url(service + "/api/v1/models/" + model + "/versions/" + version + "/artifact?redirect=false").build()).execute();
        if (response.code() != 200 || !("\"" + sha + "\"").equals(response.header("ETag"))) {
            response.close();
            throw new IllegalStateException("download failed: " + response.code());
        }
        return response.body().byteStream();
    }

    /**
     * The bytes from S3, where the service's 307 sends OkHttp ({@code redirect=true}, so every size
     * takes this path; it follows redirects by default and drops Authorization on the way to another host).
     */
    private InputStream redirectedGet(String model, int version, String sha) throws Exception {
        Response response = bytes.newCall(new Request.Builder().header("Authorization", TestCallers.bearer("bench"))
                .url(service + "/api/v1/models/" + model + "/versions/" + version + "/artifact?redirect=true").build()).execute();
        Response redirect = response.priorResponse();
        if (response.code() != 200 || redirect == null || redirect.code() != 307
                || !("\"" + sha + "\"").equals(redirect.header("ETag"))) {
            response.close();
            throw new IllegalStateException("redirected download failed: " + response.code()
                    + (redirect == null ? " (no redirect)" : " after " + redirect.code()));
        }
        return response.body().byteStream();
    }

    /** A request body streamed from an InputStream of known length. */
    private static final class StreamBody extends RequestBody {
        private static final MediaType OCTETS = MediaType.get("application/octet-stream");
        private final InputStream content;
        private final long size;

        StreamBody(InputStream content, long size) {
            this.content = content;
            this.size = size;
        }

        @Override
        public MediaType contentType() {
            return OCTETS;
        }

        @Override
        public long contentLength() {
            return size;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            try (Source source = Okio.source(content)) {
                sink.writeAll(source);
            }
        }
    }

    private void createModel(String model) throws Exception {
        post("/api/v1/models", "{\"name\":\"" + model + "\"}");
    }

    private int createDraft(String model) throws Exception {
        String body = post("/api/v1/models/" + model + "/versions", "{\"framework\":\"bench\",\"format\":\"flywheel-linear\"}");
        int at = body.indexOf("\"version\":") + "\"version\":".length();
        return Integer.parseInt(body.substring(at, body.indexOf(',', at)).strip());
    }

    private String post(String path, String json) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(service + path))
                .header("Content-Type", "application/json").header("Authorization", TestCallers.bearer("bench"))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException(path + ": " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    private void removeBlob(String sha) throws Exception {
        removeObject("blobs/sha256/" + sha);
    }

    private void removeObject(String key) throws Exception {
        minio.removeObject(RemoveObjectArgs.builder().bucket(BUCKET).object(key).build());
    }

    private static void drain(InputStream in, long expected) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long total = 0;
        try (in) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                total += n;
            }
        }
        if (total != expected) {
            throw new IllegalStateException("read " + total + " bytes, expected " + expected);
        }
    }

    // --- plumbing --------------------------------------------------------------------------------

    @FunctionalInterface
    private interface Transfer {
        void run() throws Exception;
    }

    /** Throughput of one transfer, and the share of the whole machine's CPU time that was busy meanwhile. */
    private record Rate(double megabytesPerSecond, double machineBusy) {
    }

    private static Rate rate(long size, Transfer transfer) throws Exception {
        long[] before = machineTicks();
        long start = System.nanoTime();
        transfer.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] after = machineTicks();
        double total = after[0] - before[0];
        return new Rate(size / MB / seconds, total == 0 ? Double.NaN : (after[1] - before[1]) / total);
    }

    /** All CPUs' ticks since boot from /proc/stat: {total, busy} (busy = all but idle and iowait). */
    private static long[] machineTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().strip().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            return new long[]{total, total - Long.parseLong(f[4]) - Long.parseLong(f[5])};
        } catch (IOException | RuntimeException e) {
            return new long[]{0, 0};
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static void ensureBucket() throws Exception {
        MinioClient client = MinioClient.builder().endpoint(S3).credentials("flywheel", "flywheel-secret").region("us-east-1").build();
        if (!client.bucketExists(BucketExistsArgs.builder().bucket(BUCKET).build())) {
            client.makeBucket(MakeBucketArgs.builder().bucket(BUCKET).build());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Process startService(Path jar, int port, String xmx) throws IOException {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: package the service first (the bench profile does)");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        Path log = jar.getParent().getParent().resolve("bench-service.log");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + xmx));
        // extra JVM options for the service, e.g. to try a setting: -Dbench.service-args="-Dquarkus.rest.output-buffer-size=65536"
        String extra = System.getProperty("bench.service-args", "").strip();
        if (!extra.isEmpty()) {
            command.addAll(Arrays.asList(extra.split("\\s+")));
        }
        command.addAll(List.of(
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.access-log.enabled=false",
                "-Dquarkus.datasource.reactive.url=postgresql://" + POSTGRES + "/flywheel_test",
                "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://" + POSTGRES + "/flywheel_test",
                "-Dkafka.bootstrap.servers=" + KAFKA,
                "-Dflywheel.s3.endpoint=" + S3,
                "-Dflywheel.s3.bucket=" + BUCKET,
                "-Dmp.messaging.outgoing.outbox.topic=bench.flywheel.registry",
                "-jar", jar.toString()));
        System.out.println("starting the service: " + String.join(" ", command) + "  (log: " + log + ")");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("FLYWHEEL_INTERNAL_SECRET", TestCallers.secret());
        return builder.start();
    }

    private static void awaitReady(String base, Process process) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited during start-up; see target/bench-service.log");
            }
            try {
                if (client.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500); // polling a child process: no Awaitility outside tests
        }
        throw new IllegalStateException("the service was not ready within 120 s; see target/bench-service.log");
    }

    private static String peakRss(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                    .filter(line -> line.startsWith("VmHWM:")).map(line -> line.substring(6).strip()).findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    /** Samples the service's heap in use (Micrometer's jvm_memory_used_bytes, area heap) every 100 ms. */
    private static final class HeapSampler {
        private final HttpClient client = HttpClient.newHttpClient();
        private final String metrics;
        private final AtomicLong peak = new AtomicLong();
        private final AtomicLong overall = new AtomicLong();
        private final AtomicLong liveData = new AtomicLong();
        private volatile boolean running = true;
        private Thread thread;

        HeapSampler(String base) {
            this.metrics = base + "/q/metrics";
        }

        void start() {
            thread = Thread.ofPlatform().daemon().name("heap-sampler").start(() -> {
                while (running) {
                    long used = sample();
                    peak.accumulateAndGet(used, Math::max);
                    overall.accumulateAndGet(used, Math::max);
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        void reset() {
            peak.set(0);
        }

        long peak() {
            return Math.max(peak.get(), sample());
        }

        long overallPeak() {
            return overall.get();
        }

        long liveDataPeak() {
            return liveData.get();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }

        private long sample() {
            try {
                String body = client.send(HttpRequest.newBuilder(URI.create(metrics)).build(), HttpResponse.BodyHandlers.ofString()).body();
                long used = 0;
                for (String line : body.split("\n")) {
                    if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                        used += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    } else if (line.startsWith("jvm_gc_live_data_size_bytes")) {
                        liveData.accumulateAndGet((long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Math::max);
                    }
                }
                return used;
            } catch (Exception e) {
                return 0;
            }
        }
    }

    /**
     * Incompressible bytes of any size without holding them: a 1 MiB random block repeated, each
     * copy stamped with the seed and its index, so every run's content (and hash) is new.
     */
    static final class BenchData extends InputStream {
        private static final int BLOCK = 1 << 20;
        private final byte[] block = new byte[BLOCK];
        private final long size;
        private final long seed;
        private long position;

        private BenchData(long size, long seed) {
            this.size = size;
            this.seed = seed;
            new SplittableRandom(seed).nextBytes(block);
            stamp(0);
        }

        static InputStream stream(long size, long seed) {
            return new BenchData(size, seed);
        }

        static String sha256Hex(long size, long seed) throws Exception {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            try (InputStream in = stream(size, seed)) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    digest.update(buffer, 0, n);
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        }

        private void stamp(long index) {
            for (int i = 0; i < 8; i++) {
                block[i] = (byte) (seed >>> (8 * i));
                block[8 + i] = (byte) (index >>> (8 * i));
            }
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (position >= size) {
                return -1;
            }
            int inBlock = (int) (position % BLOCK);
            if (inBlock == 0 && position > 0) {
                stamp(position / BLOCK);
            }
            int n = (int) Math.min(Math.min(length, BLOCK - inBlock), size - position);
            System.arraycopy(block, inBlock, buffer, offset, n);
            position += n;
            return n;
        }
    }
}
