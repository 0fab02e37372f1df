package io.flywheel.retrain.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kubernetes runner's staging against the test stack's S3 (flywheel.test.s3, bucket flywheel-test):
 * the training set goes up, what a trainer wrote under the output prefix comes down, the prefix is emptied.
 */
class S3JobStagingTest {

    private static final S3Config TEST_S3 = new S3Config() {
        public String endpoint() {
            return System.getProperty("flywheel.test.s3", "http://127.0.0.1:19000");
        }

        public String accessKey() {
            return "flywheel";
        }

        public String secretKey() {
            return "flywheel-secret";
        }

        public String bucket() {
            return "flywheel-test";
        }

        public String region() {
            return "us-east-1";
        }
    };

    @TempDir
    Path dir;

    @Test
    void stagesTheTrainingSetBringsTheOutputsBackAndCleansUp() throws Exception {
        ObjectStore store = new ObjectStore(TEST_S3);
        S3JobStaging staging = new S3JobStaging(store);
        String prefix = "jobs/" + UUID.randomUUID() + "/";
        Path dataset = Files.writeString(dir.resolve("training-set.jsonl"), "{\"x\": 1, \"churned\": true}\n");

        assertThat(staging.upload(dataset, prefix + "training-set.jsonl")).isEqualTo("s3://flywheel-test/" + prefix + "training-set.jsonl");
        // what the trainer does in its pod
        store.put(prefix + "output/model.json", "{\"format\": \"flywheel-linear/v1\"}".getBytes(), "application/json").await().indefinitely();
        store.put(prefix + "output/metrics.json", "{\"roc_auc\": 0.9}".getBytes(), "application/json").await().indefinitely();

        staging.download(prefix + "output/", dir.resolve("output"));
        staging.delete(prefix);

        assertThat(dir.resolve("output/model.json")).hasContent("{\"format\": \"flywheel-linear/v1\"}");
        assertThat(dir.resolve("output/metrics.json")).hasContent("{\"roc_auc\": 0.9}");
        assertThat(store.list(prefix, null, null).await().indefinitely()).isEmpty();
    }
}
