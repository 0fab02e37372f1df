package io.flywheel.retrain.llm;

import io.flywheel.retrain.ForbiddenException;
import io.flywheel.retrain.InvalidRequestException;
import io.quarkus.security.identity.SecurityIdentity;

import java.util.Optional;

/**
 * Who works on datasets (as monitor-service's llm/rest/Callers). The gateway signs the internal token
 * of a Langfuse key pair's call with the subject {@code llm-project:<project>}: such a caller works only
 * in that project. Any other subject is a Flywheel caller, who names the project (default {@code default}).
 */
public final class Callers {

    static final String PREFIX = "llm-project:";
    public static final String DEFAULT_PROJECT = "default";

    private Callers() {
    }

    /** The project the caller is limited to, if any. */
    public static Optional<String> project(SecurityIdentity caller) {
        if (caller == null || caller.isAnonymous()) {
            return Optional.empty();
        }
        String name = caller.getPrincipal().getName();
        return name != null && name.startsWith(PREFIX) && name.length() > PREFIX.length()
                ? Optional.of(name.substring(PREFIX.length())) : Optional.empty();
    }

    /** The project to work in: the caller's own when it is scoped to one (naming another is a 403), else the one asked for, else {@code default}. */
    public static String scope(SecurityIdentity caller, String asked) {
        String named = asked == null || asked.isBlank() ? null : asked.strip();
        if (named != null && (named.indexOf('\0') >= 0 || named.length() > 200)) {
            throw new InvalidRequestException("project is a project's id: at most 200 characters, no NUL");
        }
        return project(caller).map(own -> {
            if (named != null && !named.equals(own)) {
                throw new ForbiddenException("this caller works only in project '" + own + "'");
            }
            return own;
        }).orElse(named == null ? DEFAULT_PROJECT : named);
    }
}
