package io.flywheel.retrain.rest;

import io.flywheel.retrain.modeltest.ModelTests;
import io.flywheel.retrain.policy.PolicyService;
import io.flywheel.retrain.policy.RetrainPolicy;
import io.flywheel.retrain.policy.TriggerKind;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A stored policy: every field with its default filled in, and its bookkeeping. */
public record PolicyView(String model, boolean enabled, List<TriggerKind> triggers, String schedule, Duration cooldown,
                         long minNewRows, int maxConcurrent, int dailyBudget, RetrainPolicy.Data data, RetrainPolicy.Trainer trainer,
                         RetrainPolicy.EvaluationRule evaluation, RetrainPolicy.Promotion promotion, ModelTests modelTests, long revision,
                         Instant nextScheduledAt, Instant createdAt, Instant updatedAt, String updatedBy) {
    static PolicyView of(PolicyService.Stored s) {
        RetrainPolicy p = s.policy();
        return new PolicyView(s.model(), p.enabled(), p.triggers(), p.schedule(), p.cooldown(), p.minNewRows(), p.maxConcurrent(),
                p.dailyBudget(), p.data(), p.trainer(), p.evaluation(), p.promotion(), p.modelTests(), s.revision(), s.nextScheduledAt(),
                s.createdAt(), s.updatedAt(), s.updatedBy());
    }
}
