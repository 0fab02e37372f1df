package io.flywheel.gateway.auth;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class AccessPolicyTest {

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            "GET,    /api/v1/models,                      viewer editor admin",
            "HEAD,   /api/v1/models/churn,                viewer editor admin",
            "POST,   /api/v1/models,                      editor admin",
            "PUT,    /api/v1/models/churn/aliases/champion, editor admin",
            "DELETE, /api/v1/models/churn/aliases/x,      editor admin",
            "POST,   /api/v1/deployments/churn/production/promotions, editor admin",
            "POST,   /api/v1/predictions,                 ingest editor admin",
            "POST,   /api/v1/feedback,                    ingest editor admin",
            "GET,    /api/v1/predictions,                 viewer editor admin",
            "POST,   /v2/models/churn/infer,              viewer editor admin",
            "GET,    /v2/models/churn/ready,              viewer editor admin",
            "GET,    /api/v1/keys,                        admin",
            "POST,   /api/v1/keys,                        admin",
            "DELETE, /api/v1/keys/abc,                    admin",
            "GET,    /api/v1/keysmith,                    viewer editor admin",
            "GET,    /dashboard,                          viewer editor admin",
            "POST,   /dashboard/logout,                   viewer editor admin ingest",
            // a git host's push: open at the gateway, its signature checked by retrain
            "POST,   /api/v1/retrain/webhooks/github,     viewer editor admin ingest",
            "POST,   /api/v1/retrain/webhooks/gitlab,     viewer editor admin ingest",
            "GET,    /api/v1/retrain/webhooks/github,     viewer editor admin",
            "POST,   /api/v1/retrain/code-pushes,         editor admin",
            // the same routes spelled otherwise are judged the same
            "POST,   /api/v1/keys/,                       admin",
            "GET,    /API/V1/KEYS,                        admin",
            "POST,   /Api/v1/Keys/abc/,                   admin",
            "POST,   /api/v1/predictions/,                ingest editor admin",
            "POST,   /V2/models/churn/INFER/,             viewer editor admin",
            // LLM projects are the gateway's, for admins; the rest of /api/v1/llm is the monitor's reads and writes
            "GET,    /api/v1/llm/projects,                admin",
            "POST,   /api/v1/llm/projects,                admin",
            "DELETE, /api/v1/llm/projects/p1/keys/pk-lf-x, admin",
            "GET,    /API/v1/LLM/Projects/,               admin",
            "GET,    /api/v1/llm/traces,                  viewer editor admin",
            "POST,   /api/v1/llm/traces/t1/scores,        editor admin",
    })
    void theTable(String method, String path, String roles) {
        Set<Role> expected = Arrays.stream(roles.split(" ")).map(Role::of).collect(Collectors.toCollection(() -> EnumSet.noneOf(Role.class)));
        assertThat(AccessPolicy.allowedRoles(method, path)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"GET, /api/v1/models", "POST, /v2/models/m/infer", "PUT, /api/v1/models/m"})
    void ingestMayOnlyPostData(String method, String path) {
        assertThat(AccessPolicy.allows(method, path, Set.of(Role.INGEST))).isFalse();
    }

    /** Langfuse's routes: an LLM project's key pair only; no role reaches them, however spelled. */
    @ParameterizedTest
    @CsvSource({"POST, /api/public/ingestion", "POST, /api/public/otel/v1/traces", "POST, /v1/traces", "GET, /api/public/traces",
            "GET, /api/public/traces/t1", "GET, /API/Public/Scores/", "POST, /V1/TRACES", "GET, /api/public/prompts/x", "GET, /api/public"})
    void noRoleReachesLangfusesRoutes(String method, String path) {
        assertThat(AccessPolicy.allowedRoles(method, path)).isEmpty();
        assertThat(AccessPolicy.allows(method, path, EnumSet.allOf(Role.class))).isFalse();
        assertThat(AccessPolicy.langfuseSurface(path)).isTrue();
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            "POST, /api/public/ingestion,          true",
            "POST, /api/public/otel/v1/traces,     true",
            "POST, /v1/traces,                     true",
            "POST, /V1/Traces/,                    true",
            "GET,  /api/public/traces,             true",
            "GET,  /api/public/traces/t1,          true",
            "HEAD, /api/public/observations/o1,    true",
            "GET,  /api/public/sessions,           true",
            "GET,  /api/public/sessions/s1,        true",
            "GET,  /api/public/scores,             true",
            "GET,  /api/public/v2/scores,          true",
            "GET,  /api/public/health,             true",
            "POST, /api/public/score-configs,      true",
            "GET,  /api/public/score-configs,      true",
            "GET,  /api/public/score-configs/c1,   true",
            "PATCH, /api/public/score-configs/c1,  true",
            "PATCH, /api/public/score-configs,     false",
            "DELETE, /api/public/score-configs/c1, false",
            "PATCH, /api/public/traces/t1,         false",
            "GET,  /api/public/ingestion,          false",
            "DELETE, /api/public/traces/t1,        false",
            "POST, /api/public/scores,             false",
            "GET,  /api/public/prompts,            false",
            "GET,  /api/public/projects,           true",
            "GET,  /api/public/v2/prompts,         true",
            "GET,  /api/public/v2/prompts/a%2Fb,   true",
            "POST, /api/public/v2/prompts,         true",
            "PATCH, /api/public/v2/prompts/p/versions/2, true",
            "PATCH, /api/public/v2/prompts/p,      false",
            "DELETE, /api/public/v2/prompts/p,     true",
            "POST, /api/public/datasets,           true",
            "POST, /api/public/v2/datasets,        true",
            "GET,  /api/public/v2/datasets/d,      true",
            "GET,  /api/public/datasets/d/runs/r,  true",
            "DELETE, /api/public/datasets/d/runs/r, true",
            "DELETE, /api/public/datasets/d,       false",
            "POST, /api/public/dataset-items,      true",
            "GET,  /api/public/dataset-items/i,    true",
            "DELETE, /api/public/dataset-items/i,  true",
            "POST, /api/public/dataset-run-items,  true",
            "POST, /api/public/projects,           false",
            "GET,  /api/public/tracesx,            false",
            "GET,  /v1/traces,                     false",
            "GET,  /api/v1/models,                 false",
            "POST, /api/v1/predictions,            false",
            "GET,  /api/v1/llm/traces,             false",
            "GET,  /api/v1/llm/projects,           false",
            "GET,  /api/v1/keys,                   false",
            "GET,  /dashboard,                     false",
    })
    void anLlmProjectMayOnlyIngestAndReadItsTraces(String method, String path, boolean allowed) {
        assertThat(AccessPolicy.allowsLlmProject(method, path)).isEqualTo(allowed);
    }

    @ParameterizedTest
    @CsvSource({"GET, /api/v1/models", "GET, /api/v1/llm/traces", "GET, /v2/models/m/ready", "GET, /api/v1/predictions"})
    void otherRoutesAreNotLangfuses(String method, String path) {
        assertThat(AccessPolicy.langfuseSurface(path)).isFalse();
    }
}
