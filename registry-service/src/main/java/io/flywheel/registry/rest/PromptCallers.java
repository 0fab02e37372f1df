package io.flywheel.registry.rest;

import io.flywheel.registry.ForbiddenException;
import io.flywheel.registry.service.PromptService;
import io.quarkus.security.identity.SecurityIdentity;

import java.util.Optional;

/**
 * Who calls the prompt routes (as monitor-service's llm/rest/Callers). The gateway signs a Langfuse key
 * pair's calls with the subject {@code llm-project:<project>}: such a caller works in that project only.
 * Any other subject is a Flywheel caller, who names the project ({@code default} when not). Protected
 * labels move for an admin (the gateway's role, carried in the token's {@code roles}) or for a Flywheel
 * service acting on its own (it signed its own token); a key pair is never an admin.
 */
final class PromptCallers {

    static final String PREFIX = "llm-project:";
    static final String DEFAULT_PROJECT = "default";

    private PromptCallers() {
    }

    static Optional<String> project(SecurityIdentity caller) {
        if (caller == null || caller.isAnonymous()) {
            return Optional.empty();
        }
        String name = caller.getPrincipal().getName();
        return name != null && name.startsWith(PREFIX) && name.length() > PREFIX.length()
                ? Optional.of(name.substring(PREFIX.length())) : Optional.empty();
    }

    /** The project of a Flywheel route's call: the caller's own when it is scoped to one (naming another is a 403). */
    static String scope(SecurityIdentity caller, String asked) {
        return project(caller).map(own -> {
            if (asked != null && !asked.equals(own)) {
                throw new ForbiddenException("this caller works only in project '" + own + "'");
            }
            return own;
        }).orElse(asked == null || asked.isEmpty() ? DEFAULT_PROJECT : asked);
    }

    /** The project of a Langfuse route's call: only Langfuse key pairs' callers may use those routes. */
    static String langfuseProject(SecurityIdentity caller) {
        return project(caller).orElseThrow(() -> LangfuseException.forbidden(
                "these routes take Langfuse key pairs (a project's public and secret key); Flywheel callers use /api/v1/prompts"));
    }

    static PromptService.Actor actor(SecurityIdentity caller) {
        String principal = caller.getPrincipal().getName();
        boolean keyPair = project(caller).isPresent();
        Object signedBy = caller.getAttribute("signed-by");
        boolean serviceOnItsOwn = principal.equals(signedBy);
        return new PromptService.Actor(principal, !keyPair && (caller.hasRole("admin") || serviceOnItsOwn));
    }
}
