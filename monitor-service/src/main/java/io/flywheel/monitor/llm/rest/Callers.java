package io.flywheel.monitor.llm.rest;

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
}
