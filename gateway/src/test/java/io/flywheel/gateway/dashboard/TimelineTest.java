package io.flywheel.gateway.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The timeline from the services' JSON as their APIs answer it (retrain, registry, deploy). */
class TimelineTest {

    private final ObjectMapper json = new ObjectMapper();

    private JsonNode node(String text) throws Exception {
        return json.readTree(text);
    }

    /** A job as GET /api/v1/retrain/jobs/{id} answers: trained, evaluated with no champion, registered as version 1. */
    private static final String JOB = """
            {"id": "5f0c7a52-1d6e-4c1b-9a8e-2f5d1c9b7a10", "model": "churn", "state": "promotion-requested",
             "reason": "registered as version 1", "created_by": "bootstrap-admin", "created_at": "2026-12-01T10:00:00Z",
             "updated_at": "2026-12-01T10:00:09Z", "finished_at": "2026-12-01T10:00:09Z",
             "data": {"from": "2026-12-01T09:00:00Z", "to": "2026-12-01T10:00:00Z", "dataset": "churn-retrain",
                      "rows": 400, "train_rows": 320, "holdout_rows": 80},
             "champion_version": null, "candidate_version": 1,
             "evaluation": {"metric": "roc_auc", "higher_is_better": true, "margin": 0.0, "holdout_rows": 80,
                            "holdout_fraction": 0.2, "seed": 42, "candidate": {"roc_auc": 0.8123456, "accuracy": 0.75},
                            "champion_version": null, "champion": null, "improvement": null, "decision": "promote",
                            "reason": "no champion: the candidate is promoted"},
             "transitions": [
               {"from": null, "to": "pending", "at": "2026-12-01T10:00:00Z", "reason": "manual trigger"},
               {"from": "pending", "to": "preparing-data", "at": "2026-12-01T10:00:01Z", "reason": "claimed"},
               {"from": "preparing-data", "to": "training", "at": "2026-12-01T10:00:03Z", "reason": "training set churn-retrain: 400 rows"},
               {"from": "training", "to": "evaluating", "at": "2026-12-01T10:00:05Z", "reason": "trained"},
               {"from": "evaluating", "to": "registering", "at": "2026-12-01T10:00:06Z", "reason": "the candidate wins"},
               {"from": "registering", "to": "promotion-requested", "at": "2026-12-01T10:00:09Z", "reason": "registered as version 1"}]}""";

    @Test
    void everySourceMergesIntoOneListOldestFirst() throws Exception {
        Timeline timeline = new Timeline.Builder()
                .triggers(node("""
                        {"items": [{"seq": 2, "model": "churn", "version": 1, "kind": "drift", "actor": "monitor",
                                    "received_at": "2026-12-01T10:30:00Z", "decision": "refused", "rule": "cooldown",
                                    "reason": "the last job ended 30 min ago", "job_id": null},
                                   {"seq": 1, "model": "churn", "version": null, "kind": "manual", "actor": "bootstrap-admin",
                                    "received_at": "2026-12-01T10:00:00Z", "decision": "accepted",
                                    "job_id": "5f0c7a52-1d6e-4c1b-9a8e-2f5d1c9b7a10"}]}""").path("items"))
                .job(node(JOB))
                .versions(node("""
                        [{"version": 2, "status": "ready", "format": "flywheel-linear", "created_by": "bootstrap-admin",
                          "created_at": "2026-12-01T10:10:00Z", "metrics": {"roc_auc": 0.9}},
                         {"version": 1, "status": "ready", "format": "flywheel-linear", "created_by": "retrain",
                          "created_at": "2026-12-01T10:00:07Z", "metrics": {"roc_auc": 0.81},
                          "lineage": {"retrain_job": "5f0c7a52-1d6e-4c1b-9a8e-2f5d1c9b7a10"}}]"""))
                .deployHistory("staging", node("""
                        [{"id": 5, "at": "2026-12-01T10:20:00Z", "action": "rolled-back", "version": 1, "actor": "monitor",
                          "reason": "the monitor reported version 2 degraded", "summary": "rolled back to version 1",
                          "evidence": {"trigger": "io.flywheel.monitor.quality.degraded.v1",
                                       "before": [{"version": 2, "traffic_percent": 100, "role": "primary"}]}},
                         {"id": 4, "at": "2026-12-01T10:15:00Z", "action": "canary-completed", "version": 2, "actor": "deploy",
                          "reason": "canary policy", "summary": "canary of version 2 completed",
                          "evidence": {"step": 1, "percent": 50, "held_seconds": 300.25, "min_hold_seconds": 300.0,
                                       "samples": 120, "min_samples": 100}},
                         {"id": 3, "at": "2026-12-01T10:12:00Z", "action": "canary-started", "version": 2, "actor": "bootstrap-admin",
                          "reason": "better", "summary": "canary of version 2 started at 10% of traffic"},
                         {"id": 2, "at": "2026-12-01T10:11:00Z", "action": "gate-failed", "version": 2, "actor": "bootstrap-admin",
                          "reason": "try", "summary": "promotion of version 2 rejected: metrics",
                          "evidence": {"checks": [{"gate": "finalised", "status": "passed"},
                                                  {"gate": "metrics", "status": "failed", "detail": "roc_auc below",
                                                   "evidence": {"champion_version": 1, "basis": "registered metrics",
                                                                "roc_auc": {"candidate": 0.5, "champion": 0.81, "required": 0.81,
                                                                            "higher_is_better": true}}}],
                                       "source": "api"}},
                         {"id": 1, "at": "2026-12-01T10:00:12Z", "action": "promoted", "version": 1, "actor": "retrain",
                          "reason": "candidate beat the champion", "summary": "version 1 serves all traffic"}]"""))
                .aliasMoves("challenger", node("""
                        [{"from_version": null, "to_version": 2, "moved_at": "2026-12-01T10:10:30Z", "moved_by": "bootstrap-admin",
                          "reason": "worth a canary"}]"""))
                .build();

        assertThat(timeline.entries()).extracting(Timeline.Entry::kind, Timeline.Entry::version).containsExactly(
                tuple("trigger", null),           // 10:00:00, the same instant as the job's creation, added first
                tuple("job", null),               // created
                tuple("job", null),               // preparing-data
                tuple("job", null),               // training
                tuple("job", null),               // evaluating
                tuple("job", null),               // registering
                tuple("test", 1),                 // the evaluation, when the job left evaluating
                tuple("version", 1),
                tuple("job", 1),                  // promotion-requested, with its candidate
                tuple("promotion", 1),
                tuple("version", 2),
                tuple("alias", 2),
                tuple("gate", 2),
                tuple("canary step", 2),
                tuple("canary step", 2),
                tuple("rollback", 1),
                tuple("trigger", 1));
        List<Instant> times = timeline.entries().stream().map(Timeline.Entry::at).toList();
        assertThat(times).isSorted();
    }

