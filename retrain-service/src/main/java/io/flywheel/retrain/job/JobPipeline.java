package io.flywheel.retrain.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.events.PromotionRequested;
import io.flywheel.linear.Dataset;
import io.flywheel.linear.DatasetReader;
import io.flywheel.linear.ModelArtifact;
import io.flywheel.retrain.code.CodeCommand;
import io.flywheel.retrain.code.GitCheckout;
import io.flywheel.retrain.config.RetrainConfig;
import io.flywheel.retrain.data.TrainingData;
import io.flywheel.retrain.evaluation.EvaluationReport;
import io.flywheel.retrain.evaluation.Evaluator;
import io.flywheel.retrain.evaluation.Champions;
import io.flywheel.retrain.evaluation.LinearPredictor;
import io.flywheel.retrain.evaluation.OnnxPredictor;
import io.flywheel.retrain.evaluation.Predictor;
import io.flywheel.retrain.modeltest.ModelTestReport;
import io.flywheel.retrain.modeltest.ModelTestRunner;
import io.flywheel.retrain.modeltest.ModelTests;
import io.flywheel.retrain.policy.RetrainPolicy;
import io.flywheel.retrain.registry.Registry;
import io.flywheel.retrain.registry.RegistryDtos;
import io.flywheel.retrain.registry.RegistryRefusedException;
import io.flywheel.retrain.resilience.TransientFailure;
import io.flywheel.retrain.runner.Runners;
import io.flywheel.retrain.runner.TrainerCode;
import io.flywheel.retrain.runner.TrainerOutput;
import io.flywheel.onnx.OnnxGraph;
import io.flywheel.onnx.ValueSpec;
import io.flywheel.retrain.runner.TrainingRequest;
import io.flywheel.retrain.runner.TrainingResult;
import io.flywheel.retrain.runner.TrainingRun;
import io.quarkus.logging.Log;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One attempt of a job, from preparing-data to its end, on a job worker thread (blocking): the
 * training set, the trainer through its runner, the evaluation against the champion, the policy's
 * model tests on a candidate that beat it (a failing test rejects it unregistered), the
 * registration of the candidate and the promotion request. Each step ends with a move of the
 * persisted state machine; before each, the job stops if it was cancelled or is no longer ours.
 * A transient failure (S3, the registry, a full runner) that outlasts the call's own retries puts
 * the job back in pending with a backoff, while attempts remain.
 */
@ApplicationScoped
public class JobPipeline {

    static final String FRAMEWORK = "flywheel-linear";
    /** Who retrain is in the registry's histories. */
    static final String PRINCIPAL = "retrain-service";
    /** Lines of the trainer's test output kept in the job's error when they fail. */
    static final int TEST_TAIL_LINES = 20;

    private final JobStore store;
    private final TrainingData data;
    private final Runners runners;
    private final Registry registry;
    private final TrainerCode code;
    private final ObjectMapper json;
    private final RetrainConfig.Worker worker;
    private final GitCheckout git;

    public JobPipeline(JobStore store, TrainingData data, Runners runners, Registry registry, TrainerCode code,
                       ObjectMapper json, RetrainConfig config) {
        this.store = store;
        this.data = data;
        this.runners = runners;
        this.registry = registry;
        this.code = code;
        this.json = json;
        this.worker = config.worker();
        this.git = new GitCheckout(config.git().command(), config.git().timeout());
    }

