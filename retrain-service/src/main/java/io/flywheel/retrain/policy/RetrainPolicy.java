package io.flywheel.retrain.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.events.Names;
import io.flywheel.linear.Evaluation;
import io.flywheel.linear.Task;
import io.flywheel.linear.TrainingParams;
import io.flywheel.retrain.InvalidRequestException;
import io.flywheel.retrain.code.CodeRepositories;
import io.flywheel.retrain.modeltest.ModelTests;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How one model is retrained: which signals may start a job and the guardrails that keep them from
 * becoming a storm, where the data comes from, which trainer runs where with which parameters, and
 * how the candidate must compare with the champion, and the model tests it must pass. The body of {@code PUT /api/v1/retrain/policies/{model}}:
 * every field may be left out for its default ({@link #normalise}).
 *
 * @param enabled       false refuses every trigger (default true)
 * @param triggers      the kinds that may start a job (default all: drift, quality, schedule, manual)
 * @param schedule      a cron expression (Quartz: seconds first, e.g. {@code 0 0 3 * * ?}) for a scheduled retraining, or null
 * @param cooldown      after a job (its end, or its start while it runs), how long new triggers are refused (default PT1H)
 * @param minNewRows    labelled rows that must have arrived since the last job's data cut-off (default 0)
 * @param maxConcurrent jobs of this model that may be pending or running at once (default 1)
 * @param dailyBudget   jobs this model may start per UTC day (default 6)
 * @param modelTests    tests the candidate must pass before it is registered and promoted, or null for none
 */
public record RetrainPolicy(
        Boolean enabled,
        List<TriggerKind> triggers,
        String schedule,
        Duration cooldown,
        Long minNewRows,
        Integer maxConcurrent,
        Integer dailyBudget,
        Data data,
        Trainer trainer,
        EvaluationRule evaluation,
        Promotion promotion,
        ModelTests modelTests) {

    public static final String LINEAR_TRAINER = "flywheel-linear";
    public static final String IN_PROCESS = "in-process";
    public static final String LOCAL_PROCESS = "local-process";
    /** Offered only when configured (retrain.runner.kubernetes.enabled). */
    public static final String KUBERNETES = "kubernetes";

    static final Duration DEFAULT_COOLDOWN = Duration.ofHours(1);
    static final int DEFAULT_MAX_CONCURRENT = 1;
    static final int DEFAULT_DAILY_BUDGET = 6;
    static final Duration DEFAULT_WINDOW = Duration.ofDays(30);
    static final Duration MAX_WINDOW = Duration.ofDays(400);
    static final String DEFAULT_ENVIRONMENT = "staging";
    static final String DEFAULT_BRANCH = "main";
    /** A trainer with {@code trainer.code} is named like a framework, which its name stands in for. */
    static final String CODE_TRAINER_NAME = "[A-Za-z0-9._+-]{1,64}";

    private static final Set<String> CLASSIFICATION_METRICS = Set.of("accuracy", "precision", "recall", "f1", "roc_auc", "log_loss");
    private static final Set<String> REGRESSION_METRICS = Set.of("mae", "rmse", "mape", "r2");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Where the training set comes from.
     *
     * @param window      labelled rows of this long before the job was created (default P30D, at most P400D)
     * @param dataset     the registry dataset the training sets are registered under (default {@code <model>-retrain})
     * @param baseDataset a registered dataset whose rows are always included, or null
     */
    public record Data(Duration window, String dataset, BaseDataset baseDataset) {
    }

    /** A registered dataset: {@code id} a version (its SHA-256), or null for the newest version. */
    public record BaseDataset(String name, String id) {
    }

    /**
     * @param name   {@code flywheel-linear} (the reference trainer) or a trainer configured under
     *               {@code retrain.trainers.<name>.command}; with {@code code}, only a label (default: the repository's name)
     * @param runner {@code in-process} (the reference trainer only), {@code local-process}, or {@code kubernetes} (a Job
     *               running the trainer's configured image; offered when configured)
     * @param params the trainer's parameters, passed as they are; {@code task} and {@code target} are required
     * @param code   the trainer's code in a git repository, checked out at the job's commit and run from there; or null
     */
    public record Trainer(String name, String runner, Map<String, Object> params, Code code) {
        public Trainer(String name, String runner, Map<String, Object> params) {
            this(name, runner, params, null);
        }
    }

    /**
     * A trainer whose code lives in a git repository: each job clones it, checks out one commit (the
     * pushed one for a {@code code} trigger, the branch's head for any other), runs {@code testCommand}
     * there and then {@code command} with the trainer contract's arguments appended.
     *
     * @param repository  a local path, a {@code file://} URL, or an {@code https://}, {@code ssh://} or {@code git@host:path} address
     * @param branch      the branch whose pushes start a job, and whose head other triggers train (default main)
     * @param command     the trainer, run from the checkout (e.g. {@code ["python3", "train.py"]})
     * @param testCommand the trainer's own tests, run from the checkout before training; null for none
     */
    public record Code(String repository, String branch, List<String> command, List<String> testCommand) {
    }

    /**
     * @param metric           compared on the holdout (default roc_auc for classification, rmse for regression)
     * @param margin           by how much the candidate must beat the champion on it (default 0: strictly better)
     * @param registerRejected whether a candidate that loses is still registered, tagged rejected (default true)
     */
    public record EvaluationRule(String metric, Double margin, Boolean registerRejected) {
    }

    /** @param environment where deploy is asked to promote a winning candidate (default staging) */
    public record Promotion(String environment) {
    }

    /** What retrain itself needs from the trainer's parameters, whichever trainer it is. */
    public record TrainerTarget(String task, String target, double holdoutFraction, long seed) {
        public boolean classification() {
            return "binary-classification".equals(task);
        }
    }

    /**
     * The policy with every default filled in, or InvalidRequestException listing every problem.
     *
     * @param trainers the trainer names this service knows (the reference trainer and the configured ones)
     */
    public RetrainPolicy normalise(String model, Set<String> trainers) {
        return normalise(model, trainers, Set.of(IN_PROCESS, LOCAL_PROCESS));
    }

    /** @param runners the runners this service offers (kubernetes only when configured) */
    public RetrainPolicy normalise(String model, Set<String> trainers, Set<String> runners) {
        List<String> problems = new ArrayList<>();
        Duration cooldownValue = cooldown == null ? DEFAULT_COOLDOWN : cooldown;
        check(problems, !cooldownValue.isNegative(), "cooldown must not be negative");
        long minRows = minNewRows == null ? 0 : minNewRows;
        check(problems, minRows >= 0, "min_new_rows must be 0 or more");
        int concurrent = maxConcurrent == null ? DEFAULT_MAX_CONCURRENT : maxConcurrent;
        check(problems, concurrent >= 1 && concurrent <= 100, "max_concurrent must be between 1 and 100");
        int budget = dailyBudget == null ? DEFAULT_DAILY_BUDGET : dailyBudget;
        check(problems, budget >= 1 && budget <= 1000, "daily_budget must be between 1 and 1000");
        List<TriggerKind> kinds = triggers == null ? Arrays.asList(TriggerKind.values()) : List.copyOf(triggers);
        check(problems, triggers == null || !triggers.isEmpty(), "triggers must name at least one of drift, quality, schedule, manual, code (or be left out for all)");
        if (schedule != null) {
            try {
                Schedules.validate(schedule);
            } catch (IllegalArgumentException e) {
                problems.add("schedule: " + e.getMessage());
            }
        }

        Data d = data == null ? new Data(null, null, null) : data;
        Duration windowValue = d.window() == null ? DEFAULT_WINDOW : d.window();
        check(problems, windowValue.compareTo(Duration.ofMinutes(1)) >= 0 && windowValue.compareTo(MAX_WINDOW) <= 0,
                "data.window must be between PT1M and P400D");
        String datasetName = d.dataset() == null ? defaultDataset(model) : d.dataset();
        check(problems, datasetName.matches(Names.PATTERN), "data.dataset must match " + Names.PATTERN);
        BaseDataset base = d.baseDataset();
        if (base != null) {
            check(problems, base.name() != null && base.name().matches(Names.PATTERN), "data.base_dataset.name must match " + Names.PATTERN);
            check(problems, base.id() == null || base.id().matches("[0-9a-f]{64}"),
                    "data.base_dataset.id must be a dataset version id (64 lower-case hex digits), or left out for the newest");
        }

        Trainer t = trainer == null ? new Trainer(null, null, null) : trainer;
        Code code = t.code() == null ? null : normaliseCode(t.code(), problems);
        String trainerName;
        String runnerName;
        if (t.code() != null) {
            trainerName = t.name() == null ? CodeRepositories.defaultName(t.code().repository()) : t.name();
            check(problems, trainerName.matches(CODE_TRAINER_NAME), "trainer.name must match " + CODE_TRAINER_NAME
                    + " (with trainer.code it only names the trainer: the version's framework when its metrics.json names none)");
            runnerName = t.runner() == null ? LOCAL_PROCESS : t.runner();
            check(problems, LOCAL_PROCESS.equals(runnerName), "trainer.runner must be local-process with trainer.code (its command runs as a process)");
        } else {
            trainerName = t.name() == null ? LINEAR_TRAINER : t.name();
            runnerName = t.runner() == null ? (LINEAR_TRAINER.equals(trainerName) ? IN_PROCESS : LOCAL_PROCESS) : t.runner();
            check(problems, trainers.contains(trainerName), "trainer.name must be one of " + String.join(", ", trainers.stream().sorted().toList()));
            List<String> offered = runners.stream().sorted().toList();
            check(problems, runners.contains(runnerName), "trainer.runner must be "
                    + String.join(", ", offered.subList(0, offered.size() - 1)) + " or " + offered.getLast()
                    + (runners.contains(KUBERNETES) ? "" : " (kubernetes is offered only when retrain.runner.kubernetes.enabled is set)"));
            check(problems, !IN_PROCESS.equals(runnerName) || LINEAR_TRAINER.equals(trainerName),
                    "trainer.runner in-process runs the reference trainer only; run '" + trainerName + "' as local-process");
        }
        Map<String, Object> params = t.params() == null ? Map.of() : new LinkedHashMap<>(t.params());
        TrainerTarget target = null;
        if (t.params() == null) {
            problems.add("trainer.params is required: at least {\"task\": \"binary-classification\" or \"regression\", \"target\": \"<label column>\"}");
        } else {
            try {
                target = target(params);
                if (LINEAR_TRAINER.equals(trainerName) && code == null) {
                    TrainingParams.fromJson(JSON.writeValueAsString(params));
                }
            } catch (IllegalArgumentException e) {
                problems.add("trainer.params: " + e.getMessage());
            } catch (JsonProcessingException e) {
                problems.add("trainer.params are not representable as JSON");
            }
        }

        EvaluationRule e = evaluation == null ? new EvaluationRule(null, null, null) : evaluation;
        String metric = e.metric();
        if (target != null) {
            Set<String> allowed = target.classification() ? CLASSIFICATION_METRICS : REGRESSION_METRICS;
            if (metric == null) {
                metric = target.classification() ? "roc_auc" : "rmse";
            }
            check(problems, allowed.contains(metric), "evaluation.metric must be one of "
                    + String.join(", ", allowed.stream().sorted().toList()) + " for " + target.task());
        }
        double margin = e.margin() == null ? 0.0 : e.margin();
        check(problems, Double.isFinite(margin) && margin >= 0, "evaluation.margin must be a number >= 0");
        boolean registerRejected = e.registerRejected() == null || e.registerRejected();

        String environment = promotion == null || promotion.environment() == null ? DEFAULT_ENVIRONMENT : promotion.environment();
        check(problems, environment.matches(Names.PATTERN), "promotion.environment must match " + Names.PATTERN);

        ModelTests tests = null;
        if (modelTests != null) {
            Task task = target == null ? null : Task.of(target.task());
            Set<String> metrics = target == null ? Set.of() : target.classification() ? CLASSIFICATION_METRICS : REGRESSION_METRICS;
            tests = modelTests.normalise(task, metrics, metric, problems);
        }

        if (!problems.isEmpty()) {
            throw new InvalidRequestException("the retrain policy is invalid: " + String.join("; ", problems));
        }
        return new RetrainPolicy(enabled == null || enabled, kinds, schedule, cooldownValue, minRows, concurrent, budget,
                new Data(windowValue, datasetName, base), new Trainer(trainerName, runnerName, params, code),
                new EvaluationRule(metric, margin, registerRejected), new Promotion(environment), tests);
    }

    /** The {@code trainer.code} block with its defaults, its problems added to {@code problems}. */
    private static Code normaliseCode(Code code, List<String> problems) {
        String repository = code.repository() == null ? null : code.repository().strip();
        if (repository == null || repository.isEmpty()) {
            problems.add("trainer.code.repository is required: a local path, a file:// URL or a git URL of the trainer's repository");
        } else {
            String problem = CodeRepositories.problem(repository);
            if (problem != null) {
                problems.add("trainer.code.repository " + problem);
            }
        }
        String branch = code.branch() == null ? DEFAULT_BRANCH : code.branch().strip();
        check(problems, CodeRepositories.validBranch(branch), "trainer.code.branch must be a branch name (e.g. main), not '" + branch + "'");
        checkCommand(problems, "trainer.code.command", code.command(), true);
        checkCommand(problems, "trainer.code.test_command", code.testCommand(), false);
        return new Code(repository, branch, code.command() == null ? null : List.copyOf(code.command()),
                code.testCommand() == null ? null : List.copyOf(code.testCommand()));
    }

    private static void checkCommand(List<String> problems, String field, List<String> command, boolean required) {
        if (command == null) {
            check(problems, !required, field + " is required: the program and its arguments, run from the checkout, e.g. [\"python3\", \"train.py\"]");
            return;
        }
        check(problems, !command.isEmpty() && command.size() <= 64, field + " must have 1 to 64 elements (the program, then its arguments)");
        check(problems, command.stream().allMatch(a -> a != null && a.length() <= 4096 && a.indexOf('\0') < 0),
                field + " must hold strings (no null, no NUL, at most 4096 characters each)");
        check(problems, command.isEmpty() || (command.getFirst() != null && !command.getFirst().isBlank()), field + "[0] must name a program");
    }

    /** Whether this kind of trigger may start a job (of a normalised policy). */
    public boolean allows(TriggerKind kind) {
        return triggers == null || triggers.contains(kind);
    }

    /** Task, target, holdout fraction and seed from the trainer's parameters (of a normalised policy). */
    public TrainerTarget target() {
        return target(trainer.params());
    }

    /** The trainer's parameters as the JSON the trainer receives. */
    public String paramsJson() {
        try {
            return JSON.writeValueAsString(trainer.params());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String defaultDataset(String model) {
        String name = model + "-retrain";
        return name.length() > 128 ? name.substring(0, 128) : name;
    }

    static TrainerTarget target(Map<String, Object> params) {
        Object task = params.get("task");
        if (!(task instanceof String taskId) || !(taskId.equals("binary-classification") || taskId.equals("regression"))) {
            throw new IllegalArgumentException("task is required: binary-classification or regression");
        }
        Object target = params.get("target");
        if (!(target instanceof String column) || column.isBlank()) {
            throw new IllegalArgumentException("target is required (the column the label goes into)");
        }
        double holdout = TrainingParams.DEFAULT_HOLDOUT_FRACTION;
        if (params.get("holdout_fraction") != null) {
            if (!(params.get("holdout_fraction") instanceof Number n)) {
                throw new IllegalArgumentException("holdout_fraction must be a number");
            }
            holdout = n.doubleValue();
        }
        if (!(holdout > 0 && holdout < 1)) {
            throw new IllegalArgumentException("holdout_fraction must be > 0 and < 1: the candidate and the champion are compared on the holdout");
        }
        long seed = TrainingParams.DEFAULT_SEED;
        if (params.get("seed") != null) {
            if (!(params.get("seed") instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
                throw new IllegalArgumentException("seed must be a whole number");
            }
            seed = n.longValue();
        }
        return new TrainerTarget(taskId, column, holdout, seed);
    }

    /** Whether a larger value of the evaluation metric is better. */
    public boolean higherIsBetter() {
        return Evaluation.higherIsBetter(evaluation.metric());
    }

    private static void check(List<String> problems, boolean ok, String problem) {
        if (!ok) {
            problems.add(problem);
        }
    }
}
