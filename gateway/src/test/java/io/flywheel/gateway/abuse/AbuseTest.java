package io.flywheel.gateway.abuse;

import io.flywheel.gateway.TestAuth;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static io.flywheel.gateway.TestAuth.asAdmin;
import static io.flywheel.gateway.TestAuth.withKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Oversized, malformed and sneaky requests get a 4xx problem, never a 5xx; secrets never reach the log. */
@QuarkusTest
class AbuseTest {

    @TestHTTPResource("/api/v1/predictions")
    URI predictions;

    @Test
    void anOversizedIngestBodyIsRefusedBeforeItIsRead() {
        String padding = "x".repeat(70 * 1024);
        asAdmin().contentType(ContentType.JSON)
                .body("[{\"request_id\":\"big\",\"model\":\"m\",\"version\":1,\"inputs\":{\"pad\":\"" + padding + "\"}}]")
                .when().post("/api/v1/predictions")
                .then().statusCode(413)
                .contentType("application/problem+json")
                .body("detail", containsString("at most 65536 bytes"));
    }

    @Test
    void anIngestBodyOfUnknownLengthIsA411() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(predictions)
                .header("X-API-Key", TestAuth.ADMIN_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream("[]".getBytes(StandardCharsets.UTF_8))))
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(411);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void malformedJsonIsAProblemThatSaysWhere() {
        asAdmin().contentType(ContentType.JSON).body("{\"name\": \"k\", \"roles\": [")
                .when().post("/api/v1/keys")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:flywheel:problem:malformed-json"))
                .body("detail", containsString("line 1, column"));
    }

    @Test
    void aWrongMethodIsA405Problem() {
        asAdmin().when().delete("/api/v1/predictions")
                .then().statusCode(405)
                .contentType("application/problem+json");
    }

    @Test
    void encodedTraversalIsRefused() {
        asAdmin().urlEncodingEnabled(false).when().get("/api/v1/models/..%2F..%2Fq%2Fmetrics")
                .then().statusCode(400).contentType("application/problem+json");
        asAdmin().urlEncodingEnabled(false).when().get("/api/v1/models/%2E%2E/%2E%2E/q/metrics")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void noSecretIsEverWrittenToTheLog() throws Exception {
        var created = asAdmin().contentType(ContentType.JSON)
                .body("{\"name\":\"logged-" + UUID.randomUUID().toString().substring(0, 8) + "\",\"roles\":[\"viewer\"]}")
                .when().post("/api/v1/keys").then().statusCode(201).extract();
        String key = created.path("key");
        withKey(key).when().get("/api/v1/system/ready");
        withKey(key + "tampered").when().get("/api/v1/models").then().statusCode(401);
        asAdmin().when().delete("/api/v1/keys/{id}", (String) created.path("id")).then().statusCode(200);
        withKey(key).when().get("/api/v1/models").then().statusCode(401);

        String log = Files.readString(Path.of("target/gateway-test.log"));
        // fwk_<12-character id>_<secret>: the secret's own alphabet has '_' too, so cut at the fixed offset
        String secret = key.substring("fwk_".length() + 12 + 1);
        assertThat(secret).hasSize(43);
        assertThat(log).isNotBlank()
                .doesNotContain(secret)
                .doesNotContain(TestAuth.ADMIN_KEY);
    }
}
