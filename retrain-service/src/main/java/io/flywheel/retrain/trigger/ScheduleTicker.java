package io.flywheel.retrain.trigger;

import io.flywheel.retrain.PolicyRecord;
import io.flywheel.retrain.job.JobStore;
import io.flywheel.retrain.policy.Schedules;
import io.flywheel.retrain.policy.TriggerKind;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The policies' cron schedules (Quarkus scheduler): each tick takes the policies whose next fire
 * time has come ({@code FOR UPDATE SKIP LOCKED}, so replicas share them), moves their next fire
 * time on, and submits one {@code schedule} trigger each — fire times missed while the service was
 * down fold into one. The event id names the fire time, so a fire seen twice is refused as a duplicate.
 */
@ApplicationScoped
public class ScheduleTicker {

    private record Due(String model, String schedule, Instant firedAt) {
    }

    private final TriggerService triggers;

    public ScheduleTicker(TriggerService triggers) {
        this.triggers = triggers;
    }

    @Scheduled(every = "${retrain.schedule.tick}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> onTick() {
        return tick().onFailure().invoke(e -> Log.warnf("retrain schedule tick failed, will retry: %s", e.getMessage()))
                .onFailure().recoverWithItem(0).replaceWithVoid();
    }

    /** Fires what is due; how many triggers were submitted. */
    public Uni<Integer> tick() {
        Instant now = JobStore.now();
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session
                        .createNativeQuery("""
                                select * from retrain_policy where enabled and schedule is not null and next_fire_at <= :now
                                order by next_fire_at limit 20 for update skip locked""", PolicyRecord.class)
                        .setParameter("now", now)
                        .getResultList()
                        .map(rows -> {
                            Log.debugf("schedule tick at %s: %d policy(ies) due", now, rows.size());
                            List<Due> due = new ArrayList<>();
                            for (PolicyRecord row : rows) {
                                due.add(new Due(row.model, row.schedule, row.nextFireAt));
                                row.nextFireAt = Schedules.next(row.schedule, now).orElse(null);
                            }
                            return due;
                        })))
                .chain(due -> Multi.createFrom().iterable(due)
                        .onItem().transformToUniAndConcatenate(d -> triggers.submit(new TriggerService.Submission(d.model(), TriggerKind.SCHEDULE,
                                        null, "schedule:" + d.model() + ":" + d.firedAt(), null, false, "scheduler",
                                        "cron '" + d.schedule() + "' fired at " + d.firedAt(), false))
                                .onFailure().invoke(e -> Log.warnf("scheduled trigger of %s failed: %s", d.model(), e.getMessage()))
                                .onFailure().recoverWithNull())
                        .collect().asList()
                        .map(List::size));
    }
}
