package io.flywheel.linear;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The artifact and metrics examples in README.md are exactly what the trainer writes. */
class ReadmeExampleTest {

    @TempDir
    Path dir;

    @Test
    void theReadmeExamplesAreTheTrainersOutput() throws IOException {
        List<String> blocks = jsonBlocks(Files.readString(Path.of("README.md")));
        TrainingParams params = TrainingParams.fromJson("{\"task\": \"binary-classification\", \"target\": \"churned\"}");

        TrainingJob.Outcome outcome = TrainingJob.run("src/test/resources/reference/classification.csv",
                dir.toString(), params, Instant.ofEpochSecond(1_700_000_000L), null);

        assertThat(blocks).hasSizeGreaterThanOrEqualTo(2);
        assertThat(blocks.get(0)).isEqualTo(Files.readString(outcome.modelFile()));
        assertThat(blocks.get(1)).isEqualTo(Files.readString(outcome.metricsFile()));
        assertThat(LinearModel.fromJson(blocks.get(0)).artifact()).isEqualTo(outcome.model().artifact());
    }

    private static List<String> jsonBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        int from = 0;
        while (true) {
            int start = markdown.indexOf("```json\n", from);
            if (start < 0) {
                return blocks;
            }
            int end = markdown.indexOf("```\n", start + 8);
            blocks.add(markdown.substring(start + 8, end));
            from = end + 4;
        }
    }
}
