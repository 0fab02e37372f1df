package io.flywheel.retrain.runner;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainingJobSpecTest {

    private static final String JOB = "0b5c3f4e-8a61-4a7e-9d8b-1f2e3d4c5b6a";

    @TempDir
    Path dir;

    private Job build(Duration timeout) throws Exception {
        TrainingRequest request = KubernetesTestSupport.request(JOB, dir, new ArrayList<>(), timeout);
        return KubernetesTestSupport.spec("training").build(request, "s3://retrain/jobs/" + JOB + "/training-set.jsonl",
                "s3://retrain/jobs/" + JOB + "/output/");
    }

    @Test
    void theJobCarriesTheImageTheContractAndTheJobsLabels() throws Exception {
        Job job = build(Duration.ofMinutes(50));

        assertThat(job.getApiVersion()).isEqualTo("batch/v1");
        assertThat(job.getMetadata().getName()).isEqualTo("retrain-" + JOB);
        assertThat(job.getMetadata().getNamespace()).isEqualTo("training");
        assertThat(job.getMetadata().getLabels()).containsEntry(TrainingJobSpec.JOB_LABEL, JOB);
        assertThat(job.getMetadata().getAnnotations()).containsEntry(TrainingJobSpec.TRAINER_ANNOTATION, "sklearn");
        assertThat(job.getSpec().getTemplate().getMetadata().getLabels()).containsEntry(TrainingJobSpec.JOB_LABEL, JOB);
        assertThat(job.getSpec().getBackoffLimit()).isZero();
        assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(3000L);
        assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(3600);

        Container trainer = job.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(trainer.getImage()).isEqualTo(KubernetesTestSupport.IMAGE);
        assertThat(trainer.getArgs()).containsExactly("--dataset", "s3://retrain/jobs/" + JOB + "/training-set.jsonl",
                "--output", "s3://retrain/jobs/" + JOB + "/output/", "--params", RunnersTestSupport.PARAMS);
        Map<String, String> env = trainer.getEnv().stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
        assertThat(env).containsEntry("FLYWHEEL_RETRAIN_JOB", JOB)
                .containsEntry("FLYWHEEL_DATASET_URI", "s3://retrain/jobs/" + JOB + "/training-set.jsonl")
                .containsEntry("FLYWHEEL_OUTPUT_URI", "s3://retrain/jobs/" + JOB + "/output/")
                .containsEntry("FLYWHEEL_PARAMS", RunnersTestSupport.PARAMS)
                .containsEntry("SOURCE_DATE_EPOCH", "1795687200")
                .containsEntry("AWS_ENDPOINT_URL", "http://minio.flywheel:9000");
        assertThat(job.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(job.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("flywheel-trainer");
        assertThat(trainer.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(trainer.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(trainer.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(trainer.getResources().getLimits()).containsKey("memory");
    }

    @Test
    void s3CredentialsAreSecretReferencesNeverValues() throws Exception {
        List<EnvVar> env = build(null).getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv();

        EnvVar accessKey = env.stream().filter(e -> e.getName().equals("AWS_ACCESS_KEY_ID")).findFirst().orElseThrow();
        EnvVar secretKey = env.stream().filter(e -> e.getName().equals("AWS_SECRET_ACCESS_KEY")).findFirst().orElseThrow();
        assertThat(accessKey.getValue()).isNull();
        assertThat(accessKey.getValueFrom().getSecretKeyRef().getName()).isEqualTo("flywheel-s3");
        assertThat(accessKey.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("access-key");
        assertThat(secretKey.getValue()).isNull();
        assertThat(secretKey.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("secret-key");
    }

    @Test
    void withoutATimeoutTheJobHasNoDeadline() throws Exception {
        assertThat(build(null).getSpec().getActiveDeadlineSeconds()).isNull();
    }

    @Test
    void aTrainerWithoutAnImageOrWithCheckedOutCodeIsRefused() throws Exception {
        TrainingRequest request = KubernetesTestSupport.request(JOB, dir, new ArrayList<>(), null);
        TrainingJobSpec spec = KubernetesTestSupport.spec("training");
        TrainingRequest unknown = new TrainingRequest(JOB, "xgboost", request.datasetUri(), request.output(), request.paramsJson(),
                request.trainedAt(), request.log());
        TrainingRequest code = new TrainingRequest(JOB, "sklearn", request.datasetUri(), request.output(), request.paramsJson(),
                request.trainedAt(), request.log(), List.of("python3", "train.py"), dir, null);

        assertThatThrownBy(() -> spec.build(unknown, "s3://a/b", "s3://a/c"))
                .hasMessageContaining("no image is configured for trainer 'xgboost'");
        assertThatThrownBy(() -> spec.build(code, "s3://a/b", "s3://a/c")).hasMessageContaining("trainer.code");
    }

    @Test
    void namesAndLabelsStayWithinKubernetesLimits() {
        String long64 = "x".repeat(80);
        assertThat(TrainingJobSpec.jobName(long64)).hasSize(63);
        assertThat(TrainingJobSpec.jobName("Job_1")).isEqualTo("retrain-job-1");
        assertThat(TrainingJobSpec.jobLabel("a b+c")).isEqualTo("a-b-c");
    }
}
