package io.flywheel.retrain.trigger;

import io.flywheel.retrain.InvalidRequestException;
import io.flywheel.retrain.PolicyRecord;
import io.flywheel.retrain.code.CodeRepositories;
import io.flywheel.retrain.code.Push;
import io.flywheel.retrain.policy.PolicyService;
import io.flywheel.retrain.policy.RetrainPolicy;
import io.flywheel.retrain.policy.TriggerKind;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Pushes to trainers' code as triggers: a push starts a {@code code} trigger for every model whose
 * policy's {@code trainer.code} names the pushed repository and branch, each through
 * {@link TriggerService} (the guardrails, the record, the job at the pushed commit).
 */
@ApplicationScoped
public class CodePushes {

    /** What came of a push: {@code accepted} (at least one job started), {@code refused} (every matching model's policy refused it) or {@code ignored}. */
    public record Outcome(String status, String reason, String repository, String branch, String commit, List<Started> jobs,
                          List<Refused> refused) {
        static Outcome ignored(Push push, String reason) {
            return new Outcome("ignored", reason, push.repositories().isEmpty() ? null : push.repositories().getFirst(), push.branch(),
                    push.commit(), List.of(), List.of());
        }
    }

    public record Started(String model, UUID jobId, long triggerSeq) {
    }

    public record Refused(String model, long triggerSeq, String rule, String reason) {
    }

    /** A model whose policy names a repository, and that policy's code block. */
    private record Candidate(String model, RetrainPolicy.Code code) {
    }

    private final TriggerService triggers;
    private final PolicyService policies;

    public CodePushes(TriggerService triggers, PolicyService policies) {
        this.triggers = triggers;
        this.policies = policies;
    }

    /** A push a webhook reported (its signature already checked). */
    public Uni<Outcome> pushed(Push push) {
        String unusable = push.unusable();
        if (unusable != null) {
            return Uni.createFrom().item(Outcome.ignored(push, unusable + ": only a push of a commit to a branch starts a retraining"));
        }
        return candidates(push).chain(named -> {
            if (named.isEmpty()) {
                return Uni.createFrom().item(Outcome.ignored(push, "no retrain policy's trainer.code names this repository ("
                        + String.join(", ", push.repositories()) + ")"));
            }
            List<Candidate> matching = named.stream().filter(c -> c.code().branch().equals(push.branch())).toList();
            if (matching.isEmpty()) {
                return Uni.createFrom().item(Outcome.ignored(push, "a push to branch '" + push.branch() + "'; the policies naming this repository train from "
                        + String.join(", ", named.stream().map(c -> "'" + c.code().branch() + "' (" + c.model() + ")").toList())));
            }
            String actor = push.source() + (push.pusher() == null ? "" : ":" + push.pusher());
            String detail = push.source() + " push of " + push.commit() + " to " + push.ref() + " of " + push.repositories().getFirst()
                    + (push.delivery() == null ? "" : " (delivery " + push.delivery() + ")");
            return Multi.createFrom().iterable(matching)
                    .onItem().transformToUniAndConcatenate(c -> triggers.submit(new TriggerService.Submission(c.model(), TriggerKind.CODE, null,
                            push.source() + ":" + (push.delivery() == null ? push.commit() : push.delivery()) + ":" + c.model(),
                            "code:" + push.commit(), false, actor, detail, false, new TriggerService.CodeAt(push.branch(), push.commit()))))
                    .collect().asList()
                    .map(outcomes -> {
                        List<Started> started = new ArrayList<>();
                        List<Refused> refused = new ArrayList<>();
                        for (TriggerService.Outcome o : outcomes) {
                            if (o.accepted()) {
                                started.add(new Started(o.trigger().model, o.job().id, o.trigger().seq));
                            } else {
                                refused.add(new Refused(o.trigger().model, o.trigger().seq, o.trigger().rule, o.trigger().reason));
                            }
                        }
                        String status = started.isEmpty() ? "refused" : "accepted";
                        String reason = started.size() + " job(s) started at " + push.commit() + (refused.isEmpty() ? ""
                                : "; " + refused.size() + " model(s) refused it (" + String.join("; ", refused.stream()
                                .map(r -> r.model() + ": " + r.reason()).toList()) + ")");
                        Log.infof("%s push of %s to %s: %s", push.source(), push.commit(), push.branch(), reason);
                        return new Outcome(status, reason, push.repositories().getFirst(), push.branch(), push.commit(), started, refused);
                    });
        });
    }

    /**
     * A push reported by hand (or by a CI pipeline) for one model: a {@code code} trigger at
     * {@code commit}. The model's policy must have {@code trainer.code}; {@code repository}, when
     * given, must be the one it names. {@code branch} defaults to the policy's.
     */
    public Uni<TriggerService.Outcome> reported(String model, String repository, String branch, String commit, String actor,
                                                String idempotencyKey) {
        return Panache.withSession(() -> Panache.getSession().chain(s -> s.find(PolicyRecord.class, model))).chain(row -> {
            RetrainPolicy.Code code = row == null ? null : policies.parse(row.document).trainer().code();
            if (row != null && code == null) {
                return Uni.createFrom().failure(new InvalidRequestException("the retrain policy of model '" + model
                        + "' has no trainer.code: a code push needs the trainer's repository in the policy"));
            }
            if (code != null && repository != null && !CodeRepositories.sameRepository(code.repository(), List.of(repository))) {
                return Uni.createFrom().failure(new InvalidRequestException("repository " + repository + " is not the one the policy of model '"
                        + model + "' trains from (" + code.repository() + ")"));
            }
            if (branch != null && !CodeRepositories.validBranch(branch)) {
                return Uni.createFrom().failure(new InvalidRequestException("branch must be a branch name (e.g. main), not '" + branch + "'"));
            }
            String onBranch = branch != null ? branch : code == null ? null : code.branch();
            boolean keyed = idempotencyKey != null && !idempotencyKey.isBlank();
            String eventId = "code:" + (keyed ? model + ":" + idempotencyKey.strip() : UUID.randomUUID());
            String lower = commit.toLowerCase(Locale.ROOT);
            return triggers.submit(new TriggerService.Submission(model, TriggerKind.CODE, null, eventId, null, false, actor,
                    "push of " + lower + (onBranch == null ? "" : " to " + onBranch) + " reported by " + actor, keyed,
                    new TriggerService.CodeAt(onBranch, lower)));
        });
    }

    /** Every model whose policy's trainer.code names one of the push's repository addresses. */
    private Uni<List<Candidate>> candidates(Push push) {
        return Panache.withSession(() -> Panache.getSession().chain(s -> s.createQuery("from PolicyRecord p order by p.model", PolicyRecord.class)
                .getResultList()))
                .map(rows -> {
                    List<Candidate> out = new ArrayList<>();
                    for (PolicyRecord row : rows) {
                        RetrainPolicy.Code code;
                        try {
                            code = policies.parse(row.document).trainer().code();
                        } catch (RuntimeException e) {
                            Log.warnf("the retrain policy of %s does not parse; skipped for code pushes: %s", row.model, e.getMessage());
                            continue;
                        }
                        if (code != null && CodeRepositories.sameRepository(code.repository(), push.repositories())) {
                            out.add(new Candidate(row.model, code));
                        }
                    }
                    return out;
                });
    }
}
