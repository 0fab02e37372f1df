package io.flywheel.retrain.llm.experiment;

import io.flywheel.llm.eval.Evaluator;
import io.flywheel.llm.eval.chat.ChatClient;
import io.flywheel.llm.eval.EvaluatorSpec;
import io.flywheel.llm.eval.Evaluators;
import io.flywheel.llm.eval.chat.OpenAiChatClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The chat client and the evaluators of one experiment, from llm-eval, with the experiment's own rate and retries. */
@ApplicationScoped
public class ExperimentClients {

    private final LlmConfig.Endpoint endpoint;

    public ExperimentClients(LlmConfig config) {
        this.endpoint = config.endpoint();
    }

    /** The configured endpoint; ExperimentsUnavailableException when there is none. */
    public URI baseUrl() {
        return endpoint.baseUrl().orElseThrow(() -> new ExperimentsUnavailableException(
                "no chat endpoint is configured for experiments: set flywheel.llm.endpoint.base-url (and api-key) on retrain-service"));
    }

    public ChatClient chat(Double requestsPerSecond, Integer maxRetries) {
        return new OpenAiChatClient(new OpenAiChatClient.Config(baseUrl(), endpoint.apiKey().orElse(null), endpoint.timeout(),
                maxRetries == null ? endpoint.maxRetries() : maxRetries,
                requestsPerSecond == null ? endpoint.requestsPerSecond() : requestsPerSecond));
    }

    /** The evaluators; IllegalArgumentException naming the one that is wrong (a bad spec, or two with the same score name). */
    public List<Evaluator> evaluators(List<ExperimentRequest.Evaluator> specs, ChatClient judge) {
        List<Evaluator> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < specs.size(); i++) {
            ExperimentRequest.Evaluator s = specs.get(i);
            if (s == null) {
                throw new IllegalArgumentException("evaluators[" + i + "] is null");
            }
            Evaluator e;
            try {
                e = Evaluators.create(new EvaluatorSpec(s.type(), s.name(), s.params()), judge);
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("evaluators[" + i + "]: " + ex.getMessage());
            }
            if (!names.add(e.name())) {
                throw new IllegalArgumentException("evaluators[" + i + "]: a second evaluator named '" + e.name() + "'; give it another name");
            }
            out.add(e);
        }
        return out;
    }
}