    /** Runs the attempt to its end; never throws. */
    public void run(JobContext job) {
        try {
            if (job.policy == null) {
                throw new IllegalArgumentException("the job's copy of the retrain policy does not parse");
            }
            job.checkpoint();
            // a trainer whose code is in git: checked out at the job's commit, its own tests first (a failure ends the job)
            Path checkout = job.policy.trainer().code() == null ? null : checkoutAndTest(job, job.policy.trainer().code());
            job.checkpoint();
            TrainingData.Prepared prepared = data.prepare(job.model, job.policy, job.dataFrom, job.dataTo, job.workDir, job.log::info);
            move(job, JobState.TRAINING, "training set " + prepared.version().dataset() + "@" + shortId(prepared.version().id())
                    + ": " + prepared.rows() + " rows (" + prepared.trainRows() + " to train, " + prepared.holdoutRows() + " held out)", j -> {
                j.datasetName = prepared.version().dataset();
                j.datasetVersion = prepared.version().id();
                j.baseDataset = prepared.base() == null ? null : prepared.base().dataset();
                j.baseDatasetVersion = prepared.base() == null ? null : prepared.base().id();
                j.rows = prepared.rows();
                j.trainRows = prepared.trainRows();
                j.holdoutRows = prepared.holdoutRows();
            }, List.of());

            Path output = job.workDir.resolve("output");
            TrainingResult result = train(job, prepared, output, checkout);
            if (!result.succeeded()) {
                job.checkpoint();
                throw new TrainerFailed("the trainer " + job.policy.trainer().name() + " (" + job.policy.trainer().runner()
                        + ") exited with code " + result.exitCode() + ": " + result.error());
            }
            job.checkpoint();
            TrainerOutput trained = readOutput(output);
            move(job, JobState.EVALUATING, "trained: " + trained.file() + " (" + trained.format() + ", " + trained.artifact().length
                    + " bytes) and " + TrainerOutput.METRICS_FILE + " written", null, List.of());

            Dataset trainingSet = readTrainingSet(prepared);
            EvaluationReport report;
            ModelTestReport tests = null;
            RegistryDtos.Signature signature;
            String reportJson;
            try (Predictor candidate = candidate(trained)) {
                signature = signature(trained, candidate);
                report = evaluate(job, trainingSet, candidate);
                reportJson = write(report);
                job.log.info("evaluation: " + report.reason());
                ModelTests declared = job.policy.modelTests();
                if (report.promote() && declared != null && declared.count() > 0) {
                    move(job, JobState.TESTING, "beats the champion; running " + declared.count() + " model test(s) on the candidate: "
                            + report.reason(), j -> {
                        j.evaluation = reportJson;
                        j.championVersion = report.championVersion();
                    }, List.of());
                    tests = ModelTestRunner.run(declared, candidate, Evaluator.holdout(job.policy, trainingSet), job.policy.target().target(),
                            System::nanoTime);
                    tests.lines().forEach(job.log::info);
                    job.checkpoint();
                }
            }
            String testsJson = tests == null ? null : write(tests);
            if (tests != null && !tests.passed()) {
                move(job, JobState.REJECTED, "rejected, not registered: " + tests.summary(), j -> j.modelTests = testsJson, List.of());
                return;
            }

            if (!report.promote() && !job.policy.evaluation().registerRejected()) {
                move(job, JobState.REJECTED, "rejected, not registered (policy): " + report.reason(), j -> {
                    j.evaluation = reportJson;
                    j.championVersion = report.championVersion();
                }, List.of());
                return;
            }
            move(job, JobState.REGISTERING, (report.promote() ? "to be promoted: " : "to be registered as rejected: ")
                    + report.reason() + (tests == null ? "" : "; " + tests.summary()), j -> {
                j.evaluation = reportJson;
                j.championVersion = report.championVersion();
                j.modelTests = testsJson;
            }, List.of());

            RegistryDtos.Version version = register(job, prepared, trained, signature, report, reportJson, tests);
            job.checkpoint();
            if (report.promote()) {
                PromotionRequested request = PromotionRequested.of(job.model, version.version(), job.policy.promotion().environment(),
                        job.id.toString(), evidence(report, tests, prepared), "retrain job " + job.id + " (" + job.triggerKind + "): "
                                + report.reason(), JobStore.now());
                move(job, JobState.PROMOTION_REQUESTED, "candidate version " + version.version() + " registered; promotion to "
                                + job.policy.promotion().environment() + " requested",
                        j -> j.candidateVersion = version.version(),
                        List.of(new JobStore.Event(PromotionRequested.TYPE, request)));
            } else {
                move(job, JobState.REJECTED, "candidate version " + version.version() + " registered as rejected: " + report.reason(),
                        j -> j.candidateVersion = version.version(), List.of());
            }
        } catch (JobContext.Stop stop) {
            if (stop.cancelled) {
                finish(job, JobState.CANCELLED, "cancelled while " + job.state().id(), null);
            } else {
                Log.infof("job %s: no longer held by this worker; stopped", job.id);
            }
        } catch (Lost lost) {
            Log.infof("job %s: no longer held by this worker; stopped", job.id);
        } catch (Throwable e) {
            if (TransientFailure.is(e)) {
                retryLater(job, e);
            } else {
                String message = describe(e);
                if (!(e instanceof IllegalArgumentException || e instanceof RegistryRefusedException || e instanceof TrainerFailed
                        || e instanceof CodeTestsFailed)) {
                    Log.errorf(e, "job %s failed unexpectedly", job.id);
                }
                finish(job, JobState.FAILED, "failed while " + job.state().id() + ": " + message, message);
            }
        } finally {
            if (!worker.keepWorkDirs()) {
                delete(job.workDir);
            }
        }
    }

