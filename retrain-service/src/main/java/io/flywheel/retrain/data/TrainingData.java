package io.flywheel.retrain.data;

import io.flywheel.linear.DataSplit;
import io.flywheel.linear.Dataset;
import io.flywheel.linear.DatasetReader;
import io.flywheel.retrain.policy.RetrainPolicy;
import io.flywheel.retrain.registry.Registry;
import io.flywheel.retrain.registry.RegistryDtos;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds a job's training set: the labelled rows of its time range (plus the base dataset's rows
 * if the policy names one), written as JSON Lines into the job's directory and registered in the
 * registry as a dataset version before training — so the candidate's lineage names exactly the rows
 * it learned from. Blocking: runs on a job worker thread.
 */
@ApplicationScoped
public class TrainingData {

    public static final String FILE = "training-set.jsonl";
    static final String PRINCIPAL = "retrain-service";

    /**
     * A registered training set.
     *
     * @param file        the staged copy the trainer reads
     * @param base        the base dataset version it includes, or null
     * @param trainRows   rows the trainer fits (the deterministic split of DataSplit)
     * @param holdoutRows rows the candidate and the champion are scored on
     */
    public record Prepared(Path file, RegistryDtos.DatasetVersion version, RegistryDtos.DatasetVersionRef base,
                           int rows, int baseRows, int labelledRows, int trainRows, int holdoutRows) {
    }

    private final LabelledData labelled;
    private final Registry registry;

    public TrainingData(LabelledData labelled, Registry registry) {
        this.labelled = labelled;
        this.registry = registry;
    }

    public Prepared prepare(String model, RetrainPolicy policy, Instant from, Instant to, Path workDir, Consumer<String> log) {
        RetrainPolicy.TrainerTarget target = policy.target();
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }

        List<? extends Map<String, ?>> baseRows = List.of();
        RegistryDtos.DatasetVersionRef baseRef = null;
        RetrainPolicy.BaseDataset base = policy.data().baseDataset();
        if (base != null) {
            RegistryDtos.DatasetVersion version = base.id() == null ? registry.newestDatasetVersion(base.name())
                    : registry.datasetVersion(base.name(), base.id());
            Path copy = workDir.resolve("base." + ("csv".equals(version.format()) ? "csv" : "jsonl"));
            registry.downloadDataset(base.name(), version.id(), copy);
            Dataset dataset;
            try {
                dataset = DatasetReader.read(copy.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            baseRows = dataset.rows();
            baseRef = new RegistryDtos.DatasetVersionRef(base.name(), version.id());
            log.accept("base dataset " + base.name() + "@" + version.id() + ": " + dataset.size() + " rows");
        }

        LabelledData.Read read = labelled.read(model, from, to, null).await().indefinitely();
        log.accept("labelled data: " + read.segments() + " segment(s) of labelled/" + model + "/ from " + LabelledData.DAY.format(from)
                + " to " + LabelledData.DAY.format(to) + ", " + read.rows().size() + " line(s)"
                + (read.malformed() > 0 ? ", " + read.malformed() + " malformed line(s) skipped" : ""));
        TrainingSet.Assembly assembly = TrainingSet.assemble(baseRows, read.rows(), target.target(), from, to);
        log.accept("training set: " + assembly.size() + " rows (" + assembly.baseRows() + " base, " + assembly.labelledRows()
                + " labelled between " + from + " and " + to + (assembly.duplicates() > 0 ? ", " + assembly.duplicates() + " repeated request ids dropped" : "")
                + (assembly.skipped() > 0 ? ", " + assembly.skipped() + " rows without a usable label or features skipped" : "")
                + "), columns " + assembly.columns());
        if (assembly.size() == 0) {
            throw new IllegalArgumentException("no training rows: no labelled rows of model '" + model + "' were labelled between "
                    + from + " and " + to + (base == null ? " and the policy names no base dataset" : " and the base dataset is empty"));
        }
        int holdout = DataSplit.holdoutSize(assembly.size(), target.holdoutFraction());
        if (holdout < 1 || holdout >= assembly.size()) {
            throw new IllegalArgumentException("too few rows to train and evaluate: " + assembly.size() + " row(s) with a holdout_fraction of "
                    + target.holdoutFraction());
        }

        Path file = workDir.resolve(FILE);
        String sha256;
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), digest)) {
                TrainingSet.write(assembly, out);
            }
            sha256 = Base64.getEncoder().encodeToString(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String dataset = policy.data().dataset();
        RegistryDtos.DatasetVersion version = registry.registerDataset(dataset,
                "training sets assembled by retrain-service for model " + model, file, "sha-256=" + sha256, PRINCIPAL);
        String hex = HexFormat.of().formatHex(Base64.getDecoder().decode(sha256));
        if (!hex.equals(version.id())) {
            throw new IllegalStateException("the registry registered the training set as " + version.id() + ", but its SHA-256 is " + hex);
        }
        log.accept("registered the training set as dataset version " + dataset + "@" + version.id() + " (" + version.rows() + " rows)");
        return new Prepared(file, version, baseRef, assembly.size(), assembly.baseRows(), assembly.labelledRows(),
                assembly.size() - holdout, holdout);
    }
}
