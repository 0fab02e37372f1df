package io.flywheel.deploy.prompt;

import io.flywheel.deploy.rollout.TrafficSplit;

/**
 * Which version a session gets while a prompt canary runs: the models' split (rollout/TrafficSplit,
 * 10,000 buckets, salted here with project and prompt), keyed by the session id. The same session
 * always gets the same version, on every replica and after restarts; no session, the baseline.
 */
public final class PromptSplit {

    private PromptSplit() {
    }

    public static boolean toCandidate(String project, String prompt, String sessionId, int sharePercent) {
        if (sessionId == null || sessionId.isEmpty()) {
            return false;
        }
        return TrafficSplit.toCandidate(project + '/' + prompt, sessionId, sharePercent);
    }
}
