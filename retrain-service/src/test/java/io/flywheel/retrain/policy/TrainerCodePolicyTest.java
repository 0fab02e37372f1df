package io.flywheel.retrain.policy;

import io.flywheel.retrain.InvalidRequestException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A policy's trainer.code: its defaults and every message of its validation. */
class TrainerCodePolicyTest {

    private static final Set<String> TRAINERS = Set.of(RetrainPolicy.LINEAR_TRAINER);
    private static final Map<String, Object> PARAMS = Map.of("task", "binary-classification", "target", "churned");

    private static RetrainPolicy policy(String name, String runner, RetrainPolicy.Code code) {
        return new RetrainPolicy(null, null, null, null, null, null, null, null, new RetrainPolicy.Trainer(name, runner, PARAMS, code),
                null, null, null);
    }

    @Test
    void aTrainerInGitIsRunAsAProcessOnMainNamedAfterItsRepository() {
        RetrainPolicy p = policy(null, null, new RetrainPolicy.Code("/srv/git/churn-trainer.git", null,
                List.of("python3", "train.py"), List.of("python3", "-m", "unittest", "-q"))).normalise("churn", TRAINERS);

        assertThat(p.trainer().name()).as("not a configured trainer: a label").isEqualTo("churn-trainer");
        assertThat(p.trainer().runner()).isEqualTo("local-process");
        assertThat(p.trainer().code()).isEqualTo(new RetrainPolicy.Code("/srv/git/churn-trainer.git", "main",
                List.of("python3", "train.py"), List.of("python3", "-m", "unittest", "-q")));
        assertThat(p.allows(TriggerKind.CODE)).as("code triggers are allowed by default").isTrue();
    }

    @Test
    void withoutTestCommandNoTestsRunAndTheNameMayBeGiven() {
        RetrainPolicy p = policy("sklearn-churn", "local-process", new RetrainPolicy.Code("https://github.com/acme/churn-trainer.git", "release",
                List.of("python3", "train.py"), null)).normalise("churn", TRAINERS);
        assertThat(p.trainer().name()).isEqualTo("sklearn-churn");
        assertThat(p.trainer().code().branch()).isEqualTo("release");
        assertThat(p.trainer().code().testCommand()).isNull();
    }

    @Test
    void everyProblemOfTheCodeBlockIsNamed() {
        assertThatThrownBy(() -> policy(null, null, new RetrainPolicy.Code(null, null, null, null)).normalise("churn", TRAINERS))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("trainer.code.repository is required")
                .hasMessageContaining("trainer.code.command is required");

        assertThatThrownBy(() -> policy("has space", "in-process", new RetrainPolicy.Code("relative/dir", "a..b", List.of(),
                List.of(" "))).normalise("churn", TRAINERS))
                .hasMessageContaining("trainer.code.repository must be an absolute path, a file:// URL")
                .hasMessageContaining("trainer.code.branch must be a branch name (e.g. main), not 'a..b'")
                .hasMessageContaining("trainer.code.command must have 1 to 64 elements")
                .hasMessageContaining("trainer.code.test_command[0] must name a program")
                .hasMessageContaining("trainer.name must match [A-Za-z0-9._+-]{1,64}")
                .hasMessageContaining("trainer.runner must be local-process with trainer.code");

        assertThatThrownBy(() -> policy(null, null, new RetrainPolicy.Code("--upload-pack=evil", null, List.of("sh", "train.sh"), null))
                .normalise("churn", TRAINERS))
                .hasMessageContaining("trainer.code.repository must not start with '-'");
    }
}