    /**
     * Clones the trainer's repository into the job's directory, checks out the job's commit (a code
     * trigger's, else the branch's head, recorded on the job from here on) and runs the trainer's own
     * tests there. Returns the checkout; {@link CodeTestsFailed} when the tests fail.
     */
    private Path checkoutAndTest(JobContext job, RetrainPolicy.Code code) throws IOException, InterruptedException {
        String repository = job.codeRepository != null ? job.codeRepository : code.repository();
        String branch = job.codeBranch != null ? job.codeBranch : code.branch();
        String wanted = job.codeCommit();
        Path checkout = job.workDir.resolve("code");
        delete(checkout);
        job.log.info("checking out " + repository + " at " + (wanted == null ? "the head of branch " + branch : "commit " + wanted
                + " (branch " + branch + ")"));
        String commit = git.checkout(repository, branch, wanted, checkout, job.log::info);
        job.codeCommit(commit);
        job.log.info("checked out " + repository + " at " + commit + " (branch " + branch + ")");
        if (code.testCommand() == null) {
            job.log.info("the policy's trainer.code has no test_command: no tests of the trainer's own run");
            return checkout;
        }
        job.log.info("running the trainer's tests at " + shortId(commit) + ": " + String.join(" ", code.testCommand()));
        CodeCommand tests;
        try {
            tests = CodeCommand.start(code.testCommand(), checkout, Map.of("FLYWHEEL_RETRAIN_JOB", job.id.toString()),
                    line -> job.log.info("tests: " + line), TEST_TAIL_LINES);
        } catch (IOException e) {
            throw new CodeTestsFailed("the trainer's tests could not be started at commit " + commit + ": " + e.getMessage());
        }
        CompletableFuture<TrainingResult> never = new CompletableFuture<>();
        job.run(new TrainingRun() {
            @Override
            public CompletableFuture<TrainingResult> result() {
                return never;
            }

            @Override
            public void cancel() {
                tests.cancel();
            }
        });
        Duration left = Duration.between(Instant.now(), job.attemptStartedAt.plus(worker.jobTimeout()));
        CodeCommand.Ended ended = tests.await(left.isNegative() ? Duration.ZERO : left);
        job.checkpoint();
        if (!ended.succeeded()) {
            String why = ended.timedOut() ? "ran past the job timeout of " + worker.jobTimeout() + " and were stopped"
                    : "failed (exit code " + ended.exitCode() + ")";
            job.log.error("the trainer's tests " + why + " at commit " + commit + "; nothing was trained");
            throw new CodeTestsFailed("the trainer's tests " + why + " at commit " + commit
                    + (ended.tail().isEmpty() ? "" : "; the last lines of their output:\n" + ended.tailText()));
        }
        job.log.info("the trainer's tests passed at commit " + shortId(commit));
        return checkout;
    }

    private TrainingResult train(JobContext job, TrainingData.Prepared prepared, Path output, Path checkout) throws InterruptedException {
        RetrainPolicy.Code code = job.policy.trainer().code();
        Instant deadline = job.attemptStartedAt.plus(worker.jobTimeout());
        TrainingRequest request = new TrainingRequest(job.id.toString(), job.policy.trainer().name(), prepared.file().toUri().toString(),
                output, job.policy.paramsJson(), job.createdAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS), job.log::info,
                code == null ? null : code.command(), checkout, java.time.Duration.between(Instant.now(), deadline));
        TrainingRun run = runners.get(job.policy.trainer().runner()).start(request);
        job.run(run);
        job.log.info("trainer " + job.policy.trainer().name() + " started by the " + job.policy.trainer().runner() + " runner"
                + (checkout == null ? "" : " from the checkout at " + job.codeCommit()));
        while (true) {
            try {
                return run.result().get(500, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (Instant.now().isAfter(deadline)) {
                    run.cancel();
                    awaitQuietly(run);
                    throw new TrainerFailed("the trainer ran past the job timeout of " + worker.jobTimeout() + " and was stopped");
                }
            } catch (ExecutionException e) {
                return new TrainingResult(TrainingResult.FAILED, describe(e.getCause()), false);
            }
        }
    }

