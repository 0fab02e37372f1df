package io.flywheel.deploy.prompt;

import io.flywheel.deploy.NotFoundException;
import io.flywheel.deploy.registry.PromptRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Brings the registry's labels in line with each rollout's status, as deploy itself (so it may move
 * the protected {@code production} label): running, the candidate carries the canary label; promoted,
 * {@code production} moves to the candidate and the canary label goes; rolled back, the canary label
 * goes and {@code production} stays. The canary label is removed only while it is still on the
 * candidate (a later rollout may have taken it). A move the registry refuses for now is tried again
 * on the next pass.
 */
@ApplicationScoped
public class PromptLabelRelay {

    private static final int BATCH = 50;

    private final PromptRegistry registry;
    private final PromptRollouts rollouts;

    public PromptLabelRelay(PromptRegistry registry, PromptRollouts rollouts) {
        this.registry = registry;
        this.rollouts = rollouts;
    }

    @Scheduled(identity = "prompt-label-relay", every = "${deploy.prompt.check-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> onSchedule() {
        return sync().onFailure().invoke(e -> Log.warnf("prompt label sync failed, will retry: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Sends what is pending, oldest first; returns how many rollouts' labels are now in line. */
    public Uni<Integer> sync() {
        return Panache.withTransaction(() -> Panache.getSession()
                .chain(session -> session.createNativeQuery("select * from prompt_rollout where not labels_synced order by seq limit "
                        + BATCH + " for update skip locked", PromptRolloutRow.class).getResultList())
                .chain(pending -> Multi.createFrom().iterable(pending)
                        .onItem().transformToUniAndConcatenate(this::syncOne)
                        .collect().asList()
                        .map(done -> (int) done.stream().filter(Boolean::booleanValue).count())));
    }

    private Uni<Boolean> syncOne(PromptRolloutRow row) {
        String canary = rollouts.canaryLabel();
        Uni<Void> move = switch (row.status) {
            case PromptRolloutRow.RUNNING -> registry.moveLabel(row.project, row.prompt, canary, row.candidateVersion);
            case PromptRolloutRow.PROMOTED -> registry.moveLabel(row.project, row.prompt, rollouts.productionLabel(), row.candidateVersion)
                    .chain(() -> removeCanary(row));
            case PromptRolloutRow.ROLLED_BACK -> removeCanary(row);
            default -> Uni.createFrom().voidItem();
        };
        return move.map(ignored -> {
                    row.labelsSynced = true;
                    row.labelAttempts++;
                    row.labelError = null;
                    Log.infof("registry labels of %s/%s in line with rollout %s (%s)", row.project, row.prompt, row.id, row.status);
                    return true;
                })
                .onFailure(NotFoundException.class).recoverWithItem(e -> {
                    // the prompt or version is gone from the registry: there is nothing left to label
                    row.labelsSynced = true;
                    row.labelAttempts++;
                    row.labelError = e.getMessage();
                    Log.warnf("labels of prompt rollout %s not moved: %s", row.id, e.getMessage());
                    return false;
                })
                .onFailure().recoverWithItem(e -> {
                    row.labelAttempts++;
                    row.labelError = e.getMessage();
                    Log.warnf("labels of prompt rollout %s not moved yet (attempt %d): %s", row.id, row.labelAttempts, e.getMessage());
                    return false;
                });
    }

    private Uni<Void> removeCanary(PromptRolloutRow row) {
        String canary = rollouts.canaryLabel();
        return registry.labelled(row.project, row.prompt, canary).chain(on -> on.isPresent() && on.get() == row.candidateVersion
                ? registry.removeLabel(row.project, row.prompt, canary) : Uni.createFrom().voidItem());
    }
}
