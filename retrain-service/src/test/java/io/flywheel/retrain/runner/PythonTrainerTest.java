package io.flywheel.retrain.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.linear.Dataset;
import io.flywheel.linear.DatasetReader;
import io.flywheel.linear.Task;
import io.flywheel.retrain.evaluation.Evaluator;
import io.flywheel.retrain.evaluation.OnnxPredictor;
import io.flywheel.retrain.support.PythonTrainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static io.flywheel.retrain.runner.RunnersTestSupport.dataset;
import static io.flywheel.retrain.runner.RunnersTestSupport.log;
import static io.flywheel.retrain.runner.RunnersTestSupport.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * trainers/python/train_sklearn.py under the trainer contract, started by the local-process runner: it
 * writes model.onnx, signature.json and metrics.json; the ONNX model, run by retrain on ONNX Runtime on
 * the rows retrain holds out, scores what scikit-learn scored in the trainer (so the trainer held out
 * the same rows, and the graph computes what the sklearn pipeline computes).
 */
class PythonTrainerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @BeforeAll
    static void python() {
        PythonTrainer.assumeAvailable();
    }

    private static LocalProcessRunner runner(List<String> command) {
        return new LocalProcessRunner(LocalProcessRunner.currentJava(), List.of(), "", Map.of("sklearn", command), Duration.ofSeconds(2));
    }

    private TrainingResult train(List<String> command, Path data, String params, List<String> log) throws Exception {
        return runner(command).start(request("sklearn", data, dir.resolve("out"), params, log)).result().get(120, TimeUnit.SECONDS);
    }

    private static void assertSameMetrics(Map<String, Double> retrain, JsonNode trainer, double tolerance) {
        assertThat(retrain.keySet()).containsExactlyInAnyOrderElementsOf(iterable(trainer.fieldNames()));
        retrain.forEach((metric, value) -> assertThat(value).as(metric).isCloseTo(trainer.get(metric).asDouble(), within(tolerance)));
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> out = new ArrayList<>();
        names.forEachRemaining(out::add);
        return out;
    }

    @Test
    void aClassifierBecomesAnOnnxModelThatRetrainScoresAsScikitLearnDid() throws Exception {
        Path data = dataset(dir, 300);
        List<String> log = log();
        TrainingResult result = train(PythonTrainer.command(), data,
                "{\"task\": \"binary-classification\", \"target\": \"churned\", \"features\": [\"x2\", \"x1\", \"noise\"], \"C\": 0.5}", log);

        assertThat(result.exitCode()).as(String.join("\n", log)).isZero();
        assertThat(log).contains("split: 240 rows to train, 60 held out (holdout_fraction 0.2, seed 42: linear-model's DataSplit)")
                .anyMatch(line -> line.startsWith("fitted LogisticRegression(C=0.5)"));
        TrainerOutput output = TrainerOutput.read(dir.resolve("out"), JSON);
        assertThat(output.format()).isEqualTo("onnx");
        assertThat(output.featureNames()).containsExactly("x2", "x1", "noise");
        assertThat(output.features()).allMatch(f -> f.type().equals("number"));
        // the graph's first output, as the registry wants it: the label, a string for the classes "no" and "yes"
        assertThat(output.output()).isEqualTo(new TrainerOutput.Feature("output_label", "string"));
        assertThat(output.framework()).isEqualTo("scikit-learn");
        JsonNode metrics = JSON.readTree(dir.resolve("out/metrics.json").toFile());
        assertThat(metrics.get("rows").get("holdout").asInt()).isEqualTo(60);

        Dataset holdout = DatasetReader.read(data.toString()).split(0.2, 42).holdout();
        try (OnnxPredictor model = OnnxPredictor.load(output.artifact(), output.featureNames())) {
            assertThat(model.task()).isEqualTo(Task.BINARY_CLASSIFICATION);
            // classes "no" < "yes": the ZipMap is labelled, and "yes" (the last) is the positive class
            assertSameMetrics(Evaluator.metrics(model, holdout, "churned"), metrics.get("holdout"), 1e-6);
        }
    }

    @Test
    void aRegressionOnNumbersIntegersAndBooleansBecomesAnOnnxModelThatRetrainScoresAsScikitLearnDid() throws Exception {
        Random random = new Random(8);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 250; i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            double a = random.nextGaussian();
            long count = random.nextInt(10);
            boolean flag = random.nextBoolean();
            row.put("a", a);
            row.put("count", count);
            row.put("flag", flag);
            row.put("y", 2.5 * a + 0.3 * count + (flag ? 4 : 0) + 20 + random.nextGaussian());
            text.append(JSON.writeValueAsString(row)).append('\n');
        }
        Path data = dir.resolve("regression.jsonl");
        Files.writeString(data, text, StandardCharsets.UTF_8);
        List<String> log = log();

        TrainingResult result = train(PythonTrainer.command(), data,
                "{\"task\": \"regression\", \"target\": \"y\", \"alpha\": 0.1, \"holdout_fraction\": 0.3, \"seed\": 7}", log);

        assertThat(result.exitCode()).as(String.join("\n", log)).isZero();
        TrainerOutput output = TrainerOutput.read(dir.resolve("out"), JSON);
        assertThat(output.features()).containsExactly(new TrainerOutput.Feature("a", "number"), new TrainerOutput.Feature("count", "integer"),
                new TrainerOutput.Feature("flag", "boolean"));
        assertThat(output.output()).isEqualTo(new TrainerOutput.Feature("variable", "number"));
        JsonNode metrics = JSON.readTree(dir.resolve("out/metrics.json").toFile());
        Dataset holdout = DatasetReader.read(data.toString()).split(0.3, 7).holdout();
        assertThat(holdout.size()).isEqualTo(metrics.get("rows").get("holdout").asInt()).isEqualTo(75);
        try (OnnxPredictor model = OnnxPredictor.load(output.artifact(), output.featureNames())) {
            assertThat(model.task()).isEqualTo(Task.REGRESSION);
            // float32 inside the graph: the predictions agree to about 1e-5 of y's scale (~20)
            assertSameMetrics(Evaluator.metrics(model, holdout, "y"), metrics.get("holdout"), 1e-4);
        }
    }

    @Test
    void aStringFeatureIsRefusedWithTheFirstStderrLineSayingWhatToDo() throws Exception {
        TrainingResult result = train(PythonTrainer.command(), dataset(dir, 50),
                "{\"task\": \"binary-classification\", \"target\": \"churned\"}", log());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.error()).startsWith("error: line 1: feature 'plan' is \"").endsWith(
                "\"; this trainer takes numbers and booleans only (the ONNX model takes one numeric matrix): leave the column out with trainer.params.features");
    }

    @Test
    void unknownParametersAreRefused() throws Exception {
        TrainingResult result = train(PythonTrainer.command(), dataset(dir, 50),
                "{\"task\": \"binary-classification\", \"target\": \"churned\", \"l2\": 1.0}", log());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.error()).isEqualTo("error: unknown parameter(s) ['l2']; this trainer takes "
                + "['C', 'alpha', 'features', 'holdout_fraction', 'max_iter', 'seed', 'target', 'task']");
    }

    @Test
    void withoutItsPackagesItSaysWhichDebianPackagesToInstall() throws Exception {
        // -S leaves out site-packages (where Debian installs numpy, scikit-learn and onnx): as if they were missing
        TrainingResult result = train(List.of(PythonTrainer.PYTHON, "-S", PythonTrainer.script().toString()), dataset(dir, 50),
                "{\"task\": \"binary-classification\", \"target\": \"churned\"}", log());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.error()).startsWith("error: missing Python package(s) numpy, sklearn, onnx for ")
                .endsWith(": sudo apt-get install -y python3-sklearn python3-onnx");
    }
}
