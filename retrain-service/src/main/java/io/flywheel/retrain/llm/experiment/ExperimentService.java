package io.flywheel.retrain.llm.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flywheel.llm.eval.Evaluator;
import io.flywheel.llm.eval.chat.ChatClient;
import io.flywheel.retrain.InvalidRequestException;
import io.flywheel.retrain.llm.DatasetItem;
import io.flywheel.retrain.llm.DatasetRun;
import io.flywheel.retrain.llm.DatasetStore;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;
import java.util.Map;

/**
 * Starts experiments: checks the request, resolves the prompt (the registry's version, or the inline one),
 * the model and the evaluators, records the run (queued, with its items counted) and hands it to the
 * {@link ExperimentRunner}. Everything wrong with the request is a 400 before anything runs.
 */
@ApplicationScoped
public class ExperimentService {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final DatasetStore store;
    private final PromptRegistry prompts;
    private final ExperimentClients clients;
    private final ExperimentRunner runner;
    private final LlmConfig.Experiments defaults;

    public ExperimentService(DatasetStore store, PromptRegistry prompts, ExperimentClients clients, ExperimentRunner runner, LlmConfig config) {
        this.store = store;
        this.prompts = prompts;
        this.clients = clients;
        this.runner = runner;
        this.defaults = config.experiments();
    }

    /** Experiments that were running when this service stopped can't be resumed: they end failed, saying so. */
    void failInterrupted(@Observes StartupEvent ignored) {
        store.failInterrupted().subscribe().with(n -> {
            if (n > 0) {
                Log.warnf("%d experiment(s) were running when retrain-service stopped; marked failed", n);
            }
        }, e -> Log.warnf("could not mark interrupted experiments failed: %s", e.getMessage()));
    }

    /** The queued run; the experiment goes on in the background. */
    public Uni<DatasetRun> start(String project, String principal, ExperimentRequest request) {
        return prepare(project, principal, request).invoke(runner::submit).map(ExperimentRunner.Plan::run);
    }

    /**
     * Checks the request, records the run (queued) and answers what to run, without running it: the caller
     * submits it ({@link #start}) or runs it on its own thread (a prompt optimisation, which waits for each run).
     */
    public Uni<ExperimentRunner.Plan> prepare(String project, String principal, ExperimentRequest request) {
        check(request);
        int concurrency = request.concurrency() == null ? Math.min(defaults.concurrency(), defaults.maxConcurrency()) : request.concurrency();
        ChatClient chat = clients.chat(request.requestsPerSecond(), request.maxRetries());
        List<Evaluator> evaluators;
        try {
            evaluators = clients.evaluators(request.evaluators() == null ? List.of() : request.evaluators(), chat);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage());
        }
        return store.requireDataset(project, request.dataset().strip())
                .chain(dataset -> resolve(project, principal, request.prompt())
                        .chain(prompt -> {
                            String model = blank(request.model()) ? prompt.template().model() : request.model().strip();
                            if (model == null) {
                                throw new InvalidRequestException("no model: give \"model\", or a prompt whose config names one (config.model)");
                            }
                            return store.activeItems(project, dataset.id()).chain(items -> {
                                if (items.isEmpty()) {
                                    throw new InvalidRequestException("dataset '" + dataset.name() + "' has no ACTIVE items to run");
                                }
                                return store.createExperimentRun(project, dataset, request.runName().strip(), request.description(),
                                                request.metadata(), promptRecord(request.prompt(), prompt), model, JSON.valueToTree(
                                                        request.evaluators() == null ? List.of() : request.evaluators()),
                                                settings(concurrency, request), items.size(), principal)
                                        .map(run -> new ExperimentRunner.Plan(run, dataset, items, prompt, model, evaluators,
                                                concurrency, chat));
                            });
                        }));
    }

    private Uni<PromptRegistry.Found> resolve(String project, String principal, ExperimentRequest.Prompt p) {
        if (blank(p.name())) {
            try {
                return Uni.createFrom().item(new PromptRegistry.Found(null, 0, null, new PromptTemplate(p.type(), p.prompt(), p.config())));
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("prompt: " + e.getMessage());
            }
        }
        // the registry client blocks: a worker thread, never the event loop
        return Uni.createFrom().item(() -> prompts.fetch(project, p.name().strip(), blank(p.label()) ? null : p.label().strip(), p.version(), principal))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private static JsonNode promptRecord(ExperimentRequest.Prompt asked, PromptRegistry.Found found) {
        ObjectNode out = JSON.createObjectNode();
        if (found.name() != null) {
            out.put("name", found.name());
            out.put("version", found.version());
            if (found.label() != null) {
                out.put("label", found.label());
            }
        }
        out.put("type", found.template().type());
        out.set("prompt", found.template().prompt());
        if (found.template().config() != null) {
            out.set("config", found.template().config());
        }
        return out;
    }

    private static JsonNode settings(int concurrency, ExperimentRequest r) {
        ObjectNode out = JSON.createObjectNode();
        out.put("concurrency", concurrency);
        if (r.requestsPerSecond() != null) {
            out.put("requests_per_second", r.requestsPerSecond());
        }
        if (r.maxRetries() != null) {
            out.put("max_retries", r.maxRetries());
        }
        return out;
    }

    private void check(ExperimentRequest r) {
        if (r == null) {
            throw new InvalidRequestException("a JSON body is required: {\"dataset\", \"run_name\", \"prompt\", \"evaluators\"}");
        }
        if (blank(r.dataset())) {
            throw new InvalidRequestException("dataset is required: the name of the dataset to run over");
        }
        if (blank(r.runName())) {
            throw new InvalidRequestException("run_name is required: the name of this run, unique in the dataset");
        }
        if (r.runName().length() > 500) {
            throw new InvalidRequestException("run_name is at most 500 characters");
        }
        ExperimentRequest.Prompt p = r.prompt();
        if (p == null) {
            throw new InvalidRequestException("prompt is required: {\"name\", \"label\" or \"version\"} of a registry prompt, "
                    + "or {\"type\", \"prompt\", \"config\"} inline");
        }
        boolean reference = !blank(p.name());
        boolean inline = p.type() != null || p.prompt() != null;
        if (reference == inline) {
            throw new InvalidRequestException("prompt is either a registry reference {\"name\", \"label\" or \"version\"} "
                    + "or inline {\"type\", \"prompt\", \"config\"}, not both and not neither");
        }
        if (reference && !blank(p.label()) && p.version() != null) {
            throw new InvalidRequestException("prompt: give label or version, not both");
        }
        if (reference && p.version() != null && p.version() < 1) {
            throw new InvalidRequestException("prompt.version is a version number from 1");
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
        if (r.metadata() != null && !r.metadata().isNull() && !r.metadata().isObject()) {
            throw new InvalidRequestException("metadata is a JSON object");
        }
    }

    static Map<String, Object> metadata(DatasetItem item) {
        return item.metadata() != null && item.metadata().isObject() ? JSON.convertValue(item.metadata(), Map.class) : Map.of();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
