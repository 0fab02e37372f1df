package io.flywheel.retrain.llm.compare;

import com.fasterxml.jackson.databind.JsonNode;
import io.flywheel.retrain.InvalidRequestException;
import io.flywheel.retrain.llm.DatasetItem;
import io.flywheel.retrain.llm.DatasetRun;
import io.flywheel.retrain.llm.DatasetStore;
import io.flywheel.retrain.llm.RunItem;
import io.flywheel.retrain.llm.experiment.PromptTemplate;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** Loads the named runs of a dataset and their items and compares them ({@link RunComparison}). */
@ApplicationScoped
public class Comparisons {

    /** The comparison of runs of one dataset. */
    public record View(String project, String dataset, List<String> runs, List<RunComparison.Summary> summaries,
                       List<RunComparison.ItemComparison> items) {
    }

    public static final int MAX_RUNS = 10;

    private final DatasetStore store;

    public Comparisons(DatasetStore store) {
        this.store = store;
    }

    public Uni<View> compare(String project, String datasetName, List<String> runNames) {
        List<String> names = new ArrayList<>(new LinkedHashSet<>(runNames));
        if (names.size() < 2 || names.size() > MAX_RUNS) {
            throw new InvalidRequestException("runs names 2 to " + MAX_RUNS + " different runs of the dataset, comma-separated: runs=a,b");
        }
        return store.requireDataset(project, datasetName).chain(dataset -> Multi.createFrom().iterable(names)
                .onItem().transformToUniAndConcatenate(name -> store.requireRun(project, dataset, name)
                        .chain(run -> store.allRunItems(run.id()).map(items -> run(run, items))))
                .collect().asList()
                .chain(runs -> {
                    List<String> ids = runs.stream().flatMap(r -> r.outcomes().keySet().stream()).distinct().toList();
                    return store.itemsById(project, ids).map(items -> {
                        // the dataset's order: oldest item first
                        List<RunComparison.Item> ordered = items.stream()
                                .sorted(java.util.Comparator.comparing(DatasetItem::createdAt).thenComparing(DatasetItem::id))
                                .map(i -> new RunComparison.Item(i.id(), i.input(), i.expectedOutput())).toList();
                        RunComparison.Result result = RunComparison.compare(ordered, runs);
                        return new View(project, dataset.name(), result.runs(), result.summaries(), result.items());
                    });
                }));
    }

    static RunComparison.Run run(DatasetRun run, List<RunItem> items) {
        Map<String, RunComparison.Outcome> outcomes = new LinkedHashMap<>();
        for (RunItem i : items) {
            outcomes.put(i.datasetItemId(), new RunComparison.Outcome(PromptTemplate.text(i.output()), scores(i.scores()), i.latencyMs(),
                    i.totalTokens(), i.error()));
        }
        return new RunComparison.Run(run.name(), outcomes);
    }

    /** A run item's scores ({@code [{name, type, value, category}]}); entries of evaluators that failed are left out. */
    static Map<String, RunComparison.Score> scores(JsonNode scores) {
        Map<String, RunComparison.Score> out = new LinkedHashMap<>();
        if (scores != null && scores.isArray()) {
            for (JsonNode s : scores) {
                if (s.path("name").isTextual() && s.path("value").isNumber()) {
                    out.put(s.get("name").asText(), new RunComparison.Score(s.path("type").asText("NUMERIC"), s.get("value").asDouble(),
                            s.path("category").isTextual() ? s.get("category").asText() : null));
                }
            }
        }
        return out;
    }
}
