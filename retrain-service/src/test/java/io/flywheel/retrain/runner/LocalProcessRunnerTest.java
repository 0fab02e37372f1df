package io.flywheel.retrain.runner;

import io.flywheel.linear.LinearModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.flywheel.retrain.runner.RunnersTestSupport.PARAMS;
import static io.flywheel.retrain.runner.RunnersTestSupport.dataset;
import static io.flywheel.retrain.runner.RunnersTestSupport.log;
import static io.flywheel.retrain.runner.RunnersTestSupport.request;
import static org.assertj.core.api.Assertions.assertThat;

/** The reference trainer in a JVM of its own, and another trainer as a command, under the §7 contract. */
class LocalProcessRunnerTest {

    @TempDir
    Path dir;

    private static LocalProcessRunner runner(Map<String, List<String>> commands) {
        return new LocalProcessRunner(LocalProcessRunner.currentJava(), List.of("-Xmx128m"), LocalProcessRunner.discoverClasspath(),
                commands, Duration.ofSeconds(2));
    }

    @Test
    void theReferenceTrainerRunsInASeparateJvmAndItsArtifactIsReproducible() throws Exception {
        Path data = dataset(dir, 200);
        List<String> log = log();
        TrainingResult result = runner(Map.of()).start(request("flywheel-linear", data, dir.resolve("out"), PARAMS, log))
                .result().get(120, TimeUnit.SECONDS);

        assertThat(result.exitCode()).as(String.join("\n", log)).isZero();
        assertThat(log).anyMatch(line -> line.startsWith("started process ")).anyMatch(line -> line.startsWith("done: "));
        // the same rows, parameters and training time as in-process: the same bytes
        try (InProcessRunner inProcess = new InProcessRunner(1, 1)) {
            inProcess.start(request("flywheel-linear", data, dir.resolve("same"), PARAMS, log())).result().get(60, TimeUnit.SECONDS);
        }
        assertThat(Files.readString(dir.resolve("out/model.json"))).isEqualTo(Files.readString(dir.resolve("same/model.json")));
        assertThat(LinearModel.read(dir.resolve("out/model.json")).featureCount()).isEqualTo(4);
    }

    @Test
    void theTrainersOneLineErrorAndExitCodeComeBack() throws Exception {
        TrainingResult result = runner(Map.of()).start(request("flywheel-linear", dataset(dir, 20), dir.resolve("out"),
                "{\"task\": \"regression\"}", log())).result().get(120, TimeUnit.SECONDS);
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.error()).isEqualTo("error: target is required (the column to predict)");
    }

    @Test
    void anotherTrainerIsACommandThatReceivesTheContractsArguments() throws Exception {
        String script = "out=''; while [ $# -gt 0 ]; do case $1 in --output) out=$2;; esac; shift; done; "
                + "mkdir -p \"$out\" && echo '{}' > \"$out/metrics.json\" && echo custom trainer ran";
        List<String> log = log();
        TrainingResult result = runner(Map.of("custom", List.of("/bin/sh", "-c", script, "custom")))
                .start(request("custom", dir.resolve("data.jsonl"), dir.resolve("out"), PARAMS, log)).result().get(30, TimeUnit.SECONDS);
        assertThat(result.exitCode()).isZero();
        assertThat(Files.exists(dir.resolve("out/metrics.json"))).isTrue();
        assertThat(log).contains("custom trainer ran");
        assertThat(runner(Map.of("custom", List.of("/bin/true"))).command(request("custom", dir.resolve("d.jsonl"), dir.resolve("o"), PARAMS, log)))
                .containsExactly("/bin/true", "--dataset", dir.resolve("d.jsonl").toUri().toString(), "--output", dir.resolve("o").toString(),
                        "--params", PARAMS);
    }

    @Test
    void cancellingKillsTheProcessAndItsChildren() throws Exception {
        TrainingRun run = runner(Map.of("sleepy", List.of("/bin/sh", "-c", "sleep 60", "sleepy")))
                .start(request("sleepy", dir.resolve("d.jsonl"), dir.resolve("out"), PARAMS, log()));
        run.cancel();
        TrainingResult result = run.result().get(20, TimeUnit.SECONDS);
        assertThat(result.cancelled()).isTrue();
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().arguments().map(a -> List.of(a).contains(dir.resolve("out").toString()))
                .orElse(false)).toList()).isEmpty();
    }
}
