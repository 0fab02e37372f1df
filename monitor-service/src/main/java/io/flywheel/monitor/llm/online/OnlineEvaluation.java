package io.flywheel.monitor.llm.online;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.events.ObservationUpserted;
import io.flywheel.events.ScoreUpserted;
import io.flywheel.llm.eval.EvalCase;
import io.flywheel.llm.eval.EvalScore;
import io.flywheel.llm.eval.EvaluationException;
import io.flywheel.llm.eval.Evaluator;
import io.flywheel.llm.eval.EvaluatorSpec;
import io.flywheel.llm.eval.Evaluators;
import io.flywheel.llm.eval.chat.ChatClient;
import io.flywheel.llm.eval.chat.ChatEndpointException;
import io.flywheel.llm.eval.chat.OpenAiChatClient;
import io.flywheel.monitor.config.MonitorConfig;
import io.flywheel.monitor.llm.Received;
import io.flywheel.monitor.llm.Rows;
import io.flywheel.monitor.llm.TraceReads;
import io.flywheel.monitor.llm.TraceStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Online evaluation: a sampled share of a project's production generations scored by the evaluators
 * its rules name ({@code llm_online_evaluator}, {@link OnlineEvaluator}). The trace consumer hands
 * over each poll once it is stored; a generation whose output arrived and that a rule samples is
 * queued, read back as stored (its input may have come in an earlier message than its output), scored
 * off the consumer's path by a small pool of workers (an LLM judge waits on its endpoint), and the
 * score written like any other ({@link TraceStore}, source {@code EVAL}), so the score monitors watch
 * it per prompt version and model. The queue is bounded: when the workers fall behind, what does not
 * fit is counted as dropped instead of slowing ingestion.
 */
@ApplicationScoped
@Startup
public class OnlineEvaluation {

    private static final String COLUMNS = "project, name, evaluator, sample_rate, observation_name, prompt_name";
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    /** A rule and the evaluator made from it. */
    private record Rule(OnlineEvaluator spec, Evaluator evaluator) {
    }

    private final Pool db;
    private final ObjectMapper json;
    private final TraceReads reads;
    private final TraceStore store;
    private final ChatClient judge;
    private final ThreadPoolExecutor workers;
    private final Map<String, Counter> outcomes = new HashMap<>();
    private volatile Map<String, List<Rule>> rules = Map.of();

