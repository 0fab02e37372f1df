package io.flywheel.gateway.auth;

import io.flywheel.gateway.routing.CanonicalPath;

import java.util.EnumSet;
import java.util.Set;

/**
 * Which roles may call which route: the whole table in one place, read top to bottom, first match
 * wins. Decided on the path as {@link CanonicalPath#forDecisions} reads it (lower case, no trailing
 * slash), after the gateway refused every path the router could read otherwise. Plain logic,
 * unit-tested on its own; {@link RoleAccessCheck} applies it to every request that needs a caller.
 */
public final class AccessPolicy {

    private static final Set<Role> READERS = EnumSet.of(Role.VIEWER, Role.EDITOR, Role.ADMIN);
    private static final Set<Role> WRITERS = EnumSet.of(Role.EDITOR, Role.ADMIN);
    private static final Set<Role> INGESTERS = EnumSet.of(Role.INGEST, Role.EDITOR, Role.ADMIN);
    private static final Set<Role> ADMINS = EnumSet.of(Role.ADMIN);
    private static final Set<Role> ANYONE = EnumSet.allOf(Role.class);

    private AccessPolicy() {
    }

    /** The roles allowed to send {@code method} to {@code path}; any one of them suffices. */
    public static Set<Role> allowedRoles(String method, String rawPath) {
        String path = CanonicalPath.forDecisions(rawPath);
        boolean read = "GET".equals(method) || "HEAD".equals(method);
        if (under(path, "/api/v1/keys")) {
            return ADMINS;
        }
        if ("POST".equals(method) && (path.equals("/api/v1/predictions") || path.equals("/api/v1/feedback"))) {
            return INGESTERS;
        }
        if ("POST".equals(method) && path.equals("/dashboard/logout")) {
            return ANYONE; // whoever signed in may sign out
        }
        if ("POST".equals(method) && (path.equals("/api/v1/retrain/webhooks/github") || path.equals("/api/v1/retrain/webhooks/gitlab"))) {
            return ANYONE; // a git host's push: retrain checks its signature, whoever sends it
        }
        if ("POST".equals(method) && path.startsWith("/v2/models/") && path.endsWith("/infer")) {
            return READERS; // inference answers a question; it changes nothing
        }
        return read ? READERS : WRITERS;
    }

    public static boolean allows(String method, String path, Set<Role> roles) {
        Set<Role> allowed = allowedRoles(method, path);
        return roles.stream().anyMatch(allowed::contains);
    }

    private static boolean under(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }
}
