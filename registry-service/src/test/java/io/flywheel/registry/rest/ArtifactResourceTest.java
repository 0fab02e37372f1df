package io.flywheel.registry.rest;

import io.flywheel.registry.TestS3;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;

import static io.flywheel.registry.Fixtures.createDraft;
import static io.flywheel.registry.Fixtures.createModel;
import static io.flywheel.registry.Fixtures.digestHeader;
import static io.flywheel.registry.Fixtures.randomBytes;
import static io.flywheel.registry.Fixtures.sha256Hex;
import static io.flywheel.registry.Fixtures.upload;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
class ArtifactResourceTest {

    private static final String ARTIFACT = "/api/v1/models/{name}/versions/{v}/artifact";
    private static final String VERSION = "/api/v1/models/{name}/versions/{v}";

    @Test
    void uploadingFinalisesTheVersionAndTheBytesComeBackWithTheirHeaders() {
        String model = createModel("artifact");
        int version = createDraft(model);
        byte[] bytes = randomBytes(5000);
        String sha = sha256Hex(bytes);

        given().contentType("application/json").body(bytes)
                .when().put(ARTIFACT, model, version)
                .then().statusCode(200)
                .body("status", equalTo("ready"))
                .body("artifact.sha256", equalTo(sha))
                .body("artifact.size_bytes", equalTo(5000))
                .body("artifact.content_type", equalTo("application/json"))
                .body("finalised_at", notNullValue());

        Response download = given().when().get(ARTIFACT, model, version);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.asByteArray()).isEqualTo(bytes);
        assertThat(download.header("Content-Length")).isEqualTo("5000");
        assertThat(download.header("Content-Type")).startsWith("application/json");
        assertThat(download.header("ETag")).isEqualTo("\"" + sha + "\"");
        assertThat(download.header("Digest")).isEqualTo(digestHeader(bytes));
        assertThat(download.header("Accept-Ranges")).isEqualTo("bytes");
        assertThat(TestS3.blob(sha)).isNotNull();
    }

    @Test
    void anArtifactIsAlwaysDownloadedAsAnAttachmentNeverRendered() {
        String model = createModel("html");
        int version = createDraft(model);
        given().contentType("text/html").body("<script>alert(document.cookie)</script>").when().put(ARTIFACT, model, version)
                .then().statusCode(200);

        Response download = given().when().get(ARTIFACT, model, version);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.header("Content-Disposition")).isEqualTo("attachment; filename=\"" + model + "-v" + version + "\"");
        assertThat(download.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(download.header("Content-Security-Policy")).contains("sandbox");
    }

    @Test
    void rangesConditionalsAndHead() {
        String model = createModel("ranges");
        int version = createDraft(model);
        byte[] bytes = randomBytes(1000);
        upload(model, version, bytes);
        String etag = "\"" + sha256Hex(bytes) + "\"";

        Response part = given().header("Range", "bytes=10-19").when().get(ARTIFACT, model, version);
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.header("Content-Range")).isEqualTo("bytes 10-19/1000");
        assertThat(part.header("Content-Length")).isEqualTo("10");
        assertThat(part.asByteArray()).isEqualTo(Arrays.copyOfRange(bytes, 10, 20));

        Response tail = given().header("Range", "bytes=-100").when().get(ARTIFACT, model, version);
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.asByteArray()).isEqualTo(Arrays.copyOfRange(bytes, 900, 1000));

        // If-Range with another ETag: the content changed, so the whole of it comes back
        Response stale = given().header("Range", "bytes=0-9").header("If-Range", "\"other\"").when().get(ARTIFACT, model, version);
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.asByteArray()).hasSize(1000);

        given().header("Range", "bytes=5000-").when().get(ARTIFACT, model, version)
                .then().statusCode(416)
                .header("Content-Range", "bytes */1000")
                .contentType("application/problem+json");

        given().header("If-None-Match", etag).when().get(ARTIFACT, model, version)
                .then().statusCode(304).header("ETag", etag);

        given().when().head(ARTIFACT, model, version)
                .then().statusCode(200)
                .header("Content-Length", "1000")
                .header("ETag", etag);
    }

    @Test
    void aPresignedUrlFetchesTheBytesStraightFromS3() throws Exception {
        String model = createModel("presign");
        int version = createDraft(model);
        byte[] bytes = randomBytes(2048);
        given().contentType("application/x-model").body(bytes).when().put(ARTIFACT, model, version).then().statusCode(200);

        String url = given().queryParam("expires_in", 60).when().get(ARTIFACT + "/url", model, version)
                .then().statusCode(200)
                .body("sha256", equalTo(sha256Hex(bytes)))
                .body("expires_at", notNullValue())
                .extract().path("url");
        HttpResponse<byte[]> fetched = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(fetched.body()).isEqualTo(bytes);
        // served with the artifact's content type (S3Proxy's Jetty may add a charset)
        assertThat(fetched.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/x-model");

        given().queryParam("expires_in", 0).when().get(ARTIFACT + "/url", model, version).then().statusCode(400);
    }

    @Test
    void multipartSizedArtifactsRoundTripWithAndWithoutDigest() {
        String model = createModel("multipart");
        byte[] bytes = randomBytes(12 * 1024 * 1024 + 17);
        int plain = createDraft(model);
        int checked = createDraft(model);

        given().contentType("application/octet-stream").body(bytes)
                .when().put(ARTIFACT, model, plain)
                .then().statusCode(200).body("artifact.sha256", equalTo(sha256Hex(bytes)));
        byte[] other = randomBytes(11 * 1024 * 1024);
        given().contentType("application/octet-stream").header("Digest", digestHeader(other)).body(other)
                .when().put(ARTIFACT, model, checked)
                .then().statusCode(200).body("artifact.size_bytes", equalTo(other.length));

        assertThat(given().when().get(ARTIFACT, model, plain).asByteArray()).isEqualTo(bytes);
        assertThat(given().when().get(ARTIFACT, model, checked).asByteArray()).isEqualTo(other);
    }

    @Test
    void aDigestMismatchIs422AndLeavesNothingBehind() {
        String model = createModel("mismatch");
        for (int size : new int[] {4096, 11 * 1024 * 1024}) {
            int version = createDraft(model);
            byte[] bytes = randomBytes(size);
            byte[] announced = randomBytes(16);
            given().contentType("application/octet-stream").header("Digest", digestHeader(announced)).body(bytes)
                    .when().put(ARTIFACT, model, version)
                    .then().statusCode(422)
                    .contentType("application/problem+json")
                    .body("type", equalTo("urn:flywheel:problem:digest-mismatch"))
                    .body("detail", containsString(sha256Hex(bytes)));

            given().when().get(VERSION, model, version)
                    .then().statusCode(200).body("status", equalTo("draft")).body("artifact", nullValue());
            assertThat(TestS3.blob(sha256Hex(bytes))).as("blob of the bytes sent").isNull();
            assertThat(TestS3.blob(sha256Hex(announced))).as("blob at the announced digest").isNull();
        }
    }

    @Test
    void theSameBytesAreStoredOnce() {
        String model = createModel("dedupe");
        byte[] bytes = randomBytes(3000);
        int first = createDraft(model);
        int second = createDraft(model);
        upload(model, first, bytes);
        var stored = TestS3.blob(sha256Hex(bytes));

        given().contentType("application/octet-stream").body(bytes)
                .when().put(ARTIFACT, model, second)
                .then().statusCode(200).body("artifact.sha256", equalTo(sha256Hex(bytes)));
        var after = TestS3.blob(sha256Hex(bytes));
        assertThat(after.lastModified()).isEqualTo(stored.lastModified());
        assertThat(after.etag()).isEqualTo(stored.etag());
    }

    @Test
    void aFinalisedArtifactCanNotBeReplaced() {
        String model = createModel("replace");
        int version = createDraft(model);
        upload(model, version, randomBytes(100));
        given().contentType("application/octet-stream").body(randomBytes(100))
                .when().put(ARTIFACT, model, version)
                .then().statusCode(409)
                .body("type", equalTo("urn:flywheel:problem:version-finalised"))
                .body("detail", containsString("its artifact can't change"));
    }

    @Test
    void badUploadsAndReadsAreProblems() {
        String model = createModel("bad-upload");
        int version = createDraft(model);
        given().contentType("application/octet-stream").body(new byte[0])
                .when().put(ARTIFACT, model, version)
                .then().statusCode(400).body("detail", containsString("empty"));
        given().contentType("application/octet-stream").header("Digest", "sha-256=abc").body(randomBytes(10))
                .when().put(ARTIFACT, model, version)
                .then().statusCode(400).body("type", equalTo("urn:flywheel:problem:invalid-request"));
        given().when().get(ARTIFACT, model, version)
                .then().statusCode(409).body("type", equalTo("urn:flywheel:problem:version-not-ready"));
        given().contentType("application/octet-stream").body(randomBytes(10))
                .when().put(ARTIFACT, model, 99)
                .then().statusCode(404);
    }
}
