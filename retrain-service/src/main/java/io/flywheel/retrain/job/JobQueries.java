package io.flywheel.retrain.job;

import io.flywheel.retrain.JobLogLine;
import io.flywheel.retrain.JobTransition;
import io.flywheel.retrain.NotFoundException;
import io.flywheel.retrain.RetrainJob;
import io.flywheel.retrain.Trigger;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Reading jobs for the API: one with its trigger, transitions and log; pages of them, newest first. */
@ApplicationScoped
public class JobQueries {

    /** A job and everything recorded about it. */
    public record Details(RetrainJob job, Trigger trigger, List<JobTransition> transitions, List<JobLogLine> log) {
    }

    /** Where a page starts: after this job in (created_at, id) descending order. */
    public record After(Instant createdAt, UUID id) {
    }

    public Uni<Details> details(UUID id) {
        return Panache.withSession(() -> Panache.getSession().chain(session -> session.find(RetrainJob.class, id)
                .onItem().ifNull().failWith(() -> new NotFoundException("retrain job", id.toString()))
                .chain(job -> session.find(Trigger.class, job.triggerSeq)
                        .chain(trigger -> session.createQuery("from JobTransition t where t.jobId = :id order by t.seq", JobTransition.class)
                                .setParameter("id", id).getResultList()
                                .chain(transitions -> session.createQuery("from JobLogLine l where l.jobId = :id order by l.at, l.seq", JobLogLine.class)
                                        .setParameter("id", id).getResultList()
                                        .map(log -> new Details(job, trigger, transitions, log)))))));
    }

    /** Up to {@code limit + 1} jobs (the extra one says another page exists), newest first. */
    public Uni<List<RetrainJob>> page(String model, JobState state, After after, int limit) {
        StringBuilder where = new StringBuilder("1 = 1");
        if (model != null) {
            where.append(" and j.model = :model");
        }
        if (state != null) {
            where.append(" and j.state = :state");
        }
        if (after != null) {
            where.append(" and (j.createdAt < :at or (j.createdAt = :at and j.id < :id))");
        }
        return Panache.withSession(() -> Panache.getSession().chain(session -> {
            var query = session.createQuery("from RetrainJob j where " + where + " order by j.createdAt desc, j.id desc", RetrainJob.class)
                    .setMaxResults(limit + 1);
            if (model != null) {
                query.setParameter("model", model);
            }
            if (state != null) {
                query.setParameter("state", state);
            }
            if (after != null) {
                query.setParameter("at", after.createdAt());
                query.setParameter("id", after.id());
            }
            return query.getResultList();
        }));
    }
}
