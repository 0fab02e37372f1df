package io.flywheel.gateway.auth;

import java.util.EnumSet;
import java.util.Set;

/**
 * Which roles may call which route: the whole table in one place, read top to bottom, first match
 * wins. Plain logic, unit-tested on its own; {@link RoleAccessCheck} applies it to every request
 * under /api, /v2 and /dashboard.
 */
public final class AccessPolicy {

    private static final Set<Role> READERS = EnumSet.of(Role.VIEWER, Role.EDITOR, Role.ADMIN);
    private static final Set<Role> WRITERS = EnumSet.of(Role.EDITOR, Role.ADMIN);
    private static final Set<Role> INGESTERS = EnumSet.of(Role.INGEST, Role.EDITOR, Role.ADMIN);
    private static final Set<Role> ADMINS = EnumSet.of(Role.ADMIN);

    private AccessPolicy() {
    }

    /** The roles allowed to send {@code method} to {@code path}; any one of them suffices. */
    public static Set<Role> allowedRoles(String method, String path) {
        boolean read = "GET".equals(method) || "HEAD".equals(method);
        if (under(path, "/api/v1/keys")) {
            return ADMINS;
        }
        if ("POST".equals(method) && (path.equals("/api/v1/predictions") || path.equals("/api/v1/feedback")
                || path.equals("/api/v1/traces"))) {
            return INGESTERS;
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
