package io.flywheel.retrain.runner;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/** What the kubernetes runner's tests share: a spec, a request, a staging area on disk, and the statuses a Job ends with. */
final class KubernetesTestSupport {

    static final String IMAGE = "registry.example.com/flywheel/trainer-sklearn:1.4";

    static TrainingJobSpec spec(String namespace) {
        return new TrainingJobSpec(namespace, Map.of("sklearn", IMAGE), "flywheel-trainer", "http://minio.flywheel:9000", "us-east-1",
                "flywheel-s3", "access-key", "secret-key", Duration.ofHours(1), "500m", "1Gi");
    }

    static TrainingRequest request(String jobId, Path work, List<String> log, Duration timeout) throws IOException {
        Path dataset = Files.writeString(work.resolve("training-set.jsonl"), "{\"x\": 1, \"churned\": true}\n");
        return new TrainingRequest(jobId, "sklearn", dataset.toUri().toString(), work.resolve("output"),
                RunnersTestSupport.PARAMS, Instant.parse("2026-11-26T10:00:00Z"), log::add, null, null, timeout);
    }

    static String newJobId() {
        return UUID.randomUUID().toString();
    }

    static JobStatus complete() {
        return new JobStatusBuilder().withSucceeded(1).withConditions(new JobConditionBuilder().withType("Complete").withStatus("True")
                .withLastProbeTime("2026-11-26T10:05:00Z").withLastTransitionTime("2026-11-26T10:05:00Z").build())
                .withStartTime("2026-11-26T10:00:00Z").withCompletionTime("2026-11-26T10:05:00Z").build();
    }

    static JobStatus failed(String reason, String message) {
        return new JobStatusBuilder().withFailed(1).withConditions(new JobConditionBuilder().withType("Failed").withStatus("True")
                .withReason(reason).withMessage(message).withLastProbeTime("2026-11-26T10:05:00Z")
                .withLastTransitionTime("2026-11-26T10:05:00Z").build()).withStartTime("2026-11-26T10:00:00Z").build();
    }

    static JobStatus running() {
        return new JobStatusBuilder().withActive(1).withStartTime("2026-11-26T10:00:00Z").build();
    }

    static Job withStatus(Job job, JobStatus status) {
        job.setStatus(status);
        return job;
    }

    /** S3 played by a directory: {@code s3://test/<key>} is {@code <root>/<key>}. */
    static final class DirectoryStaging implements JobStaging {
        final Path root;

        DirectoryStaging(Path root) {
            this.root = root;
        }

        @Override
        public String upload(Path file, String key) {
            try {
                Files.createDirectories(root.resolve(key).getParent());
                Files.copy(file, root.resolve(key), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return uri(key);
        }

        @Override
        public String uri(String key) {
            return "s3://test/" + key;
        }

        @Override
        public void download(String prefix, Path directory) {
            try (Stream<Path> files = Files.walk(root.resolve(prefix))) {
                Files.createDirectories(directory);
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(file, directory.resolve(root.resolve(prefix).relativize(file).toString()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void delete(String prefix) {
            Path dir = root.resolve(prefix);
            if (!Files.exists(dir)) {
                return;
            }
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** What the trainer does in its pod: writes its outputs under the job's prefix. */
        void trainerWrites(String jobId) throws IOException {
            Path out = Files.createDirectories(root.resolve(KubernetesRunner.prefix(jobId) + "output/"));
            Files.writeString(out.resolve(TrainerOutput.LINEAR_FILE), "{\"format\": \"flywheel-linear/v1\"}");
            Files.writeString(out.resolve(TrainerOutput.METRICS_FILE), "{\"roc_auc\": 0.9}");
        }

        boolean staged(String jobId) {
            return Files.exists(root.resolve(KubernetesRunner.prefix(jobId)));
        }
    }

    private KubernetesTestSupport() {
    }
}
