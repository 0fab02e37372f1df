package io.flywheel.deploy.service;

import io.flywheel.deploy.InvalidRequestException;
import io.flywheel.deploy.NotFoundException;
import io.flywheel.deploy.PreconditionFailedException;
import io.flywheel.deploy.PromotionPolicyRow;
import io.flywheel.deploy.config.DeployConfig;
import io.flywheel.deploy.policy.PolicyDocument;
import io.flywheel.deploy.policy.PromotionPolicy;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Each model's promotion policy: read, replaced (If-Match on its revision), and listed for the auto-promoter. */
@ApplicationScoped
public class PromotionPolicies {

    /** A stored policy, checked, with its row. */
    public record Stored(PromotionPolicy policy, PromotionPolicyRow row) {
        public String etag() {
            return "\"" + row.revision + "\"";
        }
    }

    private final Environments environments;
    private final PolicyDocument.Defaults defaults;

    public PromotionPolicies(Environments environments, DeployConfig config, PromotionService promotions) {
        this.environments = environments;
        // defaults that name environments this deploy does not have are refused per policy (check), not here:
        // a deploy with other environments still runs, and its canaries are stepped
        this.defaults = new PolicyDocument.Defaults(config.gates().soak().from(), config.productionEnvironment(),
                config.gates().soak().minTime(), config.gates().soak().minSamples(), promotions.defaultCanary());
    }

    /** @throws NotFoundException when the model has no policy */
    public Uni<Stored> get(String model) {
        return Panache.withSession(() -> find(model)).map(found -> found.orElseThrow(() -> new NotFoundException(
                "model '" + model + "' has no promotion policy; PUT one to /api/v1/deployments/" + model + "/policy")));
    }

    /** The model's policy inside the caller's session, if it has one. */
    public Uni<Optional<Stored>> find(String model) {
        return Panache.getSession().chain(session -> session.find(PromotionPolicyRow.class, model))
                .map(row -> Optional.ofNullable(row).map(r -> new Stored(r.document.toPolicy(defaults), r)));
    }

    /** Every policy that promotes by itself. */
    public Uni<List<Stored>> automatic() {
        return Panache.withSession(() -> Panache.getSession().chain(session -> session
                        .createQuery("from PromotionPolicyRow order by model", PromotionPolicyRow.class).getResultList()))
                .map(rows -> rows.stream().map(r -> new Stored(r.document.toPolicy(defaults), r))
                        .filter(s -> s.policy().autoPromote()).toList());
    }

    /**
     * Replaces the model's policy (creates it when absent).
     *
     * @throws InvalidRequestException naming the field to fix
     * @throws PreconditionFailedException when If-Match names another revision
     */
    public Uni<Stored> put(String model, PolicyDocument document, String ifMatch, String actor) {
        PromotionPolicy policy = check(document);
        PolicyDocument normalised = PolicyDocument.of(policy);
        Instant now = Times.now();
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session
                .find(PromotionPolicyRow.class, model, LockModeType.PESSIMISTIC_WRITE)
                .chain(existing -> {
                    checkIfMatch(model, ifMatch, existing);
                    PromotionPolicyRow row = existing != null ? existing : new PromotionPolicyRow();
                    row.model = model;
                    row.document = normalised;
                    row.revision = existing == null ? 1 : existing.revision + 1;
                    row.updatedAt = now;
                    row.updatedBy = actor;
                    return (existing == null ? session.persist(row) : Uni.createFrom().voidItem())
                            .chain(session::flush)
                            .replaceWith(new Stored(policy, row));
                })));
    }

    private PromotionPolicy check(PolicyDocument document) {
        if (document == null) {
            throw new InvalidRequestException("the body is a promotion policy, e.g. {\"auto_promote\": true, \"strategy\": \"canary\"}");
        }
        PromotionPolicy policy;
        try {
            policy = document.toPolicy(defaults);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage());
        }
        for (String environment : List.of(policy.from(), policy.to())) {
            if (!environments.names().contains(environment)) {
                throw new InvalidRequestException("environment '" + environment + "' is not configured; deploy knows "
                        + String.join(", ", environments.names()));
            }
        }
        return policy;
    }

    private static void checkIfMatch(String model, String ifMatch, PromotionPolicyRow existing) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return;
        }
        String current = existing == null ? null : "\"" + existing.revision + "\"";
        for (String tag : ifMatch.split(",")) {
            String t = tag.strip().replaceFirst("^W/", "");
            if (t.equals(current) || (t.equals("*") && existing != null)) {
                return;
            }
        }
        throw new PreconditionFailedException("the promotion policy of '" + model + "' has changed: its ETag is now "
                + (current == null ? "absent (no policy)" : current) + "; GET it, then decide again");
    }
}
