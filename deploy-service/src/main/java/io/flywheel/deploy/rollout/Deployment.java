package io.flywheel.deploy.rollout;

import io.flywheel.deploy.ConflictException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What serves one model in one environment: the primary version, at most one candidate (a canary
 * taking a share of traffic, or a shadow seeing a copy of it), and the versions that served before
 * (newest first) for rollback. Immutable: every change returns a {@link Transition} whose
 * {@code after} carries the next revision. Persisted step by step, so whichever process reads it
 * next carries on from exactly here.
 */
public record Deployment(String model, String environment, Integer primary, Instant primarySince, Candidate candidate,
                         List<Integer> previous, long revision) {

    /** Rollback history kept per environment. */
    public static final int MAX_PREVIOUS = 20;

    public Deployment {
        previous = previous == null ? List.of() : List.copyOf(previous);
    }

    /**
     * The version being rolled out. For a canary: its step in {@code policy}, when the step began
     * and how many predictions the candidate had served by then; for a shadow {@code policy} is null.
     */
    public record Candidate(int version, Strategy strategy, int step, CanaryPolicy policy, Instant since,
                            Instant stepStartedAt, long stepSamplesAtStart, String promotionId) {
        public Candidate {
            if (strategy == Strategy.REPLACE) {
                throw new IllegalArgumentException("a candidate is a canary or a shadow");
            }
            if (strategy == Strategy.CANARY && (policy == null || step < 0 || step >= policy.steps().size())) {
                throw new IllegalArgumentException("a canary needs its policy and a step within it");
            }
        }

        /** Its share of live traffic: the step's percentage for a canary, 0 for a shadow. */
        public int percent() {
            return strategy == Strategy.CANARY ? policy.percentAt(step) : 0;
        }

        public boolean isCanary() {
            return strategy == Strategy.CANARY;
        }
    }

    public static Deployment empty(String model, String environment) {
        return new Deployment(model, environment, null, null, null, List.of(), 0);
    }

    public boolean isEmpty() {
        return primary == null && candidate == null;
    }

    /** The versions serving now, with their shares of traffic and roles. */
    public List<Live> live() {
        List<Live> live = new ArrayList<>(2);
        int candidateShare = candidate == null ? 0 : candidate.percent();
        if (primary != null) {
            live.add(new Live(primary, 100 - candidateShare, Live.PRIMARY));
        }
        if (candidate != null) {
            live.add(new Live(candidate.version(), candidateShare,
                    candidate.strategy() == Strategy.CANARY ? Live.CANARY : Live.SHADOW));
        }
        return List.copyOf(live);
    }

    /** "idle" (nothing live), "serving", "canary" or "shadow". */
    public String status() {
        if (candidate != null) {
            return candidate.strategy().id();
        }
        return primary == null ? "idle" : "serving";
    }

    /** Whether the version is live here (primary or candidate). */
    public boolean serves(int version) {
        return (primary != null && primary == version) || (candidate != null && candidate.version() == version);
    }

    /**
     * Starts putting {@code version} into service with {@code strategy}. {@code candidateSamples} is
     * how many predictions the version has served here so far (the baseline of its first canary step).
     *
     * @throws ConflictException while another rollout runs, when the version already serves all
     *                           traffic, or for a shadow with no primary to copy traffic from
     */
    public Transition promote(int version, Strategy strategy, CanaryPolicy policy, long candidateSamples,
                              String promotionId, Instant now) {
        boolean takesOverShadow = candidate != null && candidate.strategy() == Strategy.SHADOW
                && candidate.version() == version && strategy != Strategy.SHADOW;
        if (candidate != null && !takesOverShadow) {
            throw new ConflictException("a " + candidate.strategy().id() + " of version " + candidate.version()
                    + " is in progress in '" + environment + "'; let it finish or roll it back first");
        }
        if (primary != null && primary == version) {
            throw new ConflictException("version " + version + " already serves all traffic in '" + environment + "'");
        }
        return switch (strategy) {
            case REPLACE -> replaceWith(version, "version " + version + " replaced " + describePrimary() + " at once", now);
            case CANARY -> {
                if (primary == null) {
                    yield replaceWith(version, "nothing served '" + environment
                            + "' yet, so the canary of version " + version + " takes all traffic at once", now);
                }
                if (policy == null) {
                    throw new IllegalArgumentException("a canary needs its policy");
                }
                Candidate canary = new Candidate(version, Strategy.CANARY, 0, policy, now, now, candidateSamples, promotionId);
                yield new Transition(this, withCandidate(canary), Transition.CANARY_STARTED, version,
                        "canary of version " + version + " started at " + policy.percentAt(0) + "% of traffic, steps "
                                + policy.steps());
            }
            case SHADOW -> {
                if (primary == null) {
                    throw new ConflictException("a shadow needs a primary version to copy traffic from, and nothing serves '"
                            + environment + "' yet; promote a version with replace or canary first");
                }
                Candidate shadow = new Candidate(version, Strategy.SHADOW, 0, null, now, now, candidateSamples, promotionId);
                yield new Transition(this, withCandidate(shadow), Transition.SHADOW_STARTED, version,
                        "version " + version + " shadows version " + primary + ": it sees a copy of the traffic, its answers are logged and discarded");
            }
        };
    }

    /**
     * Applies the canary policy's decision.
     *
     * @return empty when the decision is to hold
     */
    public Optional<Transition> advance(CanaryDecision decision, long candidateSamples, Instant now) {
        if (candidate == null || !candidate.isCanary()) {
            throw new IllegalStateException("no canary runs in '" + environment + "'");
        }
        return switch (decision) {
            case CanaryDecision.Hold hold -> Optional.empty();
            case CanaryDecision.Advance advance -> {
                Candidate next = new Candidate(candidate.version(), Strategy.CANARY, advance.step(), candidate.policy(),
                        candidate.since(), now, candidateSamples, candidate.promotionId());
                yield Optional.of(new Transition(this, withCandidate(next), Transition.CANARY_ADVANCED, candidate.version(),
                        "canary of version " + candidate.version() + " advanced from " + candidate.percent() + "% to "
                                + advance.percent() + "% of traffic"));
            }
            case CanaryDecision.Complete complete -> {
                Deployment after = new Deployment(model, environment, candidate.version(), now, null, pushed(), revision + 1);
                yield Optional.of(new Transition(this, after, Transition.CANARY_COMPLETED, candidate.version(),
                        "canary of version " + candidate.version() + " completed: it now serves all traffic, replacing "
                                + describePrimary()));
            }
        };
    }

    /**
     * Goes back one step: a running canary or shadow is removed (the primary keeps all traffic);
     * with none, the previous primary version returns.
     *
     * @throws ConflictException when there is nothing to go back to
     */
    public Transition rollback(Instant now) {
        if (candidate != null) {
            return removeCandidate();
        }
        if (!previous.isEmpty()) {
            return restorePrevious(now);
        }
        throw new ConflictException("nothing to roll back to in '" + environment + "': no rollout runs and no version served before "
                + describePrimary());
    }

    /**
     * Rolls back a version the monitor reported degraded: a candidate always, the primary only when
     * {@code includePrimary} (the environment's policy) and a previous version exists.
     *
     * @return empty when the version is not affected here
     */
    public Optional<Transition> rollbackVersion(int version, boolean includePrimary, Instant now) {
        if (candidate != null && candidate.version() == version) {
            return Optional.of(removeCandidate());
        }
        if (includePrimary && primary != null && primary == version && !previous.isEmpty()) {
            return Optional.of(restorePrevious(now));
        }
        return Optional.empty();
    }

    private Transition replaceWith(int version, String summary, Instant now) {
        Deployment after = new Deployment(model, environment, version, now, null, pushed(), revision + 1);
        return new Transition(this, after, Transition.PROMOTED, version, summary);
    }

    private Transition removeCandidate() {
        Deployment after = new Deployment(model, environment, primary, primarySince, null, previous, revision + 1);
        return new Transition(this, after, Transition.ROLLED_BACK, candidate.version(),
                "the " + candidate.strategy().id() + " of version " + candidate.version() + " was rolled back; "
                        + describePrimary() + " keeps all traffic");
    }

    private Transition restorePrevious(Instant now) {
        int back = previous.getFirst();
        Deployment after = new Deployment(model, environment, back, now, null, previous.subList(1, previous.size()), revision + 1);
        return new Transition(this, after, Transition.ROLLED_BACK, primary,
                "version " + primary + " was rolled back; version " + back + " serves all traffic again");
    }

    private Deployment withCandidate(Candidate next) {
        return new Deployment(model, environment, primary, primarySince, next, previous, revision + 1);
    }

    /** The rollback history with the current primary on top. */
    private List<Integer> pushed() {
        if (primary == null) {
            return previous;
        }
        List<Integer> stack = new ArrayList<>(previous.size() + 1);
        stack.add(primary);
        stack.addAll(previous);
        return stack.size() > MAX_PREVIOUS ? stack.subList(0, MAX_PREVIOUS) : stack;
    }

    private String describePrimary() {
        return primary == null ? "nothing" : "version " + primary;
    }
}
