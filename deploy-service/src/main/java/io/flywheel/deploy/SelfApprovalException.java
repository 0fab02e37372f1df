package io.flywheel.deploy;

/** Whoever asked for a promotion can't also be the person who approves it (403): a second person must. */
public class SelfApprovalException extends DeployException {
    public SelfApprovalException(String actor, String promotionId) {
        super(actor + " requested promotion '" + promotionId + "' and so can't approve it: another person with the editor role must"
                + " (rejecting one's own request is allowed)");
    }
}
