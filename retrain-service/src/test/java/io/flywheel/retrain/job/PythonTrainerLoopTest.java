package io.flywheel.retrain.job;

import io.flywheel.linear.Dataset;
import io.flywheel.linear.DatasetReader;
import io.flywheel.linear.Evaluation;
import io.flywheel.linear.LinearModel;
import io.flywheel.onnx.OnnxGraph;
import io.flywheel.retrain.evaluation.Evaluator;
import io.flywheel.retrain.evaluation.OnnxPredictor;
import io.flywheel.retrain.storage.ObjectStore;
import io.flywheel.retrain.support.LabelledSegments;
import io.flywheel.retrain.support.Policies;
import io.flywheel.retrain.support.PythonTrainer;
import io.flywheel.retrain.support.RegistryFixture;
import io.flywheel.retrain.support.Rows;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * A policy that names the Python example trainer (trainers/python/train_sklearn.py, the %test
 * profile's {@code sklearn} trainer) over the real PostgreSQL, S3 and registry: the job runs it as a
 * process, registers its model.onnx as an {@code onnx} version with the training set's features as
 * the signature, and judges it against a flywheel-linear champion on the same holdout rows; then a
 * flywheel-linear candidate is judged against that ONNX model as the champion. Each report is checked
 * against the metrics computed here, independently, from what the registry holds.
 */
@QuarkusTest
class PythonTrainerLoopTest {

    @Inject
    ObjectStore store;

    private static JsonPath awaitJob(String jobId, String state) {
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() ->
                given().get("/api/v1/retrain/jobs/" + jobId).then().statusCode(200).body("state", equalTo(state)));
        return given().get("/api/v1/retrain/jobs/" + jobId).then().extract().jsonPath();
    }

    private static Map<String, Double> metrics(JsonPath job, String path) {
        Map<String, Object> raw = job.getMap(path);
        Map<String, Double> out = new LinkedHashMap<>();
        raw.forEach((k, v) -> out.put(k, v == null ? null : ((Number) v).doubleValue()));
        return out;
    }

    private static void assertClose(Map<String, Double> actual, Map<String, Double> expected) {
        assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
        // RestAssured's JsonPath reads the job's numbers as floats: equal up to float precision
        expected.forEach((k, v) -> assertThat(actual.get(k)).as(k).isCloseTo(v, within(1e-6)));
    }

    @Test
    void aPythonTrainersOnnxCandidateIsRegisteredAndJudgedAgainstALinearChampionAndTheOtherWayRound() throws Exception {
        PythonTrainer.assumeAvailable();
        String model = "python-" + UUID.randomUUID().toString().substring(0, 8);
        RegistryFixture.createModel(model);
        LinearModel linearChampion = RegistryFixture.trained(300, 91, List.of("noise"));
        int champion = RegistryFixture.registerChampion(model, linearChampion);
        LabelledSegments.write(store, model, Rows.churn(300, 17), Instant.now().minus(Duration.ofMinutes(10)));
        // the example trainer takes numbers and booleans: the string feature 'plan' is left out
        Policies.put(model, """
                {"cooldown": "PT0S", "data": {"window": "P1D"},
                 "trainer": {"name": "sklearn", "params": {"task": "binary-classification", "target": "churned",
                                                           "features": ["x1", "x2", "noise"]}},
                 "evaluation": {"metric": "roc_auc", "margin": 0.02}}""");

        String jobId = given().contentType("application/json").body(Map.of("model", model, "reason", "python trainer"))
                .post("/api/v1/retrain/jobs").then().statusCode(201).extract().path("id");
        JsonPath job = awaitJob(jobId, "promotion-requested");

        assertThat(job.getList("log.message", String.class))
                .anyMatch(m -> m.startsWith("started process ") && m.contains("train_sklearn.py"))
                .anyMatch(m -> m.startsWith("fitted LogisticRegression"))
                .anyMatch(m -> m.equals("champion: version " + champion + ", flywheel-linear"));
        assertThat(job.getString("evaluation.candidate_format")).isEqualTo("onnx");
        assertThat(job.getString("evaluation.champion_format")).isEqualTo("flywheel-linear");
        assertThat(job.getInt("evaluation.holdout_rows")).isEqualTo(60);
        assertThat(job.getString("evaluation.champion_problem")).isNull();
        assertThat(job.getDouble("evaluation.candidate.roc_auc")).isGreaterThan(job.getDouble("evaluation.champion.roc_auc") + 0.02);
        int candidate = job.getInt("candidate_version");

        // the version: onnx, the trainer's framework, the features in the trainer's column order, the bytes it wrote
        JsonPath version = RegistryFixture.version(model, candidate);
        assertThat(version.getString("status")).isEqualTo("ready");
        assertThat(version.getString("format")).isEqualTo("onnx");
        assertThat(version.getString("framework")).isEqualTo("scikit-learn");
        assertThat(version.getList("signature.inputs.name", String.class)).containsExactly("x1", "x2", "noise");
        assertThat(version.getList("signature.inputs.type", String.class)).containsOnly("number");
        assertThat(version.getString("signature.output.name")).isEqualTo("output_label");
        assertThat(version.getString("lineage.retrain_job")).isEqualTo(jobId);
        assertThat(version.getInt("lineage.parent_version")).isEqualTo(champion);
        assertThat(version.getString("tags.'evaluation.report'")).contains("\"candidate_format\":\"onnx\"");
        byte[] onnx = RegistryFixture.artifactBytes(model, candidate);
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(onnx))).isEqualTo(version.getString("artifact.sha256"));
        assertThat(OnnxGraph.read(onnx).producerName()).isEqualTo("flywheel trainers/python/train_sklearn.py");

        // the report, recomputed here from the registered training set: both models on the same 60 rows
        Path trainingSet = Files.createTempFile("training-set", ".jsonl");
        Files.write(trainingSet, RegistryFixture.datasetContent(model + "-retrain", job.getString("data.dataset_version")));
        Dataset holdout = DatasetReader.read(trainingSet.toString()).split(0.2, 42).holdout();
        Files.delete(trainingSet);
        Map<String, Double> onnxMetrics;
        try (OnnxPredictor predictor = OnnxPredictor.load(onnx, List.of("x1", "x2", "noise"))) {
            onnxMetrics = Evaluator.metrics(predictor, holdout, "churned");
        }
        assertClose(metrics(job, "evaluation.candidate"), onnxMetrics);
        assertClose(metrics(job, "evaluation.champion"), Evaluation.evaluate(linearChampion, holdout));
        assertThat(version.getDouble("metrics.roc_auc")).isEqualTo(job.getDouble("evaluation.candidate.roc_auc"));

        // the other way round: the ONNX model is the champion, a flywheel-linear candidate on 'noise' only is judged against it
        RegistryFixture.moveChampion(model, candidate);
        Policies.put(model, """
                {"cooldown": "PT0S", "data": {"window": "P1D"},
                 "trainer": {"params": {"task": "binary-classification", "target": "churned", "features": ["noise"]}},
                 "evaluation": {"metric": "roc_auc", "margin": 0.0}}""");
        String second = given().contentType("application/json").body(Map.of("model", model, "reason", "linear against onnx"))
                .post("/api/v1/retrain/jobs").then().statusCode(201).extract().path("id");
        JsonPath rejected = awaitJob(second, "rejected");

        assertThat(rejected.getString("evaluation.candidate_format")).isEqualTo("flywheel-linear");
        assertThat(rejected.getString("evaluation.champion_format")).isEqualTo("onnx");
        assertThat(rejected.getInt("evaluation.champion_version")).isEqualTo(candidate);
        assertThat(rejected.getString("data.dataset_version")).isEqualTo(job.getString("data.dataset_version"));
        assertClose(metrics(rejected, "evaluation.champion"), onnxMetrics);
        assertThat(rejected.getString("evaluation.reason")).startsWith("does not beat the champion by the margin");
        JsonPath linearVersion = RegistryFixture.version(model, rejected.getInt("candidate_version"));
        assertThat(linearVersion.getString("format")).isEqualTo("flywheel-linear");
        assertThat(linearVersion.getString("framework")).isEqualTo("flywheel-linear");
        assertThat(linearVersion.getString("tags.'retrain.decision'")).isEqualTo("rejected");
    }
}
