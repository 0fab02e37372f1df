package io.flywheel.retrain.modeltest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.flywheel.retrain.InvalidRequestException;
import io.flywheel.retrain.policy.RetrainPolicy;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code model_tests} as the policy API reads it (snake_case, unknown fields refused), its defaults and its validation. */
class ModelTestsTest {

    private static final Set<String> TRAINERS = Set.of(RetrainPolicy.LINEAR_TRAINER);
    /** As the service's REST mapper (quarkus.jackson.property-naming-strategy=SNAKE_CASE) and PolicyService's strict copy. */
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static RetrainPolicy policy(String task, String modelTests) throws Exception {
        return JSON.readValue("""
                {"trainer": {"params": {"task": "%s", "target": "churned"}},
                 "model_tests": %s}""".formatted(task, modelTests), RetrainPolicy.class);
    }

    @Test
    void theDeclarationReadsAsDocumentedAndGetsItsDefaults() throws Exception {
        RetrainPolicy p = policy("binary-classification", """
                {"slices": [{"feature": "plan", "min": 0.6}, {"feature": "region", "metric": "accuracy", "min": 0.7, "min_rows": 50}],
                 "invariance": [{"feature": "customer_id", "values": ["a", 7, true]}, {"feature": "noise", "delta": 5, "tolerance": 0.001}],
                 "directional": [{"feature": "support_calls", "delta": 2, "direction": "increase"}],
                 "examples": [{"name": "loyal", "inputs": {"x1": -2, "plan": "basic"}, "expected": 0},
                              {"inputs": {"x1": 2, "plan": "pro"}, "expected": {"min": 0.9}}],
                 "latency": {"p99_ms": 5}}""").normalise("churn", TRAINERS);

        ModelTests tests = p.modelTests();
        assertThat(tests.count()).isEqualTo(8);
        assertThat(tests.slices()).containsExactly(new ModelTests.Slice("plan", "roc_auc", 0.6, null, 20),
                new ModelTests.Slice("region", "accuracy", 0.7, null, 50));
        assertThat(tests.invariance().getFirst().values()).containsExactly("a", 7, true);
        assertThat(tests.invariance().getFirst().tolerance()).isEqualTo(1e-6);
        assertThat(tests.invariance().get(1).tolerance()).isEqualTo(0.001);
        assertThat(tests.directional()).containsExactly(new ModelTests.Directional("support_calls", 2.0, "increase", 1.0));
        assertThat(tests.examples().get(0).name()).isEqualTo("loyal");
        assertThat(tests.examples().get(1).name()).isEqualTo("example 2");
        assertThat(tests.examples().get(1).expected()).isEqualTo(Map.of("min", 0.9));
        assertThat(tests.latency()).isEqualTo(new ModelTests.Latency(null, 5.0, 1, 200, 50));

        // what GET shows and what a job keeps: written and read back the same
        String written = JSON.writeValueAsString(p);
        assertThat(written).contains("\"model_tests\":{\"slices\":[{\"feature\":\"plan\",\"metric\":\"roc_auc\",\"min\":0.6,\"max\":null,\"min_rows\":20}")
                .contains("\"latency\":{\"p50_ms\":null,\"p99_ms\":5.0,\"batch\":1,\"requests\":200,\"warmup\":50}");
        assertThat(JSON.readValue(written, RetrainPolicy.class).modelTests()).isEqualTo(tests);
    }

    @Test
    void aPolicyWithoutModelTestsHasNone() throws Exception {
        RetrainPolicy p = JSON.readValue("""
                {"trainer": {"params": {"task": "regression", "target": "price"}}}""", RetrainPolicy.class).normalise("house", TRAINERS);
        assertThat(p.modelTests()).isNull();
    }

    @Test
    void aMisspeltFieldIsRefused() {
        assertThatThrownBy(() -> policy("binary-classification", """
                {"directional": [{"feature": "x1", "delta": 1, "direction": "increase", "min_fracton": 0.9}]}"""))
                .isInstanceOf(UnrecognizedPropertyException.class).hasMessageContaining("min_fracton");
    }

