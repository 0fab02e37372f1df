package io.flywheel.gateway.dashboard;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The registry and retrain as the dashboard's prompt and experiment pages read them, answering fixed JSON full of
 * markup a client could have sent (a template holding a script, labels, commit messages, outputs and diffs with
 * tags), so the pages' tests can check that every piece of it is shown as text. Records what it was asked.
 */
public class LlmServicesStub implements QuarkusTestResourceLifecycleManager {

    /** The requests seen: the URI (path and query) and whether it carried the gateway's internal token. */
    public static final List<String> SEEN = new CopyOnWriteArrayList<>();

    static final String HOSTILE = "<script>alert('x')</script>";

    private static final String V2 = """
            {"project": "p1", "name": "team/qa", "version": 2, "type": "text",
             "prompt": "Answer with only the answer: {{question}}\\n%s",
             "config": {"model": "stub-1", "temperature": 0.7, "note": "%s"},
             "labels": ["latest", "staging", "<i>odd</i>"], "tags": ["<b>tag</b>"], "commit_message": "only the answer %s",
             "experiment_id": "run-2", "created_by": "admin", "created_at": "2026-12-07T05:00:00Z"}"""
            .formatted(HOSTILE.replace("'", "\\u0027"), HOSTILE.replace("'", "\\u0027"), HOSTILE.replace("'", "\\u0027"));
    private static final String V1 = """
            {"project": "p1", "name": "team/qa", "version": 1, "type": "text", "prompt": "Answer: {{question}}",
             "config": {"model": "stub-1", "temperature": 0.2}, "labels": ["production"], "tags": ["<b>tag</b>"],
             "commit_message": "first", "created_by": "admin", "created_at": "2026-12-06T05:00:00Z"}""";
    private static final String RUN = """
            {"id": "run-2", "project": "p1", "dataset": "capitals", "name": "exact<script>", "status": "succeeded",
             "progress": {"total": 1, "done": 1, "failed": 0}, "prompt": {"name": "team/qa", "version": 2, "type": "text"},
             "model": "stub-1", "created_by": "admin", "created_at": "2026-12-07T05:01:00Z", "finished_at": "2026-12-07T05:02:00Z"}""";
    private static final String RUN_ITEMS = """
            {"run": %s, "items": [{"id": "ri1", "dataset_item_id": "item-1", "trace_id": "t1", "output": "<script>alert(2)</script>Paris",
              "scores": [{"name": "exact_match", "type": "BOOLEAN", "value": 1.0}], "latency_ms": 8, "total_tokens": 15}]}""".formatted(RUN);
    private static final String COMPARISON = """
            {"project": "p1", "dataset": "capitals", "runs": ["chatty", "exact<script>"],
             "summaries": [{"run": "chatty", "items": 1, "failed": 0, "mean_scores": {"exact_match": 0.0}, "pass_rate": 0.0,
                            "total_tokens": 40, "mean_latency_ms": 12, "mean_score_deltas": {}},
                           {"run": "exact<script>", "items": 1, "failed": 0, "mean_scores": {"exact_match": 1.0}, "pass_rate": 1.0,
                            "total_tokens": 15, "mean_latency_ms": 8, "mean_score_deltas": {"exact_match": 1.0}}],
             "items": [{"item_id": "item-1", "input": {"question": "<b>capital</b> of France?"}, "expected_output": "Paris",
                        "runs": [{"run": "chatty", "output": "I think <u>Paris</u>.", "scores": {"exact_match": {"type": "BOOLEAN", "value": 0.0}}},
                                 {"run": "exact<script>", "output": "Paris", "scores": {"exact_match": {"type": "BOOLEAN", "value": 1.0}}}],
                        "score_deltas": {"exact<script>": {"exact_match": 1.0}}, "outputs_differ": true,
                        "diffs": [{"run": "exact<script>", "against": "chatty", "differs": true, "lines": [],
                                   "words": [{"op": "delete", "text": "I think <u>"}, {"op": "equal", "text": "Paris"},
                                             {"op": "delete", "text": "</u>."}]}]}]}""";

    private Vertx vertx;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer().requestHandler(this::answer);
        try {
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the services' stub did not start", e);
        }
        String url = "http://127.0.0.1:" + server.actualPort();
        return Map.of("gateway.services.registry-service.url", url, "%test.gateway.services.registry-service.url", url,
                "gateway.services.retrain-service.url", url, "%test.gateway.services.retrain-service.url", url);
    }

    private void answer(HttpServerRequest request) {
        SEEN.add(request.uri() + (request.getHeader("Authorization") != null ? " (token)" : " (no token)"));
        String path = request.path();
        String version = request.getParam("version");
        String body = switch (path) {
            case "/api/v1/prompts" -> """
                    {"items": [{"project": "p1", "name": "team/qa", "type": "text", "versions": [2, 1],
                                "labels": ["latest", "production", "staging"], "tags": ["<b>tag</b>"], "updated_at": "2026-12-07T05:00:00Z"}],
                     "next_cursor": null}""";
            case "/api/v1/prompts/team/qa/versions" -> "{\"items\": [" + V2 + "," + V1 + "], \"next_cursor\": null}";
            case "/api/v1/prompts/team/qa" -> "1".equals(version) ? V1 : V2;
            case "/api/v1/prompts/team/chat" -> """
                    {"project": "p1", "name": "team/chat", "version": 1, "type": "chat", "prompt": [
                      {"role": "system", "content": "You answer about {{topic}}. <img src=x onerror=alert(3)>"},
                      {"type": "placeholder", "name": "<b>history</b>"},
                      {"role": "<i>user</i>", "content": "{{question}}"}],
                     "config": {}, "labels": ["latest"], "tags": [], "created_by": "admin", "created_at": "2026-12-07T05:00:00Z"}""";
            case "/api/v1/evaluation/datasets" -> """
                    {"items": [{"id": "d1", "project": "p1", "name": "capitals", "description": "<em>capitals</em>",
                                "created_at": "2026-12-07T05:00:00Z"}], "next_cursor": null}""";
            case "/api/v1/evaluation/experiments" -> "{\"items\": [" + RUN + "], \"next_cursor\": null}";
            case "/api/v1/evaluation/experiments/run-2" -> RUN;
            case "/api/v1/evaluation/datasets/capitals/runs" -> "{\"items\": [" + RUN + "], \"next_cursor\": null}";
            case "/api/v1/evaluation/datasets/capitals/runs/exact%3Cscript%3E" -> RUN_ITEMS;
            case "/api/v1/evaluation/datasets/capitals/runs/compare" -> COMPARISON;
            default -> null;
        };
        if (body == null) {
            request.response().setStatusCode(404).putHeader("Content-Type", "application/problem+json")
                    .end("{\"type\": \"not-found\", \"status\": 404, \"detail\": \"Prompt not found: <b>nope</b>\"}");
            return;
        }
        request.response().putHeader("Content-Type", "application/json").end(body);
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
