package io.flywheel.deploy.prompt;

import io.flywheel.deploy.rollout.TrafficSplit;

/**
 * Which version a session gets while a prompt canary runs: the models' split (rollout/TrafficSplit,
 * 10,000 buckets, salted here with project and prompt), keyed by the session id. The same session
 * always gets the same version, on every replica and after restarts; no session, the baseline. Until
 * the registry holds the canary label on the candidate, every session gets the baseline: an app fetches
 * the version it is routed to by its label (Langfuse's SDKs do), and would find none.
 */
public final class PromptSplit {

    private PromptSplit() {
    }

    public static boolean toCandidate(String project, String prompt, String sessionId, int sharePercent, boolean canaryLabelled) {
        if (!canaryLabelled || sessionId == null || sessionId.isEmpty()) {
            return false;
        }
        return TrafficSplit.toCandidate(project + '/' + prompt, sessionId, sharePercent);
    }
}