    @Test
    void everyProblemIsNamedByItsField() throws Exception {
        RetrainPolicy p = policy("binary-classification", """
                {"slices": [{"feature": "plan", "metric": "rmse"}, {"metric": "accuracy", "min": 0.9, "max": 0.1, "min_rows": 0}],
                 "invariance": [{"feature": "id"}, {"feature": "id", "values": [], "delta": 0, "tolerance": -1}, {"feature": "id", "values": [{"a": 1}]}],
                 "directional": [{"feature": "x1", "delta": 0, "direction": "up", "min_fraction": 1.5}],
                 "examples": [{"inputs": {}, "expected": "yes"}, {"name": "", "inputs": {"x1": [1]}},
                              {"inputs": {"x1": 1}, "expected": {"min": 0.2, "low": 0.1}}],
                 "latency": {"batch": 0, "requests": 5, "warmup": -1, "p99_ms": -2}}""");

        assertThatThrownBy(() -> p.normalise("churn", TRAINERS))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("the retrain policy is invalid: ")
                .hasMessageContaining("model_tests.slices[0].metric must be one of accuracy, f1, log_loss, precision, recall, roc_auc for binary-classification")
                .hasMessageContaining("model_tests.slices[0] needs min or max (or both)")
                .hasMessageContaining("model_tests.slices[1].feature is required")
                .hasMessageContaining("model_tests.slices[1].min must not be above max")
                .hasMessageContaining("model_tests.slices[1].min_rows must be 1 or more")
                .hasMessageContaining("model_tests.invariance[0] needs either values (what to set the feature to) or delta (how much to add to it)")
                .hasMessageContaining("model_tests.invariance[1].values must hold 1 to 50 values")
                .hasMessageContaining("model_tests.invariance[1].delta must be a finite number other than 0")
                .hasMessageContaining("model_tests.invariance[1].tolerance must be a number >= 0")
                .hasMessageContaining("model_tests.invariance[2].values must be numbers, strings or booleans")
                .hasMessageContaining("model_tests.directional[0].delta is required: a finite number other than 0")
                .hasMessageContaining("model_tests.directional[0].direction must be increase or decrease")
                .hasMessageContaining("model_tests.directional[0].min_fraction must be > 0 and <= 1")
                .hasMessageContaining("model_tests.examples[0].inputs is required")
                .hasMessageContaining("model_tests.examples[0].expected must be the class: 1 or true (the positive class), 0 or false")
                .hasMessageContaining("model_tests.examples[1].name must be 1 to 100 characters")
                .hasMessageContaining("model_tests.examples[1].inputs.x1 must be a number, a string or a boolean")
                .hasMessageContaining("model_tests.examples[1].expected is required: the class (1/true or 0/false) or a range")
                .hasMessageContaining("model_tests.examples[2].expected as a range takes only min and max")
                .hasMessageContaining("model_tests.latency.p99_ms must be a number > 0")
                .hasMessageContaining("model_tests.latency.batch must be between 1 and 10000")
                .hasMessageContaining("model_tests.latency.requests must be between 10 and 100000")
                .hasMessageContaining("model_tests.latency.warmup must be between 0 and 10000");
    }

    @Test
    void aRegressionsExampleExpectsANumberAndItsSlicesRegressionMetrics() throws Exception {
        RetrainPolicy p = policy("regression", """
                {"slices": [{"feature": "city", "max": 12.5}],
                 "examples": [{"inputs": {"rooms": 3}, "expected": true}],
                 "latency": {"p50_ms": 1}}""");

        assertThatThrownBy(() -> p.normalise("house", TRAINERS))
                .hasMessageContaining("model_tests.examples[0].expected must be a number or a range");
        RetrainPolicy fixed = policy("regression", """
                {"slices": [{"feature": "city", "max": 12.5}],
                 "examples": [{"inputs": {"rooms": 3}, "expected": 250000, "tolerance": 1000}],
                 "latency": {"p50_ms": 1}}""").normalise("house", TRAINERS);
        assertThat(fixed.modelTests().slices().getFirst().metric()).isEqualTo("rmse");
        assertThat(fixed.modelTests().examples().getFirst().tolerance()).isEqualTo(1000.0);
        assertThat(fixed.modelTests().latency().p50Ms()).isEqualTo(1.0);
    }

    @Test
    void aLatencyBudgetNeedsABound() {
        List<String> problems = new java.util.ArrayList<>();
        new ModelTests(null, null, null, null, new ModelTests.Latency(null, null, 1, 100, 10))
                .normalise(io.flywheel.linear.Task.REGRESSION, Set.of("rmse"), "rmse", problems);
        assertThat(problems).containsExactly("model_tests.latency needs p99_ms or p50_ms (or both): the budget in milliseconds");
    }
}
