package io.flywheel.retrain.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.retrain.JobLogLine;
import io.flywheel.retrain.JobTransition;
import io.flywheel.retrain.RetrainJob;
import io.flywheel.retrain.Trigger;
import io.flywheel.retrain.evaluation.EvaluationReport;
import io.flywheel.retrain.modeltest.ModelTestReport;

import java.time.Instant;
import java.util.List;

/**
 * A retrain job as the API shows it. Lists leave out {@code transitions} and {@code log}; the single
 * job ({@code GET /api/v1/retrain/jobs/{id}}) has both.
 */
public record JobView(String id, String model, String state, String reason, String error, TriggerView trigger, String trainer,
                      String runner, int attempt, String createdBy, Instant createdAt, Instant updatedAt, Instant stateEnteredAt,
                      Instant startedAt, Instant finishedAt, Cancel cancel, Lease lease, Data data, Integer championVersion,
                      Integer candidateVersion, EvaluationReport evaluation, ModelTestReport modelTests, Code code,
                      @JsonInclude(JsonInclude.Include.NON_NULL) List<Transition> transitions,
                      @JsonInclude(JsonInclude.Include.NON_NULL) List<LogLine> log) {

    public record Cancel(Instant requestedAt, String requestedBy) {
    }

    /** Who runs it now (while running). */
    public record Lease(String owner, Instant expiresAt, Instant heartbeatAt) {
    }

    /** The training set: its labelled range, the registered dataset version and the split. */
    public record Data(Instant from, Instant to, String dataset, String datasetVersion, String baseDataset,
                       String baseDatasetVersion, Integer rows, Integer trainRows, Integer holdoutRows) {
    }

    /** The trainer's code in git: repository, branch, and the commit trained (null until the job resolved the branch's head). */
    public record Code(String repository, String branch, String commit) {
    }

    public record Transition(String from, String to, Instant at, String reason) {
    }

    public record LogLine(Instant at, String level, String message) {
    }

    static JobView summary(RetrainJob job, ObjectMapper json) {
        return of(job, null, null, null, json);
    }

    static JobView of(RetrainJob j, Trigger trigger, List<JobTransition> transitions, List<JobLogLine> log, ObjectMapper json) {
        EvaluationReport evaluation = read(j.evaluation, EvaluationReport.class, json);
        ModelTestReport modelTests = read(j.modelTests, ModelTestReport.class, json);
        return new JobView(j.id.toString(), j.model, j.state.id(), j.reason, j.error, trigger == null ? null : TriggerView.of(trigger),
                j.trainer, j.runner, j.attempt, j.createdBy, j.createdAt, j.updatedAt, j.stateEnteredAt, j.startedAt, j.finishedAt,
                j.cancelRequestedAt == null ? null : new Cancel(j.cancelRequestedAt, j.cancelRequestedBy),
                j.leaseOwner == null ? null : new Lease(j.leaseOwner, j.leaseExpiresAt, j.heartbeatAt),
                new Data(j.dataFrom, j.dataTo, j.datasetName, j.datasetVersion, j.baseDataset, j.baseDatasetVersion, j.rows,
                        j.trainRows, j.holdoutRows),
                j.championVersion, j.candidateVersion, evaluation, modelTests,
                j.codeRepository == null ? null : new Code(j.codeRepository, j.codeBranch, j.codeCommit),
                transitions == null ? null : transitions.stream().map(t -> new Transition(t.fromState, t.toState, t.at, t.reason)).toList(),
                log == null ? null : log.stream().map(l -> new LogLine(l.at, l.level, l.message)).toList());
    }

    /** A report stored as JSON, or null when there is none (or it no longer parses). */
    private static <T> T read(String stored, Class<T> type, ObjectMapper json) {
        if (stored == null) {
            return null;
        }
        try {
            return json.readValue(stored, type);
        } catch (Exception e) {
            return null;
        }
    }
}
