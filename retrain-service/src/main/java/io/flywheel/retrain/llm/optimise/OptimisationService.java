package io.flywheel.retrain.llm.optimise;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flywheel.events.PromptPromotionRequested;
import io.flywheel.llm.eval.Evaluator;
import io.flywheel.llm.eval.chat.ChatClient;
import io.flywheel.llm.eval.chat.ChatEndpointException;
import io.flywheel.llm.eval.chat.ChatMessage;
import io.flywheel.llm.eval.chat.ChatRequest;
import io.flywheel.retrain.InvalidRequestException;
import io.flywheel.retrain.llm.DatasetItem;
import io.flywheel.retrain.llm.DatasetRun;
import io.flywheel.retrain.llm.DatasetStore;
import io.flywheel.retrain.llm.RunItem;
import io.flywheel.retrain.llm.experiment.ExperimentClients;
import io.flywheel.retrain.llm.experiment.ExperimentRequest;
import io.flywheel.retrain.llm.experiment.ExperimentRunner;
import io.flywheel.retrain.llm.experiment.ExperimentService;
import io.flywheel.retrain.llm.experiment.LlmConfig;
import io.flywheel.retrain.llm.experiment.PromptRegistry;
import io.flywheel.retrain.llm.experiment.PromptTemplate;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Prompt optimisation: the prompt's {@code production} version (the baseline) and each candidate run as
 * experiments on one dataset, through the experiments' own runner, one after the other on a thread of this
 * service (never the event loop). The best candidate by the deciding score's mean that beats the baseline by
 * the margin is registered as a new version of the prompt (with its label, never {@code production}) and
 * {@link PromptPromotionRequested} goes out; deploy moves {@code production} after its canary.
 * Everything wrong with the request is a 400 before anything runs.
 */
@ApplicationScoped
public class OptimisationService {

    public static final String DEFAULT_LABEL = "candidate";
    static final int MAX_GIVEN = 10;
    static final int MAX_GENERATED = 5;
    static final int DEFAULT_GENERATED = 3;
    private static final Pattern LABEL = Pattern.compile("[a-z0-9_\\-.]{1,36}");
    /** Labels this job must never set: production is deploy's to move after the canary; latest is derived. */
    private static final List<String> FORBIDDEN_LABELS = List.of("production", "latest");

    private final DatasetStore datasets;
    private final OptimisationStore store;
    private final PromptRegistry prompts;
    private final ExperimentService experiments;
    private final ExperimentRunner runner;
    private final ExperimentClients clients;
    private final LlmConfig.Experiments defaults;
    private final ExecutorService jobs;
    private final ObjectMapper strict;

    /** What one optimisation runs with, besides its row. */
    record Work(PromptOptimisation row, OptimisationRequest request, PromptRegistry.Found baseline, String model, String principal) {
    }