    private static void awaitQuietly(TrainingRun run) {
        try {
            run.result().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // it was told to stop; the process runner kills it after its grace period
        }
    }

    private TrainerOutput readOutput(Path output) {
        try {
            return TrainerOutput.read(output, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The trainer's model, loaded to be scored; IllegalArgumentException (the job fails) when it can't be. */
    private static Predictor candidate(TrainerOutput trained) {
        try {
            return TrainerOutput.ONNX.equals(trained.format())
                    ? OnnxPredictor.load(trained.artifact(), trained.featureNames())
                    : LinearPredictor.of(trained.artifact());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the trainer's " + trained.file() + " can't be evaluated: " + e.getMessage(), e);
        }
    }

    /** The candidate's signature: a linear artifact's own features; an ONNX model's from the trainer's signature.json. */
    private static RegistryDtos.Signature signature(TrainerOutput trained, Predictor candidate) {
        if (candidate instanceof LinearPredictor linear) {
            ModelArtifact model = linear.model().artifact();
            List<RegistryDtos.Feature> inputs = model.features().stream()
                    .map(f -> new RegistryDtos.Feature(f.name(), f.type().name().toLowerCase(Locale.ROOT))).toList();
            return new RegistryDtos.Signature(inputs, new RegistryDtos.Feature(model.target().name(), "number"));
        }
        List<RegistryDtos.Feature> inputs = trained.features().stream().map(f -> new RegistryDtos.Feature(f.name(), f.type())).toList();
        RegistryDtos.Feature output = trained.output() == null ? graphOutput(trained.artifact())
                : new RegistryDtos.Feature(trained.output().name(), trained.output().type());
        return new RegistryDtos.Signature(inputs, output);
    }

    /** Without one in signature.json, the version's output is the graph's first output (docs/CONTRACTS.md, "Model formats"). */
    private static RegistryDtos.Feature graphOutput(byte[] onnx) {
        ValueSpec first = OnnxGraph.read(onnx).outputs().getFirst();
        String datatype = first.isSequenceOfMaps() && first.elementType() != null ? first.elementType().v2Datatype() : first.v2Datatype();
        String type = datatype == null ? "number" : switch (datatype) {
            case "BOOL" -> "boolean";
            case "BYTES" -> "string";
            case "INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64" -> "integer";
            default -> "number";
        };
        return new RegistryDtos.Feature(first.name(), type);
    }

    private static Dataset readTrainingSet(TrainingData.Prepared prepared) {
        try {
            return DatasetReader.read(prepared.file().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private EvaluationReport evaluate(JobContext job, Dataset trainingSet, Predictor candidate) {
        Integer championVersion = null;
        Predictor champion = null;
        String problem = null;
        var found = registry.champion(job.model);
        try {
            if (found.isPresent()) {
                championVersion = found.get().version().version();
                try {
                    champion = Champions.load(found.get().version(), found.get().artifact());
                } catch (IllegalArgumentException e) {
                    problem = e.getMessage();
                }
                job.log.info("champion: version " + championVersion + (champion == null ? "" : ", " + champion.format())
                        + (problem == null ? "" : " (" + problem + ")"));
            } else {
                job.log.info("champion: none (the model has no champion alias)");
            }
            return Evaluator.evaluate(job.policy, trainingSet, candidate, championVersion, champion, problem);
        } finally {
            if (champion != null) {
                champion.close();
            }
        }
    }

    private RegistryDtos.Version register(JobContext job, TrainingData.Prepared prepared, TrainerOutput trained,
                                          RegistryDtos.Signature signature, EvaluationReport report, String reportJson,
                                          ModelTestReport tests) {
        byte[] artifact = trained.artifact();
        List<RegistryDtos.DatasetVersionRef> datasets = new ArrayList<>();
        datasets.add(new RegistryDtos.DatasetVersionRef(prepared.version().dataset(), prepared.version().id()));
        if (prepared.base() != null) {
            datasets.add(prepared.base());
        }
        // the job's own commit (trainer.code) wins over what the service knows of a configured trainer
        RegistryDtos.CodeRef codeRef = job.codeCommit() != null ? new RegistryDtos.CodeRef(job.codeRepository, job.codeCommit())
                : code.of(job.policy.trainer().name()).map(r -> new RegistryDtos.CodeRef(r.repository(), r.commit())).orElse(null);
        Map<String, Double> metrics = new LinkedHashMap<>();
        report.candidate().forEach((k, v) -> {
            if (v != null) {
                metrics.put(k, v);
            }
        });
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("retrain.job", job.id.toString());
        tags.put("retrain.trigger", job.triggerKind);
        if (job.codeCommit() != null) {
            tags.put("retrain.code_branch", job.codeBranch);
        }
        tags.put("retrain.decision", report.promote() ? "candidate" : "rejected");
        tags.put("evaluation.decision", report.decision());
        tags.put("evaluation.metric", report.metric());
        tags.put("evaluation.margin", Double.toString(report.margin()));
        tags.put("evaluation.holdout_rows", Integer.toString(report.holdoutRows()));
        tag(tags, "evaluation.candidate", report.candidate().get(report.metric()));
        tag(tags, "evaluation.champion", report.champion() == null ? null : report.champion().get(report.metric()));
        tag(tags, "evaluation.improvement", report.improvement());
        if (report.championVersion() != null) {
            tags.put("evaluation.champion_version", Integer.toString(report.championVersion()));
        }
        tags.put("evaluation.reason", report.reason());
        tags.put("evaluation.report", reportJson);
        if (tests != null) {
            tags.put("model_tests.passed", Boolean.toString(tests.passed()));
            tags.put("model_tests.summary", tests.summary());
        }
        RegistryDtos.VersionRequest request = new RegistryDtos.VersionRequest(
                "candidate of retrain job " + job.id + " (" + job.triggerKind + "): " + report.reason(),
                framework(job, trained), trained.format(), signature, metrics, job.policy.trainer().params(), tags,
                new RegistryDtos.Lineage(datasets, codeRef, job.id.toString(), report.championVersion()));
        RegistryDtos.Version draft = registry.createVersion(job.model, "retrain-" + job.id, PRINCIPAL, request);
        job.log.info("registered " + job.model + " version " + draft.version() + " (" + draft.status() + ")");
        String sha256 = sha256(artifact);
        if ("ready".equals(draft.status())) {
            // an earlier attempt uploaded it already: the artifact is reproducible, so it must be the same bytes
            if (draft.artifact() == null || !HexFormat.of().formatHex(Base64.getDecoder().decode(sha256)).equals(draft.artifact().sha256())) {
                throw new IllegalStateException("version " + draft.version() + " is already finalised with another artifact");
            }
            return draft;
        }
        job.checkpoint();
        RegistryDtos.Version ready = registry.uploadArtifact(job.model, draft.version(), "sha-256=" + sha256, artifact,
                TrainerOutput.LINEAR.equals(trained.format()));
        job.log.info("uploaded the artifact of version " + ready.version() + " (" + artifact.length + " bytes): " + ready.status());
        return ready;
    }

    /** The version's framework: the reference trainer's, or what the trainer's metrics.json says, or the trainer's name. */
    private static String framework(JobContext job, TrainerOutput trained) {
        if (TrainerOutput.LINEAR.equals(trained.format()) && RetrainPolicy.LINEAR_TRAINER.equals(job.policy.trainer().name())) {
            return FRAMEWORK;
        }
        return trained.framework() != null ? trained.framework() : job.policy.trainer().name();
    }

    private static void tag(Map<String, String> tags, String key, Double value) {
        if (value != null) {
            tags.put(key, Double.toString(value));
        }
    }

    private static Map<String, Object> evidence(EvaluationReport report, ModelTestReport tests, TrainingData.Prepared prepared) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("metric", report.metric());
        putIfPresent(evidence, "candidate", report.candidate().get(report.metric()));
        if (report.champion() != null) {
            putIfPresent(evidence, "champion", report.champion().get(report.metric()));
        }
        putIfPresent(evidence, "champion_version", report.championVersion());
        evidence.put("margin", report.margin());
        putIfPresent(evidence, "improvement", report.improvement());
        evidence.put("higher_is_better", report.higherIsBetter());
        evidence.put("holdout_rows", report.holdoutRows());
        evidence.put("dataset", prepared.version().dataset());
        evidence.put("dataset_version", prepared.version().id());
        Map<String, Double> candidate = new LinkedHashMap<>();
        report.candidate().forEach((k, v) -> {
            if (v != null) {
                candidate.put(k, v);
            }
        });
        evidence.put("candidate_metrics", candidate);
        if (report.champion() != null) {
            Map<String, Double> champion = new LinkedHashMap<>();
            report.champion().forEach((k, v) -> {
                if (v != null) {
                    champion.put(k, v);
                }
            });
            evidence.put("champion_metrics", champion);
        }
        if (tests != null) {
            // the summary only; the whole report is the job's (GET /api/v1/retrain/jobs/{id}, model_tests)
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("passed", tests.passed());
            summary.put("total", tests.total());
            summary.put("failed", tests.failed());
            summary.put("skipped", tests.skipped());
            summary.put("summary", tests.summary());
            evidence.put("model_tests", summary);
        }
        return evidence;
    }

    private static void putIfPresent(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    /** A step's move; {@link Lost} when the job is no longer ours, {@link JobContext.Stop} when it went to cancelled instead. */
    private void move(JobContext job, JobState to, String reason, Consumer<io.flywheel.retrain.RetrainJob> changes, List<JobStore.Event> events) {
        String commit = job.codeCommit();
        Consumer<io.flywheel.retrain.RetrainJob> recorded = commit == null ? changes : j -> {
            j.codeCommit = commit; // the branch's head, once resolved, is the job's commit from then on
            if (changes != null) {
                changes.accept(j);
            }
        };
        JobStore.MoveResult result = await(() -> store.move(new JobStore.Move(job.id, job.owner, job.attempt, job.state(), to, reason,
                recorded, events), job.log.drain()));
        switch (result) {
            case MOVED -> job.state(to);
            case CANCELLED -> {
                job.state(JobState.CANCELLED);
                throw new JobContext.Stop(true);
            }
            case LOST -> {
                job.loseLease();
                throw new Lost();
            }
        }
    }

    /** Ends the attempt in a terminal state, if the job is still ours. */
    private void finish(JobContext job, JobState to, String reason, String error) {
        if (job.state().terminal() || job.leaseLost()) {
            return;
        }
        try {
            move(job, to, reason, j -> {
                if (error != null) {
                    j.error = error;
                }
            }, List.of());
        } catch (Lost ignored) {
            // someone else ended it
        } catch (RuntimeException e) {
            Log.errorf(e, "job %s: could not record %s; the reaper will take it back when its lease runs out", job.id, to.id());
        }
    }

    /** A transient failure that outlasted the call's retries: pending again after a backoff, or failed when attempts are used. */
    private void retryLater(JobContext job, Throwable e) {
        String message = describe(e);
        if (job.attempt >= worker.maxAttempts()) {
            finish(job, JobState.FAILED, "failed while " + job.state().id() + " after " + job.attempt + " attempt(s): " + message, message);
            return;
        }
        var wait = Reaping.backoff(job.attempt, worker.requeueBackoff(), worker.maxRequeueBackoff());
        try {
            move(job, JobState.PENDING, "transient failure while " + job.state().id() + ", trying again in " + wait + ": " + message,
                    j -> j.notBefore = JobStore.now().plus(wait), List.of());
        } catch (Lost ignored) {
            // someone else ended it
        } catch (RuntimeException failure) {
            Log.errorf(failure, "job %s: could not queue it again; the reaper will take it back when its lease runs out", job.id);
        }
    }

    private String write(Object report) {
        try {
            return json.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }

    static <T> T await(java.util.function.Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(work);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** The job is no longer this worker's: stop without touching it. */
    static final class Lost extends RuntimeException {
        Lost() {
            super("lost", null, false, false);
        }
    }

    /** The trainer's own tests failed at the job's commit: nothing is trained. */
    static final class CodeTestsFailed extends RuntimeException {
        CodeTestsFailed(String message) {
            super(message);
        }
    }

    /** The trainer did not produce a model (its exit code and error say why). */
    static final class TrainerFailed extends RuntimeException {
        TrainerFailed(String message) {
            super(message);
        }
    }
}
