package io.flywheel.retrain.llm.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flywheel.events.ScoreUpserted;
import io.flywheel.llm.eval.EvalCase;
import io.flywheel.llm.eval.EvalScore;
import io.flywheel.llm.eval.Evaluator;
import io.flywheel.llm.eval.chat.ChatClient;
import io.flywheel.llm.eval.chat.ChatCompletion;
import io.flywheel.llm.eval.chat.ChatEndpointException;
import io.flywheel.llm.eval.chat.ChatMessage;
import io.flywheel.llm.eval.chat.ChatRequest;
import io.flywheel.retrain.llm.Dataset;
import io.flywheel.retrain.llm.DatasetItem;
import io.flywheel.retrain.llm.DatasetRun;
import io.flywheel.retrain.llm.DatasetStore;
import io.flywheel.retrain.llm.RunItem;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs experiments on threads of its own (the chat client blocks; the event loop never waits on it): up to
 * {@code flywheel.llm.experiments.max-running} experiments at once, each with up to its {@code concurrency}
 * items in flight, the calls paced by the chat client's rate limit. Per item: compile the prompt with the
 * item's input, call the endpoint, score the output against the expected output, publish the trace
 * (trace, generation, scores) to {@code flywheel.traces}, store the run item. An item that fails is
 * recorded with its error and the run goes on; the run ends {@code succeeded} (every item), {@code failed}
 * (none) or {@code partial}. At the end each evaluator's mean is published as a score on the run.
 */
@ApplicationScoped
public class ExperimentRunner {

    /** What one experiment runs. */
    public record Plan(DatasetRun run, Dataset dataset, List<DatasetItem> items, PromptRegistry.Found prompt, String model,
                       List<Evaluator> evaluators, int concurrency, ChatClient chat) {
    }

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DatasetStore store;
    private final TraceEmitter traces;
    private final ExecutorService experiments;

