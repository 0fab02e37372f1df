package io.flywheel.monitor.llm.rest;

import io.flywheel.monitor.ForbiddenException;
import io.quarkus.security.identity.SecurityIdentity;

import java.util.Optional;

/**
 * Who reads traces. The gateway signs the internal token of a Langfuse key pair's call with the
 * subject {@code llm-project:<project>}: such a caller reads only that project. Any other subject is
 * a Flywheel caller (an API key's name, a user, a service), who may read any project.
 */
final class Callers {

    static final String PREFIX = "llm-project:";

    private Callers() {
    }

    /** The project the caller is limited to, if any. */
    static Optional<String> project(SecurityIdentity caller) {
        if (caller == null || caller.isAnonymous()) {
            return Optional.empty();
        }
        String name = caller.getPrincipal().getName();
        return name != null && name.startsWith(PREFIX) && name.length() > PREFIX.length()
                ? Optional.of(name.substring(PREFIX.length())) : Optional.empty();
    }

    /** The project to read: the caller's own when it is scoped to one (naming another is a 403), else the one asked for, if any. */
    static String scope(SecurityIdentity caller, String asked) {
        return project(caller).map(own -> {
            if (asked != null && !asked.equals(own)) {
                throw new ForbiddenException("this caller reads only project '" + own + "'");
            }
            return own;
        }).orElse(asked);
    }

    /** The project of a Langfuse route's caller: only Langfuse key pairs' callers may use those routes. */
    static String langfuseProject(SecurityIdentity caller) {
        return project(caller).orElseThrow(() -> LangfuseException.forbidden(
                "these routes take Langfuse key pairs (a project's public and secret key); Flywheel callers use /api/v1/llm"));
    }
}
