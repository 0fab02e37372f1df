package io.flywheel.deploy.service;

import io.flywheel.deploy.ChampionSync;
import io.flywheel.deploy.DeploymentRow;
import io.flywheel.deploy.HistoryEntry;
import io.flywheel.deploy.PreconditionFailedException;
import io.flywheel.outbox.Outbox;
import io.flywheel.deploy.rollout.Deployment;
import io.flywheel.deploy.rollout.Live;
import io.flywheel.deploy.rollout.Transition;
import io.flywheel.events.DeploymentChanged;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes deployments inside the caller's session or transaction. A change is always
 * written together with its history line, its DeploymentChanged event (outbox) and, when
 * production's primary version changed, the pending move of the registry's champion alias: all four
 * commit or none does.
 */
@ApplicationScoped
public class DeploymentStore {

    private final Outbox outbox;
    private final Environments environments;

    public DeploymentStore(Outbox outbox, Environments environments) {
        this.outbox = outbox;
        this.environments = environments;
    }

    /** The current state, unlocked; an empty deployment (revision 0) when nothing was ever deployed there. */
    public Uni<Deployment> current(String model, String environment) {
        return Panache.getSession()
                .chain(session -> session.find(DeploymentRow.class, new DeploymentRow.Key(model, environment)))
                .map(row -> row == null ? Deployment.empty(model, environment) : row.toDomain());
    }

    /**
     * The row, created empty if needed, locked until the transaction ends and read after the lock was
     * taken: two writers of one deployment go one after the other, and the second sees the first's change.
     */
    public Uni<DeploymentRow> lock(String model, String environment) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                                "insert into deployment (model, environment, previous_versions, revision, updated_at, updated_by) "
                                        + "values (:model, :environment, '{\"versions\": []}'::jsonb, 0, now(), 'deploy') "
                                        + "on conflict (model, environment) do nothing")
                        .setParameter("model", model)
                        .setParameter("environment", environment)
                        .executeUpdate()
                        .chain(() -> session.find(DeploymentRow.class, new DeploymentRow.Key(model, environment),
                                LockModeType.PESSIMISTIC_WRITE)));
    }

    /** If-Match against the current revision: absent passes, "*" passes when something is deployed. */
    public static void checkIfMatch(String ifMatch, Deployment current) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return;
        }
        String etag = etag(current);
        for (String candidate : ifMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals(etag) || (tag.equals("*") && current.revision() > 0)) {
                return;
            }
        }
        throw new PreconditionFailedException("the deployment of '" + current.model() + "' in '" + current.environment()
                + "' has changed: its ETag is now " + etag + " (" + current.live().size() + " version(s) live); GET it, then decide again");
    }

    /** Live versions as evidence (snake_case, as the API writes them). */
    public static List<Map<String, Object>> liveMaps(List<Live> live) {
        return live.stream().<Map<String, Object>>map(l -> Map.of("version", l.version(), "traffic_percent", l.trafficPercent(),
                "role", l.role())).toList();
    }

    public static String etag(Deployment d) {
        return "\"" + d.revision() + "\"";
    }

    /** Writes a transition with its history line, event and (for production) the champion move. */
    public Uni<Void> record(DeploymentRow row, Transition t, String strategy, String actor, String reason,
                            Map<String, Object> evidence, String promotionId, Instant now) {
        row.apply(t.after(), strategy, actor, now);
        Deployment after = t.after();
        HistoryEntry entry = history(after, t.action(), t.version(), strategy, actor, reason, t.summary(), evidence, promotionId, now);
        DeploymentChanged event = DeploymentChanged.of(after.model(), after.environment(),
                after.live().stream().map(l -> new DeploymentChanged.LiveVersion(l.version(), l.trafficPercent(), l.role())).toList(),
                t.action(), actor, reason == null || reason.isBlank() ? t.summary() : reason, now, t.version(), evidence);
        Uni<Void> written = Panache.getSession().chain(session -> session.persist(entry))
                .chain(() -> outbox.add(after.model(), DeploymentChanged.TYPE, event));
        if (environments.isProduction(after.environment()) && t.primaryChanged() && after.primary() != null) {
            ChampionSync sync = new ChampionSync();
            sync.model = after.model();
            sync.version = after.primary();
            sync.actor = actor;
            sync.reason = t.action() + ": " + t.summary();
            sync.createdAt = now;
            written = written.chain(() -> Panache.getSession().chain(session -> session.persist(sync)));
        }
        return written;
    }

    /** A history line that changes nothing: a failed gate, an approval asked for, a refused promotion. */
    public Uni<Void> note(Deployment current, String action, Integer version, String strategy, String actor, String reason,
                          String summary, Map<String, Object> evidence, String promotionId, Instant now) {
        HistoryEntry entry = history(current, action, version, strategy, actor, reason, summary, evidence, promotionId, now);
        return Panache.getSession().chain(session -> session.persist(entry));
    }

    private static HistoryEntry history(Deployment d, String action, Integer version, String strategy, String actor,
                                        String reason, String summary, Map<String, Object> evidence, String promotionId,
                                        Instant now) {
        HistoryEntry entry = new HistoryEntry();
        entry.model = d.model();
        entry.environment = d.environment();
        entry.action = action;
        entry.version = version;
        entry.strategy = strategy;
        entry.live = new HistoryEntry.LiveVersions(List.<Live>copyOf(d.live()));
        entry.actor = actor;
        entry.reason = reason;
        entry.summary = summary;
        entry.evidence = evidence == null ? Map.of() : evidence;
        entry.promotionId = promotionId;
        entry.revision = d.revision();
        entry.at = now;
        return entry;
    }
}
