package io.flywheel.deploy;

/** The caller's roles don't allow this (403), e.g. moving a prompt's protected production label by hand without being an admin. */
public class ForbiddenException extends DeployException {
    public ForbiddenException(String message) {
        super(message);
    }
}
