package io.flywheel.linear;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerMainTest {

    private static final String PARAMS = "{\"task\": \"binary-classification\", \"target\": \"churned\", \"seed\": 5}";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return TrainerMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void writesTheModelAndMetricsAndExitsZero() throws IOException {
        String dataset = TestData.resource(TestData.CLASSIFICATION_CSV).toString();
        Path output = dir.resolve("run-1");

        int code = run("--dataset", dataset, "--output", output.toString(), "--params", PARAMS);

        assertThat(code).as(stderr()).isZero();
        assertThat(stderr()).isEmpty();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("reading " + dataset,
                "split 300 rows: 240 to train, 60 held out", "newton iteration 1:", "done: ");
        LinearModel model = LinearModel.read(output.resolve("model.json"));
        JsonNode metrics = Json.MAPPER.readTree(Files.readString(output.resolve("metrics.json")));
        assertThat(metrics.get("format").textValue()).isEqualTo("flywheel-linear-metrics/v1");
        assertThat(metrics.get("seed").longValue()).isEqualTo(5);
        assertThat(metrics.get("rows").toString()).isEqualTo("{\"dataset\":300,\"train\":240,\"holdout\":60}");
        assertThat(metrics.get("solver").get("converged").booleanValue()).isTrue();

        // retrain can recompute the holdout from the seed and score any model on it identically
        Dataset holdout = TestData.dataset(TestData.CLASSIFICATION_CSV).split(0.2, 5).holdout();
        Map<String, Double> expected = Evaluation.evaluate(model, holdout);
        assertThat(metrics.get("holdout").properties()).hasSize(6);
        expected.forEach((name, value) ->
                assertThat(metrics.get("holdout").get(name).doubleValue()).as(name).isEqualTo(value));
        assertThat(metrics.get("training").get("accuracy").doubleValue()).isBetween(0.6, 0.8);
    }

    @Test
    void acceptsFileUrisAndParamsFromAFile() throws IOException {
        Path params = Files.writeString(dir.resolve("params.json"),
                "{\"task\": \"regression\", \"target\": \"y\", \"holdout_fraction\": 0}");
        Path output = dir.resolve("out");

        int code = run("--dataset=" + TestData.resource(TestData.REGRESSION_JSONL).toUri(),
                "--output=" + output.toUri(), "--params=@" + params);

        assertThat(code).as(stderr()).isZero();
        JsonNode metrics = Json.MAPPER.readTree(Files.readString(output.resolve("metrics.json")));
        assertThat(metrics.get("holdout").isNull()).isTrue();
        assertThat(metrics.get("training").get("r2").doubleValue()).isGreaterThan(0.9);
        assertThat(LinearModel.read(output.resolve("model.json")).task()).isEqualTo(Task.REGRESSION);
    }

    @Test
    void badArgumentsExitTwoWithOneLine() {
        String dataset = TestData.resource(TestData.CLASSIFICATION_CSV).toString();
        String output = dir.resolve("o").toString();
        List<String> messages = new ArrayList<>();
        String[][] cases = {
                {},
                {"--dataset", dataset, "--output", output},
                {"--dataset", dataset, "--output", output, "--params", PARAMS, "--verbose"},
                {"--dataset", dataset, "--output", output, "--params", "{not json"},
                {"--dataset", dataset, "--output", output, "--params", "@" + dir.resolve("none.json")},
                {"--dataset", dir.resolve("none.csv").toString(), "--output", output, "--params", PARAMS},
                {"--dataset", dataset, "--output", output, "--params", "{\"task\": \"regression\", \"target\": \"plan\"}"},
        };
        for (String[] args : cases) {
            err.reset();
            assertThat(run(args)).as(String.join(" ", args)).isEqualTo(2);
            assertThat(stderr()).startsWith("error: ").endsWith(System.lineSeparator());
            assertThat(stderr().lines()).hasSize(1);
            messages.add(stderr().strip());
        }
        assertThat(messages).anyMatch(m -> m.startsWith("error: missing --dataset; usage:"))
                .anyMatch(m -> m.startsWith("error: missing --params; usage:"))
                .anyMatch(m -> m.startsWith("error: unknown argument '--verbose'"))
                .anyMatch(m -> m.startsWith("error: params is not valid JSON at line 1"))
                .anyMatch(m -> m.equals("error: params file " + dir.resolve("none.json") + " not found"))
                .anyMatch(m -> m.equals("error: dataset " + dir.resolve("none.csv") + " not found"))
                .anyMatch(m -> m.equals("error: target 'plan' must be numeric for regression; it holds string values"));
        assertThat(dir.resolve("o")).doesNotExist();
    }

    @Test
    void badDataExitsTwoNamingTheLine() throws IOException {
        Path csv = Files.writeString(dir.resolve("bad.csv"), "x,y\n1,true\n2,false\nthree,true\n");

        int code = run("--dataset", csv.toString(), "--output", dir.resolve("o").toString(), "--params",
                "{\"task\": \"binary-classification\", \"target\": \"y\"}");

        assertThat(code).isEqualTo(2);
        assertThat(stderr()).isEqualTo("error: line 4: column 'x' has a string (\"three\"), but the column holds numbers "
                + "(from line 2)" + System.lineSeparator());
    }

    @Test
    void anOutputThatIsAFileIsABadArgument() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");

        int code = run("--dataset", TestData.resource(TestData.CLASSIFICATION_CSV).toString(), "--output",
                file.toString(), "--params", PARAMS);

        assertThat(code).isEqualTo(2);
        assertThat(stderr()).isEqualTo("error: output " + file + " exists and is not a directory" + System.lineSeparator());
    }

    @Test
    void failingToWriteTheOutputIsAnUnexpectedFailure() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");

        int code = run("--dataset", TestData.resource(TestData.CLASSIFICATION_CSV).toString(), "--output",
                file.resolve("sub").toString(), "--params", PARAMS);

        assertThat(code).isEqualTo(1);
        assertThat(stderr()).startsWith("error: unexpected failure: java.nio.file.")
                .contains(System.lineSeparator() + "\tat ");
        assertThat(file).hasContent("not a directory");
    }

    @Test
    void helpPrintsUsageAndExitsZero() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("usage: java -jar linear-model.jar --dataset");
    }

    @Test
    void asASeparateProcessItExitsWithTheCodeAndReproducesTheArtifact() throws Exception {
        String dataset = TestData.resource(TestData.CLASSIFICATION_CSV).toString();

        assertThat(process("--dataset", dataset, "--output", dir.resolve("a").toString(), "--params", PARAMS)).isZero();
        assertThat(process("--dataset", dataset, "--output", dir.resolve("b").toString(), "--params", PARAMS)).isZero();
        assertThat(process("--dataset", dataset, "--output", dir.resolve("c").toString())).isEqualTo(2);

        String a = Files.readString(dir.resolve("a/model.json"));
        assertThat(a).contains("\"trained_at\": \"2023-11-14T22:13:20Z\"");
        assertThat(Files.readString(dir.resolve("b/model.json"))).isEqualTo(a);
        assertThat(Files.readString(dir.resolve("b/metrics.json"))).isEqualTo(Files.readString(dir.resolve("a/metrics.json")));
    }

    private int process(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), TrainerMain.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("process-" + args.length + "-" + System.nanoTime() + ".log").toFile());
        builder.environment().put("SOURCE_DATE_EPOCH", "1700000000");
        return builder.start().waitFor();
    }
}
