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
}
