package io.flywheel.system.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.system.support.OpenApi;
import io.flywheel.system.support.RawHttp;
import io.flywheel.system.support.TestStack;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A seeded fuzz of the whole public surface, through the test stack's gateway, as an admin (so that
 * every request reaches the service behind the route): every operation of the merged OpenAPI
 * document gets odd path segments, query values, headers and bodies, wrong Content-Type and Accept,
 * and the methods it does not take. No answer may be a 5xx; every 4xx must be a problem document;
 * the stack must still be ready afterwards. A 503 service-unavailable with Retry-After (the gateway
 * found a connection to a service closed under it, seen once after the fault test's restarts) is
 * retried once as a client would, and listed; a second 503 is wrong. Repeat a run with {@code -Dfuzz.seed=<seed>}; more cases
 * per kind with {@code -Dfuzz.per-kind=<n>}.
 */
class FuzzIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RawHttp http = new RawHttp(TestStack.gateway());
    private final String key = TestStack.adminKey();

    @Test
    void noRequestGetsA5xxAndEveryRefusalIsAProblem() throws Exception {
        long seed = Long.getLong("fuzz.seed", 20261204L);
        int perKind = Integer.getInteger("fuzz.per-kind", 4);
        String run = Long.toString(seed, 36);
        Map<String, String> plausible = seedData(run);

        RawHttp.Response document = get("/openapi");
        assertThat(document.status()).as("GET /openapi").isEqualTo(200);
        OpenApi api = OpenApi.parse(document.text());
        List<OpenApi.Operation> operations = api.operations();
        assertThat(operations).as("operations in the merged OpenAPI document").hasSizeGreaterThan(40);

        Fuzzer fuzzer = new Fuzzer(seed, plausible);
        List<Fuzzer.Case> cases = new ArrayList<>();
        for (OpenApi.Operation operation : operations) {
            cases.addAll(fuzzer.cases(api, operation, perKind));
        }
        operations.stream().collect(Collectors.groupingBy(OpenApi.Operation::path, LinkedHashMap::new,
                        Collectors.mapping(OpenApi.Operation::method, Collectors.toList())))
                .forEach((path, methods) -> cases.addAll(fuzzer.otherMethods(path, methods)));
        cases.addAll(limits());

        Map<Integer, Integer> byStatus = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        List<String> transients = new ArrayList<>();
        List<Map.Entry<Long, String>> slowest = new ArrayList<>();
        long started = System.nanoTime();
        for (Fuzzer.Case c : cases) {
            Map<String, String> headers = new LinkedHashMap<>(c.headers());
            headers.putIfAbsent("X-API-Key", key);
            long sent = System.nanoTime();
            RawHttp.Response response = http.send(c.method(), c.target(), headers, c.body());
            if (isTransientUnavailability(response)) {
                // what a client does with a 503 service-unavailable and Retry-After: try again once. A
                // service that is really down (or an input that makes it so) answers 503 again: wrong.
                transients.add(c.operation() + " [" + c.what() + "]: " + clip(response.text()));
                Thread.sleep(1_000);
                response = http.send(c.method(), c.target(), headers, c.body());
            }
            slowest.add(Map.entry((System.nanoTime() - sent) / 1_000_000, c.operation() + " [" + c.what() + "] " + response.status()));
            byStatus.merge(response.status(), 1, Integer::sum);
            String problem = judge(c, response);
            if (problem != null) {
                wrong.add(c.operation() + " [" + c.what() + "] -> " + problem);
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;

        System.out.printf("%nFuzz (seed %d, %d per kind): %d requests over %d operations in %.1f s%n", seed, perKind, cases.size(),
                operations.size(), seconds);
        byStatus.forEach((status, count) -> System.out.printf("  %s  %5d%n", status < 0 ? "no answer" : status, count));
        slowest.sort(Map.Entry.<Long, String>comparingByKey().reversed());
        System.out.println("  slowest answers:");
        slowest.stream().limit(8).forEach(s -> System.out.printf("    %6d ms  %s%n", s.getKey(), s.getValue()));
        System.out.println("  503 service-unavailable answered once and retried: " + transients.size());
        transients.forEach(t -> System.out.println("    " + t));
        wrong.stream().limit(60).forEach(w -> System.out.println("  WRONG " + w));

        RawHttp.Response ready = get("/api/v1/system/ready");
        assertThat(ready.status()).as("the stack after the fuzz: " + ready.text()).isEqualTo(200);
        assertThat(wrong).as("answers that were a 5xx, no answer, or a 4xx that is not a problem (seed " + seed + ")").isEmpty();
    }

    private static boolean isTransientUnavailability(RawHttp.Response response) {
        return response.status() == 503 && response.header("retry-after") != null
                && response.text().contains("urn:flywheel:problem:service-unavailable");
    }

    /** null when the answer is acceptable, otherwise what is wrong with it. */
    private static String judge(Fuzzer.Case c, RawHttp.Response response) {
        int status = response.status();
        if (status < 0) {
            return "no answer (" + response.header("x-error") + ")";
        }
        if (status >= 500) {
            return status + " " + clip(response.text());
        }
        if (status < 400) {
            return null;
        }
        String type = response.header("content-type");
        if (isLangfuseRoute(c.target())) {
            return langfuseError(c, response, status, type);
        }
        if (type == null || !type.startsWith("application/problem+json")) {
            return status + " with Content-Type " + type + ": " + clip(response.text());
        }
        if (c.method().equals("HEAD")) {
            return null;
        }
        try {
            JsonNode body = JSON.readTree(response.body());
            if (!body.path("type").asText().startsWith("urn:flywheel:problem:") || body.path("status").asInt() != status
                    || body.path("detail").asText().isBlank()) {
                return status + " with an incomplete problem: " + clip(response.text());
            }
        } catch (java.io.IOException e) {
            return status + " with a body that is not JSON: " + clip(response.text());
        }
        return null;
    }

    /**
     * Langfuse's SDKs read {"message": ...} (or {"error": ...}) from a refusal on the routes they call, so
     * the gateway answers those in Langfuse's shape instead of a problem (gateway/README.md).
     */
    private static boolean isLangfuseRoute(String target) {
        return target.startsWith("/api/public/") || target.equals("/v1/traces") || target.startsWith("/v1/traces?");
    }

    private static String langfuseError(Fuzzer.Case c, RawHttp.Response response, int status, String type) {
        if (type != null && type.startsWith("application/problem+json")) {
            return null; // refused before routing (413, 414, 431) or a service unavailable: a problem is fine too
        }
        if (type == null || !type.startsWith("application/json")) {
            return status + " with Content-Type " + type + ": " + clip(response.text());
        }
        if (c.method().equals("HEAD")) {
            return null;
        }
        try {
            JsonNode body = JSON.readTree(response.body());
            return body.path("message").asText().isBlank() && body.path("error").asText().isBlank()
                    ? status + " without Langfuse's message or error: " + clip(response.text()) : null;
        } catch (java.io.IOException e) {
            return status + " with a body that is not JSON: " + clip(response.text());
        }
    }

    /** Requests past the server's own limits: a request target over 8 KiB, headers over 16 KiB. */
    private static List<Fuzzer.Case> limits() {
        List<Fuzzer.Case> cases = new ArrayList<>();
        for (String prefix : List.of("/api/v1/models", "/api/v1/drift/compare", "/api/v1/retrain/jobs", "/api/v1/deployments/m",
                "/v2/models/m/ready", "/api/v1/keys", "/openapi", "/dashboard")) {
            cases.add(new Fuzzer.Case(prefix, "a 10 KiB query", "GET", prefix + "?q=" + "q".repeat(10_240), Map.of(), null));
            cases.add(new Fuzzer.Case(prefix, "a 20 KiB header", "GET", prefix, Map.of("X-Padding", "h".repeat(20_480)), null));
        }
        return cases;
    }

    /** An existing model with a ready version 1 and a dataset with a version: what plausible path values name. */
    private Map<String, String> seedData(String run) {
        String name = "fuzz-" + run;
        send("POST", "/api/v1/models", "{\"name\":\"" + name + "\"}", "application/json");
        send("POST", "/api/v1/models/" + name + "/versions", "{\"framework\":\"flywheel-linear\",\"format\":\"json\"}", "application/json");
        send("PUT", "/api/v1/models/" + name + "/versions/1/artifact", "{\"fuzz\":true}", "application/octet-stream");
        send("POST", "/api/v1/datasets", "{\"name\":\"" + name + "\"}", "application/json");
        RawHttp.Response dataset = send("PUT", "/api/v1/datasets/" + name + "/versions", "x,y,label\n1,2,0\n3,4,1\n", "text/csv");
        String datasetVersion = "0";
        try {
            datasetVersion = JSON.readTree(dataset.body()).path("id").asText("0");
        } catch (java.io.IOException ignored) {
            // the fuzz still runs; that operation then only sees odd ids
        }
        Map<String, String> plausible = new LinkedHashMap<>();
        plausible.put("name", name);
        plausible.put("model", name);
        plausible.put("version", "1");
        plausible.put("alias", "champion");
        plausible.put("environment", "staging");
        plausible.put("id", datasetVersion);
        return plausible;
    }

    private RawHttp.Response get(String path) {
        return http.send("GET", path, Map.of("X-API-Key", key), null);
    }

    private RawHttp.Response send(String method, String path, String body, String contentType) {
        return http.send(method, path, Map.of("X-API-Key", key, "Content-Type", contentType), body.getBytes(StandardCharsets.UTF_8));
    }

    private static String clip(String text) {
        String oneLine = text.replace('\n', ' ');
        return oneLine.length() > 300 ? oneLine.substring(0, 300) + "..." : oneLine;
    }
}