    public OnlineEvaluation(Pool db, ObjectMapper json, TraceReads reads, TraceStore store, MonitorConfig config, MeterRegistry meters,
                            @ConfigProperty(name = "flywheel.llm.endpoint.base-url") Optional<String> endpoint,
                            @ConfigProperty(name = "flywheel.llm.endpoint.api-key") Optional<String> apiKey) {
        this.db = db;
        this.json = json;
        this.reads = reads;
        this.store = store;
        MonitorConfig.OnlineEvaluation settings = config.llm().onlineEvaluation();
        this.judge = endpoint.filter(url -> !url.isBlank()).map(url -> (ChatClient) new OpenAiChatClient(new OpenAiChatClient.Config(
                URI.create(url), apiKey.orElse(""), settings.judgeTimeout(), settings.judgeRetries(), 0))).orElse(null);
        AtomicInteger threads = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(settings.workers(), settings.workers(), 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(settings.queue()), task -> {
                    Thread t = new Thread(task, "online-evaluation-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        for (String outcome : List.of("scored", "failed", "dropped", "skipped")) {
            outcomes.put(outcome, meters.counter("flywheel.monitor.llm.online_evaluations", "outcome", outcome));
        }
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
    }

    /** The evaluator a spec makes; an IllegalArgumentException says what to fix (an llm_judge without an endpoint among them). */
    public Evaluator evaluator(EvaluatorSpec spec) {
        if ("llm_judge".equals(spec.type()) && judge == null) {
            throw new IllegalArgumentException("an llm_judge needs a chat endpoint: set flywheel.llm.endpoint.base-url "
                    + "(env FLYWHEEL_LLM_ENDPOINT_BASE_URL) and flywheel.llm.endpoint.api-key for the monitor");
        }
        return Evaluators.create(spec, judge);
    }

    public Uni<OnlineEvaluator> put(OnlineEvaluator rule) {
        return db.preparedQuery("INSERT INTO llm_online_evaluator (" + COLUMNS + ") VALUES ($1, $2, $3::text::jsonb, $4, $5, $6) "
                        + "ON CONFLICT (project, name) DO UPDATE SET evaluator = EXCLUDED.evaluator, sample_rate = EXCLUDED.sample_rate, "
                        + "observation_name = EXCLUDED.observation_name, prompt_name = EXCLUDED.prompt_name, updated_at = now() "
                        + "RETURNING " + COLUMNS)
                .execute(Tuple.from(java.util.Arrays.asList(rule.project(), rule.name(), specJson(rule.evaluator()), rule.sampleRate(),
                        rule.observationName(), rule.promptName())))
                .map(rows -> rules(rows).getFirst())
                .call(this::refresh);
    }

    /** A project's rules, or every project's when {@code project} is null. */
    public Uni<List<OnlineEvaluator>> list(String project) {
        return db.preparedQuery("SELECT " + COLUMNS + " FROM llm_online_evaluator WHERE $1::text IS NULL OR project = $1 "
                + "ORDER BY project, name").execute(Tuple.of(project)).map(this::rules);
    }

    /** Whether the rule existed. */
    public Uni<Boolean> delete(String project, String name) {
        return db.preparedQuery("DELETE FROM llm_online_evaluator WHERE project = $1 AND name = $2").execute(Tuple.of(project, name))
                .map(rows -> rows.rowCount() > 0)
                .call(this::refresh);
    }

    /** Rules are read again on a schedule too: another replica may have changed them. */
    @Scheduled(every = "${monitor.llm.online-evaluation.refresh-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> refresh() {
        return list(null).invoke(all -> {
            Map<String, List<Rule>> byProject = new HashMap<>();
            for (OnlineEvaluator rule : all) {
                try {
                    byProject.computeIfAbsent(rule.project(), p -> new ArrayList<>()).add(new Rule(rule, evaluator(rule.evaluator())));
                } catch (IllegalArgumentException e) {
                    Log.warnf("online evaluator %s/%s is not used: %s", rule.project(), rule.name(), e.getMessage());
                }
            }
            rules = Map.copyOf(byProject);
        }).onFailure().invoke(e -> Log.warnf("online evaluators could not be read, keeping the last ones: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Queues the sampled generations of a stored poll; returns at once. */
    public void offer(List<Received> stored) {
        Map<String, List<Rule>> current = rules;
        if (current.isEmpty()) {
            return;
        }
        for (Received received : stored) {
            if (!(received.event() instanceof ObservationUpserted o) || o.output() == null
                    || o.type() != null && !"GENERATION".equals(o.type())) {
                continue; // an update without output changes nothing a rule reads from the output; its type, if sent, must fit
            }
            for (Rule rule : current.getOrDefault(o.project(), List.of())) {
                if (rule.spec().samples(o.id())) {
                    try {
                        workers.execute(() -> evaluate(rule, o.project(), o.id()));
                    } catch (RejectedExecutionException e) {
                        outcomes.get("dropped").increment();
                    }
                }
            }
        }
    }

    private void evaluate(Rule rule, String project, String observationId) {
        try {
            Optional<Rows.Observation> stored = reads.observation(project, observationId).await().atMost(READ_TIMEOUT).stream().findFirst();
            if (stored.isEmpty() || !rule.spec().matches(stored.get().type(), stored.get().name(), stored.get().promptName(),
                    stored.get().output() != null)) {
                outcomes.get("skipped").increment();
                return;
            }
            Rows.Observation o = stored.get();
            Map<String, Object> context = new LinkedHashMap<>();
            if (o.model() != null) {
                context.put("model", o.model());
            }
            if (o.promptName() != null) {
                context.put("prompt_name", o.promptName());
                context.put("prompt_version", o.promptVersion());
            }
            EvalScore score = rule.evaluator().evaluate(new EvalCase(GenerationText.of(o.input()), GenerationText.of(o.output()), null, context));
            ScoreUpserted event = score(rule.spec(), o, score);
            store.store(List.of(new Received(Received.key(project, UUID.randomUUID().toString()), event))).await().atMost(READ_TIMEOUT);
            outcomes.get("scored").increment();
        } catch (EvaluationException | ChatEndpointException e) {
            outcomes.get("failed").increment();
            Log.debugf("online evaluator %s/%s could not score %s: %s", project, rule.spec().name(), observationId, e.getMessage());
        } catch (RuntimeException e) {
            outcomes.get("failed").increment();
            Log.warnf("online evaluator %s/%s failed on %s: %s", project, rule.spec().name(), observationId, e.toString());
        }
    }

    /** The score event: one per rule and observation (a second evaluation replaces it), on the observation and its trace. */
    static ScoreUpserted score(OnlineEvaluator rule, Rows.Observation o, EvalScore s) {
        String stringValue = switch (s.type()) {
            case BOOLEAN -> s.value() != 0 ? "True" : "False";
            case CATEGORICAL -> s.category();
            case NUMERIC -> null;
        };
        Instant now = Instant.now();
        return new ScoreUpserted(o.project(), rule.scoreId(o.id()), s.name(), o.traceId(), o.id(), null, null, s.value(), stringValue,
                s.type().name(), "EVAL", s.comment(), Map.of("online_evaluator", rule.name()), null, o.environment(), now, now);
    }

    private String specJson(EvaluatorSpec spec) {
        try {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("type", spec.type());
            body.put("name", spec.name());
            body.put("params", spec.params());
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the evaluator's params cannot be written as JSON: " + e.getOriginalMessage());
        }
    }

    private List<OnlineEvaluator> rules(RowSet<Row> rows) {
        List<OnlineEvaluator> out = new ArrayList<>();
        for (Row row : rows) {
            Map<String, Object> spec;
            try {
                spec = json.readValue(row.getValue("evaluator").toString(), new TypeReference<>() {
                });
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("stored evaluator of " + row.getString("name") + " is not JSON", e);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> params = (Map<String, Object>) spec.get("params");
            out.add(new OnlineEvaluator(row.getString("project"), row.getString("name"),
                    new EvaluatorSpec((String) spec.get("type"), (String) spec.get("name"), params), row.getDouble("sample_rate"),
                    row.getString("observation_name"), row.getString("prompt_name")));
        }
        return out;
    }
}