    public OptimisationService(DatasetStore datasets, OptimisationStore store, PromptRegistry prompts, ExperimentService experiments,
                               ExperimentRunner runner, ExperimentClients clients, LlmConfig config, ObjectMapper json) {
        this.strict = json.copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        this.datasets = datasets;
        this.store = store;
        this.prompts = prompts;
        this.experiments = experiments;
        this.runner = runner;
        this.clients = clients;
        this.defaults = config.experiments();
        AtomicInteger n = new AtomicInteger();
        this.jobs = Executors.newFixedThreadPool(Math.max(1, defaults.maxRunning()), r -> {
            Thread t = new Thread(r, "optimisation-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    void failInterrupted(@Observes StartupEvent ignored) {
        store.failInterrupted().subscribe().with(n -> {
            if (n > 0) {
                Log.warnf("%d prompt optimisation(s) were running when retrain-service stopped; marked failed", n);
            }
        }, e -> Log.warnf("could not mark interrupted prompt optimisations failed: %s", e.getMessage()));
    }

    void stop(@Observes ShutdownEvent ignored) {
        jobs.shutdownNow();
    }

    /**
     * Checks the request, reads the baseline (the prompt's {@code production} version) and the dataset, records
     * the job (queued) and starts it. The same {@code idempotencyKey} again answers the first job, replayed.
     */
    public Uni<OptimisationStore.Created> start(String project, String principal, JsonNode body, OptimisationStore.Origin origin) {
        OptimisationRequest request;
        try {
            // strict: a misspelt field ("margn") is refused, not silently left at its default
            request = body == null || body.isNull() ? null : strict.treeToValue(body, OptimisationRequest.class);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        return start(project, principal, request, origin);
    }

    public Uni<OptimisationStore.Created> start(String project, String principal, OptimisationRequest request, OptimisationStore.Origin origin) {
        check(request);
        List<ExperimentRequest.Evaluator> evaluators = evaluators(request);
        String scoreName;
        try {
            List<Evaluator> built = clients.evaluators(evaluators, clients.chat(request.requestsPerSecond(), request.maxRetries()));
            scoreName = built.getFirst().name();
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage().replaceFirst("^evaluators\\[0]", "evaluator"));
        }
        String name = request.prompt().strip();
        return datasets.requireDataset(project, request.dataset().strip())
                .chain(dataset -> datasets.activeItems(project, dataset.id()).invoke(items -> {
                    if (items.isEmpty()) {
                        throw new InvalidRequestException("dataset '" + dataset.name() + "' has no ACTIVE items to run");
                    }
                }))
                // the registry client blocks: a worker thread, never the event loop
                .chain(items -> Uni.createFrom().item(() -> prompts.fetch(project, name, "production", null, principal))
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()))
                .chain(baseline -> {
                    String model = model(request, baseline);
                    JsonNode candidates = plannedCandidates(request, baseline);
                    String id = UUID.randomUUID().toString();
                    return store.create(id, project, name, request.dataset().strip(), OptimisationStore.JSON.valueToTree(request), scoreName,
                                    request.margin() == null ? 0 : request.margin(), baseline.version(), candidates, origin)
                            .invoke(created -> {
                                if (!created.replayed()) {
                                    submit(new Work(created.optimisation(), request, baseline, model, principal));
                                }
                            });
                });
    }

    private void submit(Work work) {
        jobs.execute(() -> {
            try {
                run(work);
            } catch (RuntimeException e) {
                Log.errorf(e, "prompt optimisation %s broke off", work.row().id());
                fail(work.row().id(), "the optimisation broke off: " + e.getMessage());
            }
        });
    }

    /** A candidate, as it goes through the job: its prompt, whether it may run (else why not), its run and mean. */
    private record Candidate(int index, String source, PromptTemplate template, String refusal) {
    }

    void run(Work work) {
        PromptOptimisation row = work.row();
        OptimisationRequest request = work.request();
        String id = row.id();
        await(() -> store.started(id));
        Log.infof("prompt optimisation %s: prompt '%s' (production, version %d) of project %s on dataset '%s', score %s", id, row.prompt(),
                row.baselineVersion(), row.project(), row.dataset(), row.scoreName());

        // 1. the baseline, as the registry holds it
        await(() -> store.progress(id, "baseline", null, null, null));
        Ran baseline;
        try {
            baseline = experiment(work, new ExperimentRequest.Prompt(row.prompt(), null, row.baselineVersion(), null, null, null), "baseline",
                    "the baseline: production, version " + row.baselineVersion());
        } catch (JobFailure e) {
            fail(id, e.getMessage());
            return;
        }
        await(() -> store.progress(id, "candidates", baseline.run().id(), baseline.mean(), null));

        // 2. the candidates: given, or asked of the endpoint with the meta-prompt
        List<Candidate> candidates;
        try {
            candidates = candidates(work, baseline);
        } catch (JobFailure e) {
            fail(id, e.getMessage());
            return;
        }
        ArrayNode record = OptimisationStore.JSON.createArrayNode();
        candidates.forEach(c -> record.add(candidateJson(c, null, null)));
        await(() -> store.progress(id, "candidates", null, null, record));

        // 3. each candidate that may run, on the same dataset with the same evaluators and model
        List<Optimisations.Scored> scored = new ArrayList<>();
        Map<Integer, Ran> runs = new LinkedHashMap<>();
        int runnable = (int) candidates.stream().filter(c -> c.refusal() == null).count();
        int n = 0;
        for (Candidate c : candidates) {
            if (c.refusal() != null) {
                continue;
            }
            String step = "candidate " + (++n) + " of " + runnable;
            await(() -> store.progress(id, step, null, null, null));
            Ran ran;
            try {
                ran = experiment(work, new ExperimentRequest.Prompt(null, null, null, c.template().type(), c.template().prompt(),
                        c.template().config()), "candidate-" + c.index(), "candidate " + c.index() + " (" + c.source() + ")");
            } catch (JobFailure e) {
                fail(id, e.getMessage());
                return;
            }
            runs.put(c.index(), ran);
            scored.add(new Optimisations.Scored(c.index(), ran.mean()));
            record.set(c.index(), candidateJson(c, ran.run().id(), ran.mean()));
            await(() -> store.progress(id, step, null, null, record));
        }

        // 4. the decision
        Optimisations.Decision decision = Optimisations.decide(baseline.mean(), scored, row.margin());
        Map<String, Object> evidence = evidence(row, baseline, decision, runs, candidates);
        if (!decision.improved()) {
            String reason = runnable == 0 ? "no improvement: every candidate was refused (" + String.join("; ",
                    candidates.stream().map(c -> "candidate " + c.index() + ": " + c.refusal()).toList()) + ")" : decision.reason();
            await(() -> store.finished(id, PromptOptimisation.NO_IMPROVEMENT, reason, null,
                    decision.best() == null ? null : decision.best().index(), decision.best() == null ? null : decision.best().mean(),
                    OptimisationStore.JSON.valueToTree(evidence)));
            Log.infof("prompt optimisation %s: %s", id, reason);
            return;
        }

        // 5. the winner: a new version of the prompt, then deploy's request with the job's end
        Candidate winner = candidates.get(decision.best().index());
        Ran winning = runs.get(winner.index());
        await(() -> store.progress(id, "registering", null, null, null));
        String commitMessage = truncate("prompt optimisation " + id + ": candidate " + winner.index() + " (" + winner.source() + ") "
                + decision.reason() + " on " + row.scoreName() + " over " + baseline.items() + " item(s) of dataset '" + row.dataset() + "'", 500);
        int version;
        try {
            version = prompts.register(row.project(), row.prompt(), winner.template(), List.of(label(request)), commitMessage,
                    winning.run().id(), work.principal());
        } catch (RuntimeException e) {
            fail(id, "registering the winning candidate failed: " + e.getMessage());
            return;
        }
        String reason = "prompt optimisation " + id + " (" + row.triggerKind() + "): registered version " + version + " of '" + row.prompt()
                + "' as " + label(request) + ": " + decision.reason();
        Map<String, Object> withVersion = new LinkedHashMap<>(evidence);
        withVersion.put("candidate_version", version);
        PromptPromotionRequested event = new PromptPromotionRequested(row.project(), row.prompt(), version, row.baselineVersion(), id,
                winning.run().id(), row.scoreName(), withVersion, reason, Instant.now());
        await(() -> store.promotionRequested(id, winner.index(), decision.best().mean(), version, reason, event));
        Log.infof("prompt optimisation %s: %s", id, reason);
    }

    /** One experiment that ran to its end, its run and the deciding score's mean over its items. */
    private record Ran(DatasetRun run, double mean, int items, List<RunItem> runItems) {
    }

    /** Ends the job failed with its reason. */
    private static final class JobFailure extends RuntimeException {
        JobFailure(String message) {
            super(message);
        }
    }

    private Ran experiment(Work work, ExperimentRequest.Prompt prompt, String what, String description) {
        PromptOptimisation row = work.row();
        OptimisationRequest r = work.request();
        ObjectNode metadata = OptimisationStore.JSON.createObjectNode();
        metadata.put("optimisation_id", row.id());
        metadata.put("optimisation_role", what);
        ExperimentRequest asked = new ExperimentRequest(row.project(), row.dataset(), "optimisation-" + row.id().substring(0, 8) + "-" + what,
                "prompt optimisation " + row.id() + ": " + description, metadata, prompt, work.model(), evaluators(r), r.concurrency(),
                r.requestsPerSecond(), r.maxRetries());
        ExperimentRunner.Plan plan;
        try {
            plan = await(() -> experiments.prepare(row.project(), work.principal(), asked));
        } catch (RuntimeException e) {
            throw new JobFailure("the " + what + " experiment could not start: " + e.getMessage());
        }
        runner.run(plan);
        DatasetRun run = await(() -> datasets.runById(plan.run().id())).orElseThrow();
        if (DatasetRun.FAILED.equals(run.status())) {
            throw new JobFailure("the " + what + " experiment (run " + run.id() + ") failed on every item: " + run.error()
                    + firstItemError(run.id()));
        }
        List<RunItem> items = await(() -> datasets.allRunItems(run.id()));
        List<Double> values = new ArrayList<>();
        for (DatasetItem item : plan.items()) {
            values.add(items.stream().filter(i -> i.datasetItemId().equals(item.id())).findFirst()
                    .map(i -> score(i, row.scoreName())).orElse(null));
        }
        return new Ran(run, Optimisations.mean(values), plan.items().size(), items);
    }

    private String firstItemError(String runId) {
        return await(() -> datasets.allRunItems(runId)).stream().map(RunItem::error).filter(e -> e != null).findFirst()
                .map(e -> " (e.g. " + e + ")").orElse("");
    }

    private List<Candidate> candidates(Work work, Ran baseline) {
        OptimisationRequest r = work.request();
        PromptTemplate base = work.baseline().template();
        String baseText = text(base);
        List<Candidate> out = new ArrayList<>();
        if (r.candidates() != null) {
            for (int i = 0; i < r.candidates().size(); i++) {
                OptimisationRequest.Candidate c = r.candidates().get(i);
                PromptTemplate t = new PromptTemplate(base.type(), c.prompt(), c.config() == null ? base.config() : c.config());
                out.add(new Candidate(i, "given", t, Optimisations.refusal(baseText, text(t))));
            }
            return out;
        }
        OptimisationRequest.Generate g = r.generate();
        int count = g.count() == null ? DEFAULT_GENERATED : g.count();
        String model = g.model() == null || g.model().isBlank() ? work.model() : g.model().strip();
        String meta = Optimisations.metaPrompt(g.metaPrompt(), baseText, work.row().scoreName(), failures(work, baseline));
        ChatClient chat = clients.chat(r.requestsPerSecond(), r.maxRetries());
        for (int i = 0; i < count; i++) {
            int seed = i;
            String answer;
            try {
                answer = chat.complete(new ChatRequest(model, List.of(ChatMessage.user(meta)), Map.of("seed", seed))).content();
            } catch (ChatEndpointException e) {
                throw new JobFailure("the chat endpoint failed generating candidate " + i + (e.status() > 0 ? " (" + e.status() + ")" : "")
                        + ": " + e.getMessage());
            } catch (RuntimeException e) {
                throw new JobFailure("the call to the chat endpoint failed generating candidate " + i + ": " + e);
            }
            String text = Optimisations.cleanCandidate(answer);
            PromptTemplate t = new PromptTemplate(base.type(), OptimisationStore.JSON.getNodeFactory().textNode(text == null ? "" : text), base.config());
            out.add(new Candidate(i, "generated", t, Optimisations.refusal(baseText, text)));
        }
        return out;
    }

    /** The baseline's items that did not pass the deciding score, worst first: what the meta-prompt shows. */
    private List<Optimisations.Failure> failures(Work work, Ran baseline) {
        String scoreName = work.row().scoreName();
        Map<String, DatasetItem> byId = new LinkedHashMap<>();
        await(() -> datasets.itemsById(work.row().project(), baseline.runItems().stream().map(RunItem::datasetItemId).toList()))
                .forEach(i -> byId.put(i.id(), i));
        double best = baseline.runItems().stream().map(i -> score(i, scoreName)).filter(v -> v != null).mapToDouble(Double::doubleValue).max().orElse(0);
        List<RunItem> failing = new ArrayList<>();
        for (RunItem item : baseline.runItems()) {
            Double v = score(item, scoreName);
            boolean bool = scoreType(item, scoreName).equals("BOOLEAN");
            if (v == null || (bool ? v < 1 : v < best)) {
                failing.add(item);
            }
        }
        failing.sort((a, b) -> Double.compare(orZero(score(a, scoreName)), orZero(score(b, scoreName))));
        List<Optimisations.Failure> out = new ArrayList<>();
        for (RunItem item : failing) {
            DatasetItem source = byId.get(item.datasetItemId());
            out.add(new Optimisations.Failure(source == null ? null : PromptTemplate.text(source.input()),
                    source == null ? null : PromptTemplate.text(source.expectedOutput()),
                    item.error() != null ? "(error: " + item.error() + ")" : PromptTemplate.text(item.output())));
        }
        return out;
    }

    private static Map<String, Object> evidence(PromptOptimisation row, Ran baseline, Optimisations.Decision d, Map<Integer, Ran> runs,
                                                List<Candidate> candidates) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("score_name", row.scoreName());
        out.put("dataset", row.dataset());
        out.put("items", baseline.items());
        out.put("margin", row.margin());
        out.put("baseline_version", row.baselineVersion());
        out.put("baseline_mean", baseline.mean());
        out.put("baseline_run_id", baseline.run().id());
        if (d.best() != null) {
            out.put("candidate_index", d.best().index());
            out.put("candidate_source", candidates.get(d.best().index()).source());
            out.put("candidate_mean", d.best().mean());
            out.put("candidate_run_id", runs.get(d.best().index()).run().id());
            out.put("improvement", d.best().mean() - baseline.mean());
        }
        List<Map<String, Object>> all = new ArrayList<>();
        for (Candidate c : candidates) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("index", c.index());
            one.put("source", c.source());
            Ran ran = runs.get(c.index());
            one.put("mean", ran == null ? null : ran.mean());
            one.put("run_id", ran == null ? null : ran.run().id());
            one.put("refused", c.refusal());
            all.add(one);
        }
        out.put("candidates", all);
        return out;
    }