    @Test
    void eachEntrySaysWhatHappenedInOneLineWithItsNumbers() throws Exception {
        Timeline timeline = new Timeline.Builder()
                .job(node(JOB))
                .deployHistory("production", node("""
                        [{"id": 9, "at": "2026-12-01T11:00:00Z", "action": "canary-advanced", "version": 3, "actor": "deploy",
                          "reason": "canary policy", "summary": "canary of version 3 advanced from 10% to 50%",
                          "evidence": {"step": 0, "percent": 10, "held_seconds": 301.5, "samples": 140}},
                         {"id": 8, "at": "2026-12-01T10:59:00Z", "action": "gate-failed", "version": 3, "actor": "alice",
                          "reason": "", "summary": "promotion of version 3 rejected: metrics",
                          "evidence": {"checks": [{"gate": "metrics", "status": "failed",
                                                   "evidence": {"champion_version": 2, "roc_auc": {"candidate": 0.5, "champion": 0.81}}}]}}]"""))
                .aliasMoves("champion", node("""
                        [{"from_version": 2, "to_version": null, "moved_at": "2026-12-01T12:00:00Z", "moved_by": "alice", "reason": "retired"},
                         {"from_version": 1, "to_version": 2, "moved_at": "2026-12-01T11:30:00Z", "moved_by": "deploy", "reason": null}]"""))
                .build();

        assertThat(timeline.entries()).extracting(Timeline.Entry::summary).contains(
                "job 5f0c7a52: created, pending: manual trigger",
                "job 5f0c7a52: preparing-data → training: training set churn-retrain: 400 rows",
                "evaluation of job 5f0c7a52 with no champion to beat: promote — no champion: the candidate is promoted",
                "production: promotion of version 3 rejected: metrics",
                "production: canary of version 3 advanced from 10% to 50% — canary policy",
                "champion moved from v1 to v2",
                "champion removed (was v2): retired");

        Timeline.Entry training = timeline.entries().get(2);
        assertThat(training.figures()).containsExactly(new Timeline.Figure("rows", "400"), new Timeline.Figure("train_rows", "320"),
                new Timeline.Figure("holdout_rows", "80"));
        assertThat(training.actor()).isEqualTo("retrain");
        assertThat(timeline.entries().getFirst().actor()).isEqualTo("bootstrap-admin");

        Timeline.Entry evaluation = only(timeline, "test");
        assertThat(evaluation.figures()).containsExactly(new Timeline.Figure("candidate.roc_auc", "0.8123"),
                new Timeline.Figure("margin", "0"), new Timeline.Figure("holdout_rows", "80"));

        // a gate's numbers are named by the gate; a canary step's are its own
        assertThat(only(timeline, "gate").figures()).containsExactly(new Timeline.Figure("metrics.champion_version", "2"),
                new Timeline.Figure("metrics.roc_auc.candidate", "0.5"), new Timeline.Figure("metrics.roc_auc.champion", "0.81"));
        assertThat(only(timeline, "canary step").figures()).containsExactly(new Timeline.Figure("step", "0"),
                new Timeline.Figure("percent", "10"), new Timeline.Figure("held_seconds", "301.5"), new Timeline.Figure("samples", "140"));
    }

