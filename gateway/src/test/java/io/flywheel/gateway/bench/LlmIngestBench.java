package io.flywheel.gateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * LLM spans end to end: OTLP/HTTP protobuf exports through the gateway, Kafka and the monitor into
 * PostgreSQL, on a running stack. Prints, per round, spans accepted per second by the gateway and spans
 * stored per second (until the last one is readable), the time from an export's answer until its trace is
 * readable (idle and under load, p50/p99), and the resident memory of the gateway and the monitor after
 * each round (flat or growing). Run by `./flywheel bench llm`.
 *
 * <p>Progress is read from the monitor's metric of stored observations (cheap; the benchmark assumes it
 * is the only writer meanwhile); at the end of each round the project's observations are counted once
 * through the read API, so "stored" means readable in PostgreSQL.
 *
 * <p>System properties: bench.gateway, bench.monitor (its /q/metrics), bench.key (admin key), bench.rounds,
 * bench.spans (per round), bench.spans-per-request, bench.concurrency, bench.pids (name=pid,...).
 */
public final class LlmIngestBench {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    private final String gateway;
    private final String monitor;
    private final String basic;

    private LlmIngestBench(String gateway, String monitor, String basic) {
        this.gateway = gateway;
        this.monitor = monitor;
        this.basic = basic;
    }

    public static void main(String[] args) throws Exception {
        String gateway = System.getProperty("bench.gateway", "http://127.0.0.1:8080");
        String adminKey = System.getProperty("bench.key");
        int rounds = Integer.getInteger("bench.rounds", 3);
        int spansPerRound = Integer.getInteger("bench.spans", 200_000);
        int spansPerRequest = Integer.getInteger("bench.spans-per-request", 500);
        int concurrency = Integer.getInteger("bench.concurrency", 4);
        List<String[]> pids = new ArrayList<>();
        for (String p : System.getProperty("bench.pids", "").split(",")) {
            if (p.contains("=")) {
                pids.add(p.split("=", 2));
            }
        }

        String monitor = System.getProperty("bench.monitor", "http://127.0.0.1:8082");
        LlmIngestBench bench = new LlmIngestBench(gateway, monitor, createProject(gateway, adminKey));
        System.out.printf("OTLP/HTTP protobuf to %s/v1/traces: %d rounds of %,d spans, %d spans per export "
                + "(traces of 10 spans: a root, 3 generations with usage, 6 tool spans), %d connections%n",
                gateway, rounds, spansPerRound, spansPerRequest, concurrency);
        System.out.println("memory at start: " + rss(pids));

        System.out.printf("%n-- readable after the export's answer, idle --%n");
        System.out.println(bench.readability(20));

        for (int round = 1; round <= rounds; round++) {
            System.out.printf("%n-- round %d --%n", round);
            bench.round(spansPerRound, spansPerRequest, concurrency);
            System.out.println("memory after the round: " + rss(pids));
        }
    }

    /** One round: exports until {@code spans} were accepted, meanwhile a probe trace a second; then waits for all to be stored. */
    private void round(int spans, int spansPerRequest, int concurrency) throws Exception {
        long metricBefore = storedByMetric();
        long countBefore = storedSpans();
        int requests = Math.max(1, spans / spansPerRequest);
        AtomicLong next = new AtomicLong();
        AtomicLong accepted = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long started = System.nanoTime();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            workers.add(Thread.ofPlatform().daemon().start(() -> {
                while (next.getAndIncrement() < requests) {
                    try {
                        HttpResponse<byte[]> r = export(batch(spansPerRequest));
                        if (r.statusCode() == 200
                                && ExportTraceServiceResponse.parseFrom(r.body()).getPartialSuccess().getRejectedSpans() == 0) {
                            accepted.addAndGet(spansPerRequest);
                        } else {
                            failed.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                }
            }));
        }
        AtomicBoolean loading = new AtomicBoolean(true);
        List<Double> underLoad = new ArrayList<>();
        Thread prober = Thread.ofPlatform().daemon().start(() -> {
            while (loading.get()) {
                try {
                    underLoad.add(probe());
                    Thread.sleep(1000);
                } catch (Exception e) {
                    return;
                }
            }
        });
        for (Thread w : workers) {
            w.join();
        }
        double sendSeconds = (System.nanoTime() - started) / 1e9;
        loading.set(false);
        prober.join();
        // the probes' spans are stored too: one each
        long target = metricBefore + accepted.get() + underLoad.size();
        long stored;
        while ((stored = storedByMetric()) < target) {
            if ((System.nanoTime() - started) / 1e9 > sendSeconds + 300) {
                System.out.printf("gave up: %,d of %,d spans stored 300 s after the last export%n", stored - metricBefore, accepted.get());
                return;
            }
            Thread.sleep(250);
        }
        double allStoredSeconds = (System.nanoTime() - started) / 1e9;
        long counted = storedSpans() - countBefore;
        System.out.printf("accepted by the gateway: %,d spans in %.1f s = %,.0f spans/s (failed exports: %d)%n",
                accepted.get(), sendSeconds, accepted.get() / sendSeconds, failed.get());
        System.out.printf("stored in PostgreSQL:    %,d spans in %.1f s = %,.0f spans/s end to end (goal >= 20,000); "
                        + "counted through the read API: %,d%n", stored - metricBefore, allStoredSeconds,
                (stored - metricBefore) / allStoredSeconds, counted);
        System.out.println("readable under load (a probe a second): " + summary(underLoad));
    }

    /** The monitor's count of observation events stored, across projects. */
    private long storedByMetric() throws Exception {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(monitor + "/q/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return r.body().lines().filter(l -> l.startsWith("flywheel_monitor_llm_observations_total{outcome=\"stored\"}"))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst()
                .orElseThrow(() -> new IllegalStateException("no flywheel_monitor_llm_observations_total at " + monitor + "/q/metrics"));
    }

    private String readability(int probes) throws Exception {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < probes; i++) {
            ms.add(probe());
        }
        return summary(ms);
    }