    private static JsonNode candidateJson(Candidate c, String runId, Double mean) {
        ObjectNode out = OptimisationStore.JSON.createObjectNode();
        out.put("index", c.index());
        out.put("source", c.source());
        out.set("prompt", c.template().prompt());
        if (c.template().config() != null) {
            out.set("config", c.template().config());
        }
        out.put("status", c.refusal() != null ? "refused" : runId == null ? "pending" : "scored");
        out.put("refused", c.refusal());
        out.put("run_id", runId);
        if (mean == null) {
            out.putNull("mean");
        } else {
            out.put("mean", mean);
        }
        return out;
    }

    /** The candidates as known when the job is created: given ones, or the number to generate. */
    private static JsonNode plannedCandidates(OptimisationRequest r, PromptRegistry.Found baseline) {
        ArrayNode out = OptimisationStore.JSON.createArrayNode();
        if (r.candidates() != null) {
            for (int i = 0; i < r.candidates().size(); i++) {
                ObjectNode c = out.addObject();
                c.put("index", i);
                c.put("source", "given");
                c.set("prompt", r.candidates().get(i).prompt());
                c.put("status", "pending");
            }
        }
        return out;
    }

    private void fail(String id, String error) {
        Log.warnf("prompt optimisation %s failed: %s", id, error);
        try {
            await(() -> store.finished(id, PromptOptimisation.FAILED, "failed: " + truncate(error, 2000), error, null, null, null));
        } catch (RuntimeException e) {
            Log.warnf("prompt optimisation %s: could not record its end: %s", id, e.getMessage());
        }
    }

