package io.flywheel.gateway.auth;

import io.flywheel.gateway.routing.CanonicalPath;

import java.util.EnumSet;
import java.util.Set;

/**
 * Which roles may call which route: the whole table in one place, read top to bottom, first match
 * wins. Decided on the path as {@link CanonicalPath#forDecisions} reads it (lower case, no trailing
 * slash), after the gateway refused every path the router could read otherwise. Plain logic,
 * unit-tested on its own; {@link RoleAccessCheck} applies it to every request that needs a caller.
 *
 * <p>Two kinds of caller, two tables that do not overlap. API keys, dashboard sessions and bearer
 * tokens carry Flywheel roles ({@link #allowedRoles}). An LLM project's key pair (Langfuse's HTTP
 * Basic {@code publicKey:secretKey}) carries no role: it may call the Langfuse-compatible routes of
 * {@link #allowsLlmProject} and nothing else, and nothing with a role may call them ({@link #langfuseSurface}:
 * the pair says which project the data belongs to, a key or a token does not).
 */
public final class AccessPolicy {

    private static final Set<Role> READERS = EnumSet.of(Role.VIEWER, Role.EDITOR, Role.ADMIN);
    private static final Set<Role> WRITERS = EnumSet.of(Role.EDITOR, Role.ADMIN);
    private static final Set<Role> INGESTERS = EnumSet.of(Role.INGEST, Role.EDITOR, Role.ADMIN);
    private static final Set<Role> ADMINS = EnumSet.of(Role.ADMIN);
    private static final Set<Role> ANYONE = EnumSet.allOf(Role.class);
    private static final Set<Role> NOBODY = EnumSet.noneOf(Role.class);

    /** Langfuse's read routes, answered for the calling project by the service that owns them. */
    private static final java.util.List<String> LANGFUSE_READS = java.util.List.of(
            "/api/public/traces", "/api/public/observations", "/api/public/sessions", "/api/public/scores", "/api/public/v2/scores",
            "/api/public/score-configs",
            // prompts (registry-service) and datasets with their runs (retrain-service)
            "/api/public/v2/prompts", "/api/public/datasets", "/api/public/v2/datasets", "/api/public/dataset-items",
            "/api/public/dataset-run-items");

    /** What a key pair may create: prompt versions, datasets, their items and run items. */
    private static final Set<String> LANGFUSE_CREATES = Set.of("/api/public/v2/prompts", "/api/public/datasets",
            "/api/public/v2/datasets", "/api/public/dataset-items", "/api/public/dataset-run-items");

    private AccessPolicy() {
    }

    /** The roles allowed to send {@code method} to {@code path}; any one of them suffices. */
    public static Set<Role> allowedRoles(String method, String rawPath) {
        String path = CanonicalPath.forDecisions(rawPath);
        boolean read = "GET".equals(method) || "HEAD".equals(method);
        if (langfuseSurface(path)) {
            return NOBODY; // an LLM project's key pair only: allowsLlmProject
        }
        if (under(path, "/api/v1/keys") || under(path, "/api/v1/llm/projects")) {
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

    /**
     * The routes of Langfuse's clients: everything under {@code /api/public} (health is open, see
     * application.properties) and the OTLP route {@code /v1/traces}. Only LLM projects' key pairs.
     */
    public static boolean langfuseSurface(String rawPath) {
        String path = CanonicalPath.forDecisions(rawPath);
        return under(path, "/api/public") || path.equals("/v1/traces");
    }

    /**
     * What an LLM project's key pair may call: ingestion (Langfuse's batch and OTLP), Langfuse's
     * read routes, score configs, prompts, datasets and their runs (each service answers them for the
     * project named in the internal token), and the project itself.
     */
    public static boolean allowsLlmProject(String method, String rawPath) {
        String path = CanonicalPath.forDecisions(rawPath);
        if ("POST".equals(method)) {
            return path.equals("/api/public/ingestion") || path.equals("/api/public/otel/v1/traces") || path.equals("/v1/traces")
                    || path.equals("/api/public/score-configs") || LANGFUSE_CREATES.contains(path);
        }
        if ("PATCH".equals(method)) {
            return under(path, "/api/public/score-configs") && !path.equals("/api/public/score-configs")
                    || path.startsWith("/api/public/v2/prompts/") && path.matches("/api/public/v2/prompts/.+/versions/[^/]+");
        }
        if ("DELETE".equals(method)) {
            return path.startsWith("/api/public/v2/prompts/") || path.startsWith("/api/public/dataset-items/")
                    || path.matches("/api/public/datasets/[^/]+/runs/[^/]+");
        }
        if ("GET".equals(method) || "HEAD".equals(method)) {
            return path.equals("/api/public/health") || path.equals("/api/public/projects")
                    || LANGFUSE_READS.stream().anyMatch(read -> under(path, read));
        }
        return false;
    }

    public static boolean allows(String method, String path, Set<Role> roles) {
        Set<Role> allowed = allowedRoles(method, path);
        return roles.stream().anyMatch(allowed::contains);
    }

    private static boolean under(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }
}
