package io.flywheel.retrain.policy;

import io.flywheel.retrain.InvalidRequestException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetrainPolicyTest {

    private static final Set<String> TRAINERS = Set.of(RetrainPolicy.LINEAR_TRAINER, "sklearn");

    private static RetrainPolicy.Trainer linear(Map<String, Object> params) {
        return new RetrainPolicy.Trainer(null, null, params);
    }

    @Test
    void everyLeftOutFieldGetsItsDefault() {
        RetrainPolicy p = new RetrainPolicy(null, null, null, null, null, null, null, null,
                linear(Map.of("task", "binary-classification", "target", "churned")), null, null, null).normalise("churn", TRAINERS);
        assertThat(p.enabled()).isTrue();
        assertThat(p.triggers()).containsExactly(TriggerKind.values());
        assertThat(p.cooldown()).isEqualTo(Duration.ofHours(1));
        assertThat(p.minNewRows()).isZero();
        assertThat(p.maxConcurrent()).isEqualTo(1);
        assertThat(p.dailyBudget()).isEqualTo(6);
        assertThat(p.data().window()).isEqualTo(Duration.ofDays(30));
        assertThat(p.data().dataset()).isEqualTo("churn-retrain");
        assertThat(p.trainer().name()).isEqualTo("flywheel-linear");
        assertThat(p.trainer().runner()).isEqualTo("in-process");
        assertThat(p.evaluation().metric()).isEqualTo("roc_auc");
        assertThat(p.evaluation().margin()).isZero();
        assertThat(p.evaluation().registerRejected()).isTrue();
        assertThat(p.promotion().environment()).isEqualTo("staging");
        assertThat(p.target()).isEqualTo(new RetrainPolicy.TrainerTarget("binary-classification", "churned", 0.2, 42));
        assertThat(p.higherIsBetter()).isTrue();
    }

    @Test
    void regressionDefaultsToRmseWhereLowerIsBetter() {
        RetrainPolicy p = new RetrainPolicy(null, null, null, null, null, null, null, null,
                linear(Map.of("task", "regression", "target", "price", "holdout_fraction", 0.3, "seed", 7)), null, null, null)
                .normalise("house", TRAINERS);
        assertThat(p.evaluation().metric()).isEqualTo("rmse");
        assertThat(p.higherIsBetter()).isFalse();
        assertThat(p.target().holdoutFraction()).isEqualTo(0.3);
        assertThat(p.target().seed()).isEqualTo(7);
    }

    @Test
    void everyProblemIsListedInOneMessage() {
        RetrainPolicy p = new RetrainPolicy(true, List.of(), "every day", Duration.ofMinutes(-5), -1L, 0, 0,
                new RetrainPolicy.Data(Duration.ofDays(1000), "bad name", new RetrainPolicy.BaseDataset("base", "abc")),
                new RetrainPolicy.Trainer("tensorflow", "kubernetes", Map.of("task", "regression", "target", "y", "l2", -1)),
                new RetrainPolicy.EvaluationRule("roc_auc", -0.1, null), new RetrainPolicy.Promotion("prod/eu"), null);
        assertThatThrownBy(() -> p.normalise("m", TRAINERS))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("the retrain policy is invalid: ")
                .hasMessageContaining("cooldown must not be negative")
                .hasMessageContaining("min_new_rows must be 0 or more")
                .hasMessageContaining("max_concurrent must be between 1 and 100")
                .hasMessageContaining("daily_budget must be between 1 and 1000")
                .hasMessageContaining("triggers must name at least one")
                .hasMessageContaining("schedule: 'every day' is not a Quartz cron expression")
                .hasMessageContaining("data.window must be between PT1M and P400D")
                .hasMessageContaining("data.dataset must match")
                .hasMessageContaining("data.base_dataset.id must be a dataset version id")
                .hasMessageContaining("trainer.name must be one of flywheel-linear, sklearn")
                .hasMessageContaining("trainer.runner must be in-process or local-process")
                .hasMessageContaining("evaluation.metric must be one of mae, mape, r2, rmse for regression")
                .hasMessageContaining("evaluation.margin must be a number >= 0")
                .hasMessageContaining("promotion.environment must match");
    }

    @Test
    void theReferenceTrainersParametersAreCheckedByTheTrainerItself() {
        RetrainPolicy typo = new RetrainPolicy(null, null, null, null, null, null, null, null,
                linear(Map.of("task", "binary-classification", "target", "y", "l2_penalty", 1)), null, null, null);
        assertThatThrownBy(() -> typo.normalise("m", TRAINERS)).hasMessageContaining("trainer.params: unknown parameter 'l2_penalty'");
        RetrainPolicy noHoldout = new RetrainPolicy(null, null, null, null, null, null, null, null,
                linear(Map.of("task", "binary-classification", "target", "y", "holdout_fraction", 0)), null, null, null);
        assertThatThrownBy(() -> noHoldout.normalise("m", TRAINERS))
                .hasMessageContaining("holdout_fraction must be > 0 and < 1: the candidate and the champion are compared on the holdout");
        RetrainPolicy noParams = new RetrainPolicy(null, null, null, null, null, null, null, null, null, null, null, null);
        assertThatThrownBy(() -> noParams.normalise("m", TRAINERS)).hasMessageContaining("trainer.params is required");
    }

    @Test
    void anotherTrainerRunsAsALocalProcessWithItsOwnParameters() {
        RetrainPolicy p = new RetrainPolicy(null, null, null, null, null, null, null, null,
                new RetrainPolicy.Trainer("sklearn", null, Map.of("task", "binary-classification", "target", "y", "n_estimators", 100)),
                null, null, null).normalise("m", TRAINERS);
        assertThat(p.trainer().runner()).isEqualTo("local-process");
        assertThat(p.paramsJson()).contains("\"n_estimators\":100");
        RetrainPolicy inProcess = new RetrainPolicy(null, null, null, null, null, null, null, null,
                new RetrainPolicy.Trainer("sklearn", "in-process", Map.of("task", "regression", "target", "y")), null, null, null);
        assertThatThrownBy(() -> inProcess.normalise("m", TRAINERS))
                .hasMessageContaining("trainer.runner in-process runs the reference trainer only; run 'sklearn' as local-process");
    }

    @Test
    void schedulesAreQuartzCronInUtc() {
        assertThat(Schedules.next("0 0 3 * * ?", Instant.parse("2026-11-26T10:00:00Z"))).contains(Instant.parse("2026-11-27T03:00:00Z"));
        assertThat(Schedules.next("*/10 * * * * ?", Instant.parse("2026-11-26T10:00:01Z"))).contains(Instant.parse("2026-11-26T10:00:10Z"));
        assertThatThrownBy(() -> Schedules.validate("0 0 25 * * ?")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theKubernetesRunnerIsAcceptedOnlyWhereItIsOffered() {
        RetrainPolicy onKubernetes = new RetrainPolicy(null, null, null, null, null, null, null, null,
                new RetrainPolicy.Trainer("sklearn", RetrainPolicy.KUBERNETES, Map.of("task", "binary-classification", "target", "churned")),
                null, null, null);

        assertThatThrownBy(() -> onKubernetes.normalise("m", TRAINERS))
                .hasMessageContaining("trainer.runner must be in-process or local-process (kubernetes is offered only when "
                        + "retrain.runner.kubernetes.enabled is set)");
        assertThat(onKubernetes.normalise("m", TRAINERS, Set.of(RetrainPolicy.IN_PROCESS, RetrainPolicy.LOCAL_PROCESS,
                RetrainPolicy.KUBERNETES)).trainer().runner()).isEqualTo(RetrainPolicy.KUBERNETES);
    }
}