    // ---- the request

    /** Everything the request alone can tell is wrong (a 400 naming it); policies are checked with it too. */
    void check(OptimisationRequest r) {
        if (r == null) {
            throw new InvalidRequestException("a JSON body is required: {\"prompt\", \"dataset\", \"evaluator\", \"candidates\" or \"generate\", \"margin\"}");
        }
        if (blank(r.prompt())) {
            throw new InvalidRequestException("prompt is required: the name of a registry prompt whose production version is the baseline");
        }
        if (blank(r.dataset())) {
            throw new InvalidRequestException("dataset is required: the name of the dataset the baseline and the candidates run over");
        }
        if (r.evaluator() == null) {
            throw new InvalidRequestException("evaluator is required: the evaluator whose score's mean decides, e.g. {\"type\": \"exact_match\"}");
        }
        if ((r.candidates() == null) == (r.generate() == null)) {
            throw new InvalidRequestException("give either candidates ([{\"prompt\", \"config\"?}], 1 to " + MAX_GIVEN
                    + ") or generate ({\"count\", \"meta_prompt\"?, \"model\"?}), not both and not neither");
        }
        if (r.candidates() != null) {
            if (r.candidates().isEmpty() || r.candidates().size() > MAX_GIVEN) {
                throw new InvalidRequestException("candidates holds 1 to " + MAX_GIVEN + " prompts, was " + r.candidates().size());
            }
            for (int i = 0; i < r.candidates().size(); i++) {
                OptimisationRequest.Candidate c = r.candidates().get(i);
                if (c == null || c.prompt() == null || c.prompt().isNull()) {
                    throw new InvalidRequestException("candidates[" + i + "].prompt is required: a text prompt's string, or a chat prompt's messages");
                }
                if (c.config() != null && !c.config().isNull() && !c.config().isObject()) {
                    throw new InvalidRequestException("candidates[" + i + "].config is a JSON object");
                }
            }
        }
        if (r.generate() != null) {
            Integer count = r.generate().count();
            if (count != null && (count < 1 || count > MAX_GENERATED)) {
                throw new InvalidRequestException("generate.count must be between 1 and " + MAX_GENERATED + ", was " + count);
            }
            String refusal = Optimisations.metaPromptRefusal(r.generate().metaPrompt());
            if (refusal != null) {
                throw new InvalidRequestException(refusal);
            }
        }
        if (r.margin() != null && !(r.margin() >= 0 && r.margin() < 1e9)) {
            throw new InvalidRequestException("margin is the mean score the best candidate must beat the baseline by: 0 or more, was " + r.margin());
        }
        if (r.label() != null) {
            String l = r.label();
            if (!LABEL.matcher(l).matches() || l.equals(".") || l.equals("..")) {
                throw new InvalidRequestException("label must match [a-z0-9_\\-.]{1,36}, was '" + l + "'");
            }
            if (FORBIDDEN_LABELS.contains(l)) {
                throw new InvalidRequestException("label can't be '" + l + "': production moves only after deploy's canary, and latest is derived; "
                        + "use e.g. 'candidate' (the default)");
            }
        }
        if (r.concurrency() != null && (r.concurrency() < 1 || r.concurrency() > defaults.maxConcurrency())) {
            throw new InvalidRequestException("concurrency must be between 1 and " + defaults.maxConcurrency() + ", was " + r.concurrency());
        }
        if (r.requestsPerSecond() != null && !(r.requestsPerSecond() > 0 && r.requestsPerSecond() <= 1000)) {
            throw new InvalidRequestException("requests_per_second must be above 0 and at most 1000, was " + r.requestsPerSecond());
        }
        if (r.maxRetries() != null && (r.maxRetries() < 0 || r.maxRetries() > 10)) {
            throw new InvalidRequestException("max_retries must be between 0 and 10, was " + r.maxRetries());
        }
    }

