package io.flywheel.system.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What users keep doing while parts of the stack fail, through the gateway: register models, upload
 * versions, register dataset versions, send predictions (HTTP ingest and the serving runtime), send
 * their labels, ask for retraining, and read. Every answer is recorded under the phase it fell in;
 * what was answered 2xx is kept, to be found again afterwards exactly once.
 *
 * <p>An answer is acceptable when it is a 2xx, a 4xx problem the request earned, or a 503/504 problem
 * with Retry-After (the dependency is down: try later). Anything else (a 500, a 503 without
 * Retry-After, a hang) is wrong, and named with its phase.
 */
final class Traffic implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI gateway;
    private final String key;
    private final String run;
    private final String servedModel;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService flows = Executors.newScheduledThreadPool(6);
    private volatile String phase = "steady";

    /** Kept: what the stack said it took. */
    final Set<String> models = ConcurrentHashMap.newKeySet();
    final Set<String> uploadedVersions = ConcurrentHashMap.newKeySet();
    final Set<String> datasetVersions = ConcurrentHashMap.newKeySet();
    final Set<String> retrainJobs = ConcurrentHashMap.newKeySet();
    final AtomicLong predictionsAccepted = new AtomicLong();
    final AtomicLong labelsAccepted = new AtomicLong();
    /** request id of every prediction accepted -> when and in which phase */
    final Map<String, Accepted> acceptedPredictionIds = new ConcurrentHashMap<>();

    /** A prediction the stack accepted: the phase, and System.nanoTime() when the answer came. */
    record Accepted(String phase, long answeredAt) {
    }
    /**
     * Records sent in requests that got no definite answer (none, or a 5xx): the stack may have taken
     * them or not, and the client would send them again. They bound what may be counted beyond what
     * was accepted; nothing accepted may be missing.
     */
    final AtomicLong predictionsUncertain = new AtomicLong();
    final AtomicLong labelsUncertain = new AtomicLong();
    /** request ids of predictions taken, whose labels the label flow sends */
    private final List<String> labelable = Collections.synchronizedList(new ArrayList<>());

    /** phase -> outcome ("2xx", "503", ...) -> count; and the answers that were wrong */
    final Map<String, Map<String, AtomicInteger>> outcomes = new ConcurrentHashMap<>();
    final List<String> wrong = Collections.synchronizedList(new ArrayList<>());
    /** "POST /api/v1/retrain/jobs 409 .../problems/..." -> count: what the 4xx answers were */
    final Map<String, AtomicInteger> refusals = new ConcurrentHashMap<>();
    /** phase -> reads that should have worked and did not */
    final List<String> failedReads = Collections.synchronizedList(new ArrayList<>());

    private final AtomicInteger sequence = new AtomicInteger();

    Traffic(URI gateway, String key, String run, String servedModel) {
        this.gateway = gateway;
        this.key = key;
        this.run = run;
        this.servedModel = servedModel;
    }

    void phase(String name) {
        this.phase = name;
    }

    void start() {
        flows.scheduleWithFixedDelay(guard(this::registerModel), 0, 400, TimeUnit.MILLISECONDS);
        flows.scheduleWithFixedDelay(guard(this::registerDatasetVersion), 100, 700, TimeUnit.MILLISECONDS);
        flows.scheduleWithFixedDelay(guard(this::ingestPredictions), 50, 300, TimeUnit.MILLISECONDS);
        flows.scheduleWithFixedDelay(guard(this::infer), 150, 300, TimeUnit.MILLISECONDS);
        flows.scheduleWithFixedDelay(guard(this::sendLabels), 200, 500, TimeUnit.MILLISECONDS);
        flows.scheduleWithFixedDelay(guard(this::askForRetraining), 250, 3000, TimeUnit.MILLISECONDS);
        flows.scheduleWithFixedDelay(guard(this::read), 300, 1000, TimeUnit.MILLISECONDS);
    }

    /** Which reads must keep working in the current phase (they don't need the part that is down). */
    private volatile Set<String> mustWork = Set.of();

    void readsThatMustWork(Set<String> paths) {
        this.mustWork = paths;
    }

    @Override
    public void close() throws InterruptedException {
        flows.shutdown();
        flows.awaitTermination(30, TimeUnit.SECONDS);
    }

    private Runnable guard(Runnable flow) {
        return () -> {
            try {
                flow.run();
            } catch (RuntimeException e) {
                wrong.add(phase + ": " + e);
            }
        };
    }

    private void registerModel() {
        String name = "fault-" + run + "-" + sequence.incrementAndGet();
        Answer created = send("POST", "/api/v1/models", "{\"name\":\"" + name + "\"}", "application/json", Map.of());
        if (created.status() == 201) {
            models.add(name);
            Answer draft = send("POST", "/api/v1/models/" + name + "/versions", "{\"framework\":\"fault-test\",\"format\":\"flywheel-linear\"}",
                    "application/json", Map.of());
            if (draft.status() == 201) {
                Answer upload = send("PUT", "/api/v1/models/" + name + "/versions/1/artifact", "weights of " + name,
                        "application/octet-stream", Map.of());
                if (upload.status() == 200) {
                    uploadedVersions.add(name + "/1");
                }
            }
        }
    }

    private void registerDatasetVersion() {
        String rows = "x,y,label\n" + sequence.incrementAndGet() + ",2,0\n" + UUID.randomUUID().hashCode() + ",4,1\n";
        Answer answer = send("PUT", "/api/v1/datasets/fault-" + run + "/versions", rows, "text/csv", Map.of());
        if (answer.status() == 201 && answer.body() != null) {
            datasetVersions.add(answer.body().path("id").asText());
        }
    }

    private void ingestPredictions() {
        StringBuilder batch = new StringBuilder("[");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String id = "ingest-" + run + "-" + sequence.incrementAndGet();
            ids.add(id);
            batch.append(i == 0 ? "" : ",").append("{\"request_id\":\"").append(id).append("\",\"model\":\"").append(servedModel)
                    .append("\",\"version\":1,\"inputs\":{\"x\":").append(i).append(".5,\"y\":").append(i % 3).append(".25},\"output\":0.")
                    .append(i).append('}');
        }
        String idempotencyKey = "batch-" + run + "-" + sequence.incrementAndGet();
        Answer answer = send("POST", "/api/v1/predictions", batch.append(']').toString(), "application/json",
                Map.of("Idempotency-Key", idempotencyKey));
        if (answer.status() == 202) {
            predictionsAccepted.addAndGet(ids.size());
            Accepted accepted = new Accepted(phase, System.nanoTime());
            ids.forEach(id -> acceptedPredictionIds.put(id, accepted));
            labelable.addAll(ids);
        } else if (answer.status() < 0 || answer.status() >= 500) {
            predictionsUncertain.addAndGet(ids.size());
        }
    }

    private void infer() {
        String id = "served-" + run + "-" + sequence.incrementAndGet();
        String body = "{\"id\":\"" + id + "\",\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP64\",\"data\":[1.5]},"
                + "{\"name\":\"y\",\"shape\":[1],\"datatype\":\"FP64\",\"data\":[0.5]}]}";
        Answer answer = send("POST", "/v2/models/" + servedModel + "/infer", body, "application/json",
                Map.of("X-Flywheel-Environment", "staging"));
        if (answer.status() == 200) {
            predictionsAccepted.incrementAndGet();
            acceptedPredictionIds.put(id, new Accepted(phase, System.nanoTime()));
        } else if (answer.status() < 0 || answer.status() >= 500) {
            predictionsUncertain.incrementAndGet();
        }
    }

    private void sendLabels() {
        List<String> ids;
        synchronized (labelable) {
            int n = Math.min(10, labelable.size());
            ids = new ArrayList<>(labelable.subList(0, n));
            labelable.subList(0, n).clear();
        }
        if (ids.isEmpty()) {
            return;
        }
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < ids.size(); i++) {
            batch.append(i == 0 ? "" : ",").append("{\"request_id\":\"").append(ids.get(i)).append("\",\"model\":\"").append(servedModel)
                    .append("\",\"label\":").append(i % 2).append('}');
        }
        Answer answer = send("POST", "/api/v1/feedback", batch.append(']').toString(), "application/json",
                Map.of("Idempotency-Key", "labels-" + run + "-" + sequence.incrementAndGet()));
        if (answer.status() == 202) {
            labelsAccepted.addAndGet(ids.size());
        } else if (answer.status() < 0 || answer.status() >= 500) {
            labelsUncertain.addAndGet(ids.size()); // maybe taken: not sent again, so nothing is joined twice
        } else {
            labelable.addAll(ids); // refused: send them again later
        }
    }

    private void askForRetraining() {
        Answer answer = send("POST", "/api/v1/retrain/jobs", "{\"model\":\"" + servedModel + "\",\"reason\":\"fault test\",\"force\":true}",
                "application/json", Map.of("Idempotency-Key", "retrain-" + run + "-" + sequence.incrementAndGet()));
        if ((answer.status() == 201 || answer.status() == 202) && answer.body() != null && answer.body().hasNonNull("id")) {
            retrainJobs.add(answer.body().path("id").asText());
        }
    }

    private void read() {
        for (String path : mustWork) {
            // the served model lives in staging; other routes ignore the header
            Answer answer = send("GET", path, null, null, Map.of("X-Flywheel-Environment", "staging"));
            if (answer.status() != 200) {
                failedReads.add(phase + ": GET " + path + " -> " + answer.status());
            }
        }
    }

    record Answer(int status, JsonNode body) {
    }

    Answer send(String method, String path, String body, String contentType, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.resolve(path)).timeout(Duration.ofSeconds(15))
                .header("X-API-Key", key)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        String where = phase;
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (java.io.IOException e) {
            // a connection cut is filed under the phase in which it broke: a request sent just before the
            // gateway's kill -9 and cut by it belongs to that kill, not to the phase it was sent in (a timeout
            // stays with the phase that sent it)
            String broke = e instanceof java.net.http.HttpTimeoutException ? where : phase;
            record(broke, "no answer");
            wrong.add(broke + ": " + method + " " + path + " got no answer (" + e.getMessage() + ")");
            return new Answer(-1, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, null);
        }
        int status = response.statusCode();
        String contentTypeOut = response.headers().firstValue("Content-Type").orElse("");
        JsonNode json = null;
        try {
            json = response.body().length == 0 ? null : JSON.readTree(response.body());
        } catch (java.io.IOException notJson) {
            // judged below
        }
        record(where, status >= 200 && status < 300 ? "2xx" : Integer.toString(status));
        boolean problem = contentTypeOut.startsWith("application/problem+json") && json != null;
        if (status >= 500) {
            boolean retryLater = (status == 503 || status == 504) && problem && response.headers().firstValue("Retry-After").isPresent();
            if (!retryLater) {
                wrong.add(where + ": " + method + " " + path + " -> " + status + " " + contentTypeOut + " "
                        + new String(response.body(), StandardCharsets.UTF_8).replace('\n', ' ').substring(0,
                        Math.min(200, response.body().length)));
            }
        } else if (status >= 400 && !problem) {
            wrong.add(where + ": " + method + " " + path + " -> " + status + " without a problem body");
        } else if (status >= 400) {
            refusals.computeIfAbsent(method + " " + route(path) + " " + status + " " + json.path("type").asText(),
                    r -> new AtomicInteger()).incrementAndGet();
        }
        return new Answer(status, json);
    }

    /** The path without the run's names, so that refusals group by route. */
    private String route(String path) {
        return path.replaceAll("\\?.*", "").replace(servedModel, "{served}").replaceAll("fault-" + run + "(-\\d+)?", "{name}");
    }

    private void record(String where, String outcome) {
        outcomes.computeIfAbsent(where, p -> new ConcurrentHashMap<>()).computeIfAbsent(outcome, o -> new AtomicInteger()).incrementAndGet();
    }

    /** "2xx 120, 503 14" for a phase. */
    String summary(String where) {
        Map<String, AtomicInteger> counts = new TreeMap<>(outcomes.getOrDefault(where, Map.of()));
        StringBuilder out = new StringBuilder();
        counts.forEach((outcome, n) -> out.append(out.isEmpty() ? "" : ", ").append(outcome).append(' ').append(n.get()));
        return out.toString();
    }
}
