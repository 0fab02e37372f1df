package io.flywheel.gateway.routing;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class CanonicalPathTest {

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/keys;x", "/api/v1/keys;", "/api/v1/keys%3Bx", "/api/v1//keys", "//api/v1/keys",
            "/api/v1/./keys", "/api/v1/keys/.", "/api/v1/models/../keys", "/api/v1/models/..", "/api/v1/%2e%2e/keys",
            "/api/v1/models%2Fx", "/api/v1/models%2fx", "/api/v1\\keys", "/api/v1/models%5Cx", "api/v1/keys", ""})
    void pathsTheRouterCouldReadOtherwiseAreRefused(String raw) {
        assertThat(CanonicalPath.refusal(raw)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/api/v1/keys", "/api/v1/keys/", "/api/v1/models/churn.v2", "/api/v1/models/a%20b",
            "/v2/models/m/infer", "/api/v1/models/x..y"})
    void ordinaryPathsPass(String raw) {
        assertThat(CanonicalPath.refusal(raw)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/public/v2/prompts/team-a%2Fsummarizer%20v2", "/api/public/v2/prompts/a%2fb%2Fc/versions/3",
            "/api/public/v2/datasets/team%2Fqa", "/api/public/datasets/team%2Fqa/runs/r1", "/api/public/v2/prompts/x..y%2Fz"})
    void aLangfuseNameMayHoldEncodedSlashesInItsOwnSegment(String raw) {
        assertThat(CanonicalPath.refusal(raw)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/public/v2/prompts/a/b%2Fc", "/api/public/v2/prompts/a%2Fb/versions%2F3", "/api/public/v2/prompts%2Fa",
            "/api/public/v2/scores/a%2Fb", "/api/v1/prompts/a%2Fb", "/api/public/dataset-items/a%2Fb", "/api/public/v2/prompts/..%2Fkeys",
            "/api/public/v2/prompts/a%2F.", "/api/public/v2/prompts/a%2F%2e%2e", "/API/public/v2/prompts/a/b%2Fc",
            "/api/public/datasets/x/runs/a%2Fb", "/api/public/v2/prompts/a%5Cb"})
    void anEncodedSlashAnywhereElseIsStillRefused(String raw) {
        assertThat(CanonicalPath.refusal(raw)).isPresent();
    }

    @ParameterizedTest
    @CsvSource({"/api/v1/keys, /api/v1/keys", "/api/v1/keys/, /api/v1/keys", "/API/V1/Keys//, /api/v1/keys", "/, /"})
    void decisionsReadLowerCaseWithoutATrailingSlash(String path, String read) {
        assertThat(CanonicalPath.forDecisions(path)).isEqualTo(read);
    }
}