    /** What only the baseline tells: the model, a candidate's type, whether candidates can be generated for it. */
    private static String model(OptimisationRequest r, PromptRegistry.Found baseline) {
        if (r.generate() != null && !PromptTemplate.TEXT.equals(baseline.template().type())) {
            throw new InvalidRequestException("generate needs a text prompt; '" + baseline.name() + "' is a " + baseline.template().type()
                    + " prompt: give its candidates (chat messages) instead");
        }
        if (r.candidates() != null) {
            for (int i = 0; i < r.candidates().size(); i++) {
                try {
                    new PromptTemplate(baseline.template().type(), r.candidates().get(i).prompt(), null);
                } catch (IllegalArgumentException e) {
                    throw new InvalidRequestException("candidates[" + i + "].prompt: the baseline is a " + baseline.template().type()
                            + " prompt, and a candidate must be one too: " + e.getMessage());
                }
            }
        }
        String model = !blank(r.model()) ? r.model().strip() : baseline.template().model();
        if (model == null) {
            throw new InvalidRequestException("no model: give \"model\", or a production prompt whose config names one (config.model)");
        }
        return model;
    }

    /** The deciding evaluator first, then the others (for the record). */
    private static List<ExperimentRequest.Evaluator> evaluators(OptimisationRequest r) {
        List<ExperimentRequest.Evaluator> out = new ArrayList<>();
        out.add(r.evaluator());
        if (r.evaluators() != null) {
            out.addAll(r.evaluators());
        }
        return out;
    }

    private static String label(OptimisationRequest r) {
        return r.label() == null ? DEFAULT_LABEL : r.label();
    }

    /** A prompt as text for its variables: a text prompt's string; a chat prompt's contents and its placeholders as variables. */
    static String text(PromptTemplate t) {
        if (PromptTemplate.TEXT.equals(t.type())) {
            return t.prompt().asText();
        }
        StringBuilder out = new StringBuilder();
        for (JsonNode m : t.prompt()) {
            out.append(m.has("content") ? m.path("content").asText() : "{{" + m.path("name").asText() + "}}").append('\n');
        }
        return out.toString();
    }

    private static Double score(RunItem item, String name) {
        if (item.error() != null || item.scores() == null) {
            return null;
        }
        for (JsonNode s : item.scores()) {
            if (name.equals(s.path("name").asText()) && s.path("value").isNumber()) {
                return s.get("value").asDouble();
            }
        }
        return null;
    }

    private static String scoreType(RunItem item, String name) {
        if (item.scores() != null) {
            for (JsonNode s : item.scores()) {
                if (name.equals(s.path("name").asText())) {
                    return s.path("type").asText("");
                }
            }
        }
        return "";
    }

    private static double orZero(Double d) {
        return d == null ? 0 : d;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
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
