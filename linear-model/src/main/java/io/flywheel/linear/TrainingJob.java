package io.flywheel.linear;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One run of the trainer contract (docs/CONTRACTS.md): dataset URI, output prefix and parameters in;
 * {@code model.json} and {@code metrics.json} under the prefix out. {@link TrainerMain} is this
 * behind a command line; an in-process runner calls {@link #run} directly.
 */
public final class TrainingJob {

    /** The artifact's file name under the output prefix. */
    public static final String MODEL_FILE = "model.json";
    /** The metrics' file name under the output prefix. */
    public static final String METRICS_FILE = "metrics.json";
    /** The metrics document's format id. */
    public static final String METRICS_FORMAT = "flywheel-linear-metrics/v1";

    private TrainingJob() {
    }

    /**
     * What a run produced.
     *
     * @param holdoutMetrics empty when holdout_fraction is 0
     */
    public record Outcome(LinearModel model, Trainer.Result fit, Map<String, Double> trainingMetrics,
                          Map<String, Double> holdoutMetrics, Path modelFile, Path metricsFile) {
    }

    /**
     * Reads the dataset, splits, trains, evaluates on both parts and writes both files (each
     * written whole to a temporary file, then moved into place). Bad arguments or data are
     * IllegalArgumentExceptions; failures to read or write are IOExceptions.
     *
     * @param datasetUri a local path or file:// URI
     * @param output     a local directory (path or file:// URI), created if missing
     */
    public static Outcome run(String datasetUri, String output, TrainingParams params, Instant trainedAt,
                              Consumer<String> progress) throws IOException {
        Consumer<String> log = progress == null ? line -> { } : progress;
        Path directory = DatasetReader.localPath(output, "output");
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw new IllegalArgumentException("output " + output + " exists and is not a directory");
        }
        log.accept("reading " + datasetUri);
        Dataset data = DatasetReader.read(datasetUri);
        log.accept("read " + data.size() + " rows, columns " + data.types());
        Trainer.Result fit = Trainer.train(data, params, trainedAt, log);
        Map<String, Double> trainingMetrics = Evaluation.evaluate(fit.model(), fit.train());
        Map<String, Double> holdoutMetrics = fit.holdout().size() == 0
                ? Map.of() : Evaluation.evaluate(fit.model(), fit.holdout());
        log.accept("training metrics " + trainingMetrics);
        if (!holdoutMetrics.isEmpty()) {
            log.accept("holdout metrics " + holdoutMetrics);
        }

        Files.createDirectories(directory);
        Path modelFile = directory.resolve(MODEL_FILE);
        Path metricsFile = directory.resolve(METRICS_FILE);
        writeAtomically(modelFile, fit.model().toJson());
        writeAtomically(metricsFile, metricsJson(fit, data.size(), params, trainingMetrics, holdoutMetrics));
        log.accept("wrote " + modelFile + " and " + metricsFile);
        return new Outcome(fit.model(), fit, trainingMetrics, holdoutMetrics, modelFile, metricsFile);
    }

    static String metricsJson(Trainer.Result fit, int datasetRows, TrainingParams params,
                              Map<String, Double> trainingMetrics, Map<String, Double> holdoutMetrics) {
        ModelArtifact.Training training = fit.model().artifact().training();
        ObjectNode root = Json.object();
        root.put("format", METRICS_FORMAT);
        root.put("task", params.task().id());
        root.put("model", MODEL_FILE);
        root.put("seed", params.seed());
        root.put("holdout_fraction", params.holdoutFraction());
        ObjectNode rows = root.putObject("rows");
        rows.put("dataset", datasetRows);
        rows.put("train", fit.train().size());
        rows.put("holdout", fit.holdout().size());
        metrics(root.putObject("training"), trainingMetrics);
        if (holdoutMetrics.isEmpty()) {
            root.putNull("holdout");
        } else {
            metrics(root.putObject("holdout"), holdoutMetrics);
        }
        ObjectNode solver = root.putObject("solver");
        solver.put("method", params.task() == Task.REGRESSION ? "normal-equations-cholesky" : "newton-irls");
        solver.put("iterations", training.iterations());
        solver.put("converged", training.converged());
        Json.putScalar(solver, "objective", training.objective());
        return Json.write(root);
    }

    private static void metrics(ObjectNode node, Map<String, Double> metrics) {
        metrics.forEach((name, value) -> Json.putScalar(node, name, value));
    }

    private static void writeAtomically(Path file, String content) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, content, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