    /** Milliseconds from the answer to a one-trace export until that trace reads back with its span. */
    private double probe() throws Exception {
        byte[] traceId = randomBytes(16);
        ExportTraceServiceRequest one = request(List.of(span(traceId, randomBytes(8), null, "probe", List.of())));
        HttpResponse<byte[]> r = export(one);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("probe export answered " + r.statusCode() + ": " + new String(r.body(), StandardCharsets.UTF_8));
        }
        long answered = System.nanoTime();
        String url = gateway + "/api/public/traces/" + HEX.formatHex(traceId);
        while (true) {
            HttpResponse<String> read = CLIENT.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", basic).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (read.statusCode() == 200 && JSON.readTree(read.body()).path("observations").size() == 1) {
                return (System.nanoTime() - answered) / 1e6;
            }
            if ((System.nanoTime() - answered) > 60_000_000_000L) {
                throw new IllegalStateException("probe trace not readable within 60 s");
            }
            Thread.sleep(20);
        }
    }

    private long storedSpans() throws Exception {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(gateway + "/api/public/observations?limit=1"))
                .header("Authorization", basic).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("counting observations answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body()).path("meta").path("totalItems").asLong();
    }

    private HttpResponse<byte[]> export(ExportTraceServiceRequest request) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(gateway + "/v1/traces"))
                .header("Authorization", basic).header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.toByteArray())).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** {@code spans} spans as traces of ten: a root span, three generations with usage, six tool spans. */
    private static ExportTraceServiceRequest batch(int spans) {
        List<Span> out = new ArrayList<>(spans);
        while (out.size() < spans) {
            byte[] traceId = randomBytes(16);
            byte[] root = randomBytes(8);
            out.add(span(traceId, root, null, "chat", List.of(attr("langfuse.user.id", "user-" + ThreadLocalRandom.current().nextInt(100)),
                    attr("langfuse.session.id", "session-" + ThreadLocalRandom.current().nextInt(1000)))));
            for (int i = 1; i < 10 && out.size() < spans; i++) {
                out.add(i % 3 == 1
                        ? span(traceId, randomBytes(8), root, "llm", List.of(attr("gen_ai.operation.name", "chat"),
                                attr("gen_ai.request.model", "gpt-4o-mini"), attr("gen_ai.usage.input_tokens", 420L),
                                attr("gen_ai.usage.output_tokens", 80L), attr("gen_ai.input.messages",
                                        "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"What is my order status?\"}]}]")))
                        : span(traceId, randomBytes(8), root, "tool", List.of(attr("gen_ai.tool.name", "lookup_order"))));
            }
        }
        return request(out);
    }

    private static ExportTraceServiceRequest request(List<Span> spans) {
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(attr("service.name", "bench")))
                .addScopeSpans(ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("bench")).addAllSpans(spans)))
                .build();
    }

    private static Span span(byte[] traceId, byte[] spanId, byte[] parent, String name, List<KeyValue> attributes) {
        long now = System.currentTimeMillis() * 1_000_000L;
        Span.Builder b = Span.newBuilder().setTraceId(ByteString.copyFrom(traceId)).setSpanId(ByteString.copyFrom(spanId))
                .setName(name).setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
                .setStartTimeUnixNano(now - 50_000_000L).setEndTimeUnixNano(now).addAllAttributes(attributes);
        if (parent != null) {
            b.setParentSpanId(ByteString.copyFrom(parent));
        }
        return b.build();
    }

    private static KeyValue attr(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static KeyValue attr(String key, long value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    private static String createProject(String gateway, String adminKey) throws Exception {
        String name = "bench-" + Long.toHexString(System.nanoTime());
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(gateway + "/api/v1/llm/projects"))
                .header("X-API-Key", adminKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("creating the bench's LLM project answered " + r.statusCode() + ": " + r.body());
        }
        JsonNode issued = JSON.readTree(r.body());
        String pair = issued.path("public_key").asText() + ":" + issued.path("secret_key").asText();
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    private static String summary(List<Double> ms) {
        List<Double> sorted = ms.stream().sorted().toList();
        if (sorted.isEmpty()) {
            return "no probes";
        }
        return String.format("p50 %.0f ms, p99 %.0f ms, max %.0f ms over %d traces (goal <= 1,000 ms)", at(sorted, 0.50),
                at(sorted, 0.99), sorted.getLast(), sorted.size());
    }

    private static double at(List<Double> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }

    private static String rss(List<String[]> pids) {
        StringBuilder s = new StringBuilder();
        for (String[] p : pids) {
            try {
                String kb = Files.readAllLines(Path.of("/proc", p[1], "status")).stream().filter(l -> l.startsWith("VmRSS:"))
                        .findFirst().orElse("VmRSS: 0 kB").replaceAll("\\D+", " ").trim();
                s.append(s.isEmpty() ? "" : ", ").append(p[0]).append(' ').append(Long.parseLong(kb) / 1024).append(" MB");
            } catch (Exception e) {
                s.append(s.isEmpty() ? "" : ", ").append(p[0]).append(" (gone)");
            }
        }
        return s.isEmpty() ? "(no pids given)" : s.toString();
    }
}
