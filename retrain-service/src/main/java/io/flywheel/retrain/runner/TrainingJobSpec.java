package io.flywheel.retrain.runner;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code batch/v1} Job of one training, built from the settings and the request alone (no client,
 * no framework): the trainer's image, the contract's arguments ({@code --dataset <uri> --output <prefix>
 * --params <json>}) and the same in the environment, the S3 endpoint and its credentials by Secret
 * reference (the Job never holds their values), labels naming the retrain job, no retries (the retrain
 * job has its own attempts), a deadline, and a time to live once finished.
 *
 * @param namespace           where the Jobs are created
 * @param images              the trainer image by trainer name
 * @param serviceAccount      the trainer pods' ServiceAccount (they need no API access), or null for the namespace's default
 * @param s3Endpoint          S3 as the trainer pods reach it
 * @param s3Region            its region
 * @param s3Secret            the Secret holding the S3 credentials
 * @param accessKeyKey        the Secret's key of the access key
 * @param secretKeyKey        the Secret's key of the secret key
 * @param ttlAfterFinished    how long a finished Job stays (a fallback: the runner deletes it once it has the result)
 * @param cpu                 the trainer container's CPU request
 * @param memory              its memory request and limit
 */
public record TrainingJobSpec(String namespace, Map<String, String> images, String serviceAccount, String s3Endpoint,
                              String s3Region, String s3Secret, String accessKeyKey, String secretKeyKey,
                              Duration ttlAfterFinished, String cpu, String memory) {

    public static final String JOB_LABEL = "flywheel.io/retrain-job";
    public static final String TRAINER_ANNOTATION = "flywheel.io/trainer";
    static final String NAME_LABEL = "app.kubernetes.io/name";
    static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    static final String CONTAINER = "trainer";

    public TrainingJobSpec {
        images = Map.copyOf(images);
    }

    /** The Job's name: one per retrain job, so a later attempt finds (and replaces) an earlier one's. */
    public static String jobName(String jobId) {
        String name = "retrain-" + jobId.toLowerCase().replaceAll("[^a-z0-9-]", "-");
        return name.length() > 63 ? name.substring(0, 63) : name;
    }

    /** The label value of a retrain job id (at most 63 characters of {@code [A-Za-z0-9._-]}). */
    public static String jobLabel(String jobId) {
        String value = jobId.replaceAll("[^A-Za-z0-9._-]", "-");
        return value.length() > 63 ? value.substring(0, 63) : value;
    }

    public boolean knows(String trainer) {
        return images.containsKey(trainer);
    }

    /**
     * The Job for a request whose training set is at {@code datasetUri} and whose outputs go under
     * {@code outputUri} (both {@code s3://bucket/key}).
     *
     * @throws IllegalArgumentException for a trainer without an image
     */
    public Job build(TrainingRequest request, String datasetUri, String outputUri) {
        String image = images.get(request.trainer());
        if (image == null) {
            throw new IllegalArgumentException("no image is configured for trainer '" + request.trainer()
                    + "' (retrain.runner.kubernetes.images.\"" + request.trainer() + "\")");
        }
        if (request.command() != null) {
            throw new IllegalArgumentException("the kubernetes runner runs a trainer's image, not a checked-out command (trainer.code)");
        }
        List<EnvVar> env = new ArrayList<>(List.of(
                env("FLYWHEEL_RETRAIN_JOB", request.jobId()),
                env("FLYWHEEL_DATASET_URI", datasetUri),
                env("FLYWHEEL_OUTPUT_URI", outputUri),
                env("FLYWHEEL_PARAMS", request.paramsJson()),
                env("SOURCE_DATE_EPOCH", Long.toString(request.trainedAt().getEpochSecond())),
                env("AWS_ENDPOINT_URL", s3Endpoint),
                env("AWS_REGION", s3Region),
                secret("AWS_ACCESS_KEY_ID", accessKeyKey),
                secret("AWS_SECRET_ACCESS_KEY", secretKeyKey)));
        Map<String, String> labels = Map.of(NAME_LABEL, "flywheel-trainer", MANAGED_BY_LABEL, "retrain-service",
                JOB_LABEL, jobLabel(request.jobId()));
        Long deadline = request.timeout() == null ? null : Math.max(1, request.timeout().toSeconds());
        return new JobBuilder()
                .withNewMetadata()
                    .withName(jobName(request.jobId()))
                    .withNamespace(namespace)
                    .withLabels(labels)
                    .withAnnotations(Map.of(TRAINER_ANNOTATION, request.trainer()))
                .endMetadata()
                .withNewSpec()
                    .withBackoffLimit(0)
                    .withActiveDeadlineSeconds(deadline)
                    .withTtlSecondsAfterFinished((int) ttlAfterFinished.toSeconds())
                    .withNewTemplate()
                        .withNewMetadata().withLabels(labels).endMetadata()
                        .withNewSpec()
                            .withRestartPolicy("Never")
                            .withServiceAccountName(serviceAccount)
                            .withAutomountServiceAccountToken(false)
                            .withNewSecurityContext().withRunAsNonRoot(true).endSecurityContext()
                            .addNewContainer()
                                .withName(CONTAINER)
                                .withImage(image)
                                .withArgs("--dataset", datasetUri, "--output", outputUri, "--params", request.paramsJson())
                                .withEnv(env)
                                .withNewResources()
                                    .withRequests(Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory)))
                                    .withLimits(Map.of("memory", new Quantity(memory)))
                                .endResources()
                                .withNewSecurityContext()
                                    .withAllowPrivilegeEscalation(false)
                                    .withReadOnlyRootFilesystem(true)
                                    .withNewCapabilities().withDrop("ALL").endCapabilities()
                                .endSecurityContext()
                                // a read-only root: the trainer's scratch space is /tmp
                                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                            .endContainer()
                            .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
    }

    private static EnvVar env(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    private EnvVar secret(String name, String key) {
        return new EnvVarBuilder().withName(name)
                .withNewValueFrom().withNewSecretKeyRef().withName(s3Secret).withKey(key).endSecretKeyRef().endValueFrom()
                .build();
    }
}