    @Test
    void actionsAndEvidenceDeployAddsLaterShowUnderTheirOwnNames() throws Exception {
        Timeline timeline = new Timeline.Builder()
                .deployHistory("production", node("""
                        [{"id": 1, "at": "2026-12-01T11:00:00Z", "action": "canary-held", "version": 3, "actor": "policy",
                          "summary": "the judge holds the canary", "reason": "policy",
                          "evidence": {"judge": {"score": 0.42, "threshold": 0.5, "verdict": "hold"}, "percent": 10}}]"""))
                .build();

        Timeline.Entry entry = timeline.entries().getFirst();
        assertThat(entry.kind()).isEqualTo("canary-held");
        assertThat(entry.kindClass()).isEqualTo("canary-held");
        assertThat(entry.actor()).isEqualTo("policy");
        assertThat(entry.figures()).containsExactly(new Timeline.Figure("judge.score", "0.42"),
                new Timeline.Figure("judge.threshold", "0.5"), new Timeline.Figure("percent", "10"));
        assertThat(Timeline.kindOf("rolled-back")).isEqualTo("rollback");
        assertThat(new Timeline.Entry(entry.at(), Timeline.CANARY_STEP, 3, "deploy", "", List.of(), 0).kindClass()).isEqualTo("canary-step");
    }

    @Test
    void aJobWithoutItsDetailShowsItsStateAndModelTestsShowWhenPresent() throws Exception {
        Timeline timeline = new Timeline.Builder()
                .job(node("""
                        {"id": "0a1b2c3d-0000-0000-0000-000000000000", "state": "failed", "reason": "no training rows",
                         "created_by": "retrain", "created_at": "2026-12-01T09:00:00Z", "evaluation": null}"""))
                .job(node("""
                        {"id": "9f8e7d6c-0000-0000-0000-000000000000", "state": "rejected", "candidate_version": 4,
                         "created_at": "2026-12-01T10:00:00Z", "updated_at": "2026-12-01T10:05:00Z",
                         "model_tests": {"status": "failed", "at": "2026-12-01T10:04:00Z",
                                         "tests": [{"name": "invariance", "passed": false, "failure_rate": 0.12},
                                                   {"name": "minimum-functionality", "passed": true, "failure_rate": 0.0}]}}"""))
                .build();

        assertThat(timeline.entries()).extracting(Timeline.Entry::kind, Timeline.Entry::version, Timeline.Entry::summary).containsExactly(
                tuple("job", null, "job 0a1b2c3d: failed: no training rows"),
                tuple("job", null, "job 9f8e7d6c: rejected"),
                tuple("test", 4, "model tests of job 9f8e7d6c: failed"));
        assertThat(timeline.entries().getLast().figures()).containsExactly(new Timeline.Figure("tests.invariance.failure_rate", "0.12"),
                new Timeline.Figure("tests.minimum-functionality.failure_rate", "0"));
    }

    @Test
    void manyNumbersAreCountedLongLinesCutAndTimelessLinesLeftOut() throws Exception {
        StringBuilder monitor = new StringBuilder("{");
        for (int i = 0; i < 20; i++) {
            monitor.append(i == 0 ? "" : ",").append("\"f").append(i).append("\": ").append(i);
        }
        monitor.append('}');
        Timeline timeline = new Timeline.Builder()
                .deployHistory("production", node("[{\"at\": \"2026-12-01T10:00:00Z\", \"action\": \"rolled-back\", \"summary\": \""
                        + "x".repeat(400) + "\", \"evidence\": {\"monitor\": " + monitor + "}},"
                        + " {\"at\": null, \"action\": \"promoted\"}, {\"at\": \"yesterday\", \"action\": \"promoted\"}]"))
                .triggers(null)
                .build();

        assertThat(timeline.entries()).hasSize(1);
        Timeline.Entry entry = timeline.entries().getFirst();
        assertThat(entry.figures()).hasSize(Timeline.MAX_FIGURES).first().isEqualTo(new Timeline.Figure("monitor.f0", "0"));
        assertThat(entry.hidden()).isEqualTo(20 - Timeline.MAX_FIGURES);
        assertThat(entry.summary()).startsWith("production: xxx").endsWith("…").hasSize(301);
        assertThat(entry.time()).isEqualTo("2026-12-01 10:00:00");
        assertThat(new Timeline.Builder().build().isEmpty()).isTrue();
    }

    private static Timeline.Entry only(Timeline timeline, String kind) {
        List<Timeline.Entry> found = timeline.entries().stream().filter(e -> e.kind().equals(kind)).toList();
        assertThat(found).hasSize(1);
        return found.getFirst();
    }
}