    public ExperimentRunner(DatasetStore store, TraceEmitter traces, LlmConfig config) {
        this.store = store;
        this.traces = traces;
        AtomicInteger n = new AtomicInteger();
        this.experiments = Executors.newFixedThreadPool(Math.max(1, config.experiments().maxRunning()), r -> {
            Thread t = new Thread(r, "experiment-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    void stop(@Observes ShutdownEvent ignored) {
        experiments.shutdownNow();
    }

    public void submit(Plan plan) {
        experiments.execute(() -> {
            try {
                run(plan);
            } catch (RuntimeException e) {
                Log.errorf(e, "experiment %s (%s) broke off", plan.run().id(), plan.run().name());
                try {
                    await(() -> store.finished(plan.run().id(), DatasetRun.FAILED, "the experiment broke off: " + e.getMessage()));
                } catch (RuntimeException again) {
                    Log.warnf("experiment %s: could not record its end: %s", plan.run().id(), again.getMessage());
                }
            }
        });
    }

    /** Runs the experiment on the caller's thread, until its end (a prompt optimisation waits for each of its runs). */
    public void run(Plan plan) {
        DatasetRun run = plan.run();
        await(() -> store.started(run.id()));
        Log.infof("experiment %s: run '%s' of dataset '%s' in project %s, %d item(s), model %s, %d at once", run.id(), run.name(),
                plan.dataset().name(), run.project(), plan.items().size(), plan.model(), plan.concurrency());
        ExecutorService workers = Executors.newFixedThreadPool(plan.concurrency(), r -> {
            Thread t = new Thread(r, "experiment-" + run.id().substring(0, 8) + "-item");
            t.setDaemon(true);
            return t;
        });
        List<Future<Item>> futures = new ArrayList<>();
        try {
            for (DatasetItem item : plan.items()) {
                futures.add(workers.submit(() -> runItem(plan, item)));
            }
            List<Item> done = new ArrayList<>();
            for (Future<Item> f : futures) {
                try {
                    done.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    Log.warnf(e.getCause(), "experiment %s: an item broke off", run.id());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted (the service is stopping)", e);
                }
            }
            long failed = plan.items().size() - done.stream().filter(i -> i.error() == null).count();
            String status = failed == 0 ? DatasetRun.SUCCEEDED : failed == plan.items().size() ? DatasetRun.FAILED : DatasetRun.PARTIAL;
            String error = failed == 0 ? null : failed + " of " + plan.items().size() + " item(s) failed; each run item has its error";
            publishRunScores(plan, done);
            await(() -> store.finished(run.id(), status, error));
            Log.infof("experiment %s: %s, %d of %d item(s) failed", run.id(), status, failed, plan.items().size());
        } finally {
            workers.shutdownNow();
        }
    }

    /** One item's outcome: its scores, or the error that stopped it. */
    record Item(List<EvalScore> scores, String error) {
    }

    Item runItem(Plan plan, DatasetItem item) {
        DatasetRun run = plan.run();
        String traceId = hex(16);
        String observationId = hex(8);
        Instant start = Instant.now();
        List<ChatMessage> messages = null;
        ChatCompletion completion = null;
        String error = null;
        Map<String, Object> parameters = plan.prompt().template().parameters();
        try {
            messages = plan.prompt().template().compile(item.input());
            completion = plan.chat().complete(new ChatRequest(plan.model(), messages, parameters));
        } catch (IllegalArgumentException e) {
            error = "the prompt can't be compiled with this item's input: " + e.getMessage();
        } catch (ChatEndpointException e) {
            error = "the chat endpoint failed" + (e.status() > 0 ? " (" + e.status() + ")" : "") + ": " + e.getMessage();
        } catch (RuntimeException e) {
            error = "the call to the chat endpoint failed: " + e;
        }
        Instant end = Instant.now();
        String output = completion == null ? null : completion.content();

        List<EvalScore> scores = new ArrayList<>();
        ArrayNode scoreJson = JSON.createArrayNode();
        if (error == null) {
            EvalCase evalCase = new EvalCase(PromptTemplate.text(item.input()), output, PromptTemplate.text(item.expectedOutput()),
                    ExperimentService.metadata(item));
            for (Evaluator evaluator : plan.evaluators()) {
                try {
                    EvalScore s = evaluator.evaluate(evalCase);
                    scores.add(s);
                    scoreJson.add(scoreJson(s));
                } catch (RuntimeException e) {
                    // one evaluator that can't score this case doesn't sink the item: its entry says why
                    ObjectNode failed = JSON.createObjectNode();
                    failed.put("name", evaluator.name());
                    failed.put("error", String.valueOf(e.getMessage()));
                    scoreJson.add(failed);
                }
            }
        }

        long promptTokens = completion == null || completion.usage() == null ? 0 : completion.usage().promptTokens();
        long completionTokens = completion == null || completion.usage() == null ? 0 : completion.usage().completionTokens();
        long totalTokens = completion == null || completion.usage() == null ? 0 : completion.usage().totalTokens();
        ItemTrace trace = ItemTrace.of(new ItemTrace.Run(run.project(), traceId, observationId, run.id(), run.name(), plan.dataset().id(),
                plan.dataset().name(), item.id(), plain(item.input()), plain(item.expectedOutput()), plan.prompt().name(),
                plan.prompt().name() == null ? null : plan.prompt().version(), plan.model(), parameters, messages, output, error,
                promptTokens, completionTokens, totalTokens, start, end), scores);
        try {
            await(() -> traces.publish(trace));
        } catch (RuntimeException e) {
            Log.warnf("experiment %s: the trace of item %s could not be published: %s", run.id(), item.id(), e.getMessage());
            if (error == null) {
                error = "the output's trace could not be published to Kafka: " + e.getMessage();
            }
        }
        Long latency = completion == null ? null : (completion.latency() == null ? Duration.between(start, end) : completion.latency()).toMillis();
        RunItem.Outcome outcome = new RunItem.Outcome(item.id(), traceId, observationId, output == null ? null : JSON.getNodeFactory().textNode(output),
                error == null ? scoreJson : null, latency, completion == null ? null : promptTokens,
                completion == null ? null : completionTokens, completion == null ? null : totalTokens, error);
        await(() -> store.recordOutcome(run.project(), run.id(), outcome));
        return new Item(scores, error);
    }

    /** Each evaluator's mean over the items it scored, as a score on the run (Langfuse's run-level evaluator shape). */
    private void publishRunScores(Plan plan, List<Item> done) {
        Map<String, double[]> sums = new LinkedHashMap<>();
        for (Item item : done) {
            for (EvalScore s : item.scores()) {
                if (s.type() != io.flywheel.llm.eval.ScoreType.CATEGORICAL) {
                    double[] sum = sums.computeIfAbsent(s.name(), k -> new double[2]);
                    sum[0] += s.value();
                    sum[1]++;
                }
            }
        }
        List<ScoreUpserted> scores = new ArrayList<>();
        Instant now = Instant.now();
        sums.forEach((name, sum) -> scores.add(ItemTrace.runScore(plan.run().project(), plan.run().id(), name + "_mean", sum[0] / sum[1],
                "mean of " + (long) sum[1] + " item(s)", now)));
        try {
            await(() -> traces.publish(scores));
        } catch (RuntimeException e) {
            Log.warnf("experiment %s: its run scores could not be published: %s", plan.run().id(), e.getMessage());
        }
    }

    private static JsonNode scoreJson(EvalScore s) {
        ObjectNode out = JSON.createObjectNode();
        out.put("name", s.name());
        out.put("type", s.type().name());
        out.put("value", s.value());
        out.put("category", s.category());
        out.put("comment", s.comment());
        return out;
    }

    private static Object plain(JsonNode value) {
        return value == null || value.isNull() ? null : JSON.convertValue(value, Object.class);
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static <T> T await(Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(work);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
