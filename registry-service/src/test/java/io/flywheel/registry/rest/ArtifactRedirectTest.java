package io.flywheel.registry.rest;

import io.flywheel.internalauth.InternalToken;
import io.flywheel.internalauth.TestCallers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;

import static io.flywheel.registry.Fixtures.createDraft;
import static io.flywheel.registry.Fixtures.createModel;
import static io.flywheel.registry.Fixtures.digestHeader;
import static io.flywheel.registry.Fixtures.randomBytes;
import static io.flywheel.registry.Fixtures.sha256Hex;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

/**
 * Large downloads handed to S3: a client's GET (a call the gateway signed) of an artifact of at least
 * registry.artifacts.redirect-above bytes (1 MiB in tests) is a 307 to a presigned URL that serves the
 * same bytes to anyone, without Flywheel credentials. Everything else is relayed as before.
 */
@QuarkusTest
class ArtifactRedirectTest {

    private static final String ARTIFACT = "/api/v1/models/{name}/versions/{v}/artifact";
    private static final int LARGE = 2 * 1024 * 1024 + 3;
    private static final InternalToken TOKENS = new InternalToken(TestCallers.secret());
    private static final HttpClient S3_CLIENT = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    /** A call as the gateway makes it for a client: redirected by default once the artifact is large. */
    private static RequestSpecification client() {
        return given().redirects().follow(false)
                .header("Authorization", "Bearer " + TOKENS.sign("alice", "gateway", Duration.ofMinutes(1)));
    }

    /** A call as another Flywheel service (or these tests) makes it: the token signed by itself. */
    private static RequestSpecification service() {
        return given().redirects().follow(false);
    }

    private static String ready(byte[] bytes, String contentType) {
        String model = createModel("redirect");
        int version = createDraft(model);
        given().contentType(contentType).body(bytes).when().put(ARTIFACT, model, version).then().statusCode(200);
        return model;
    }

    /** GETs the URL as anyone would: no Authorization, no API key. */
    private static HttpResponse<byte[]> fetch(String url, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return S3_CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aClientsSmallDownloadIsRelayedAsBefore() {
        byte[] bytes = randomBytes(5000);
        String model = ready(bytes, "application/json");

        Response download = client().when().get(ARTIFACT, model, 1);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.header("Location")).isNull();
        assertThat(download.asByteArray()).isEqualTo(bytes);
    }

    @Test
    void aClientsLargeDownloadIsA307ToS3WhichServesTheExactBytesWithoutCredentials() throws Exception {
        byte[] bytes = randomBytes(LARGE);
        String model = ready(bytes, "application/x-model");

        Response redirect = client().when().get(ARTIFACT, model, 1);
        assertThat(redirect.statusCode()).isEqualTo(307);
        assertThat(redirect.header("Cache-Control")).isEqualTo("no-store");
        assertThat(redirect.header("ETag")).isEqualTo("\"" + sha256Hex(bytes) + "\"");
        assertThat(redirect.header("Digest")).isEqualTo(digestHeader(bytes));
        String location = redirect.header("Location");
        // signed for the address clients reach S3 at (flywheel.s3.public-endpoint, else the endpoint)
        assertThat(location).startsWith(ConfigProvider.getConfig().getValue("flywheel.s3.endpoint", String.class) + "/");
        assertThat(location).contains("X-Amz-Expires=300");

        HttpResponse<byte[]> fetched = fetch(location);
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(sha256Hex(fetched.body())).isEqualTo(sha256Hex(bytes));
        assertThat(fetched.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/x-model");
        assertThat(fetched.headers().firstValue("Content-Disposition").orElseThrow())
                .isEqualTo("attachment; filename=\"" + model + "-v1\"");

        // a client that follows it with a Range gets the range from S3
        HttpResponse<byte[]> part = fetch(location, "Range", "bytes=1000-1999");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(bytes, 1000, 2000));
    }

    @Test
    void redirectFalseAlwaysRelays() {
        byte[] bytes = randomBytes(LARGE);
        String model = ready(bytes, "application/octet-stream");

        Response download = client().queryParam("redirect", false).when().get(ARTIFACT, model, 1);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.header("Location")).isNull();
        assertThat(download.header("Content-Length")).isEqualTo(String.valueOf(LARGE));
        assertThat(sha256Hex(download.asByteArray())).isEqualTo(sha256Hex(bytes));
    }

    @Test
    void redirectTrueRedirectsWhateverTheSizeAndTheCaller() throws Exception {
        byte[] bytes = randomBytes(100);
        String model = ready(bytes, "application/json");

        String location = service().queryParam("redirect", true).when().get(ARTIFACT, model, 1)
                .then().statusCode(307).header("Cache-Control", "no-store")
                .extract().header("Location");
        assertThat(fetch(location).body()).isEqualTo(bytes);
    }

    @Test
    void flywheelServicesGetTheBytesOfALargeArtifactUnlessTheyAsk() {
        // their REST clients don't follow redirects (and would carry their internal token to S3)
        byte[] bytes = randomBytes(LARGE);
        String model = ready(bytes, "application/octet-stream");

        Response download = service().when().get(ARTIFACT, model, 1);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(sha256Hex(download.asByteArray())).isEqualTo(sha256Hex(bytes));
    }

    @Test
    void conditionalsHeadAndIfRangeOfALargeArtifactStayWithTheRegistry() {
        byte[] bytes = randomBytes(LARGE);
        String model = ready(bytes, "application/octet-stream");
        String etag = "\"" + sha256Hex(bytes) + "\"";

        client().header("If-None-Match", etag).when().get(ARTIFACT, model, 1)
                .then().statusCode(304).header("ETag", etag).header("Location", nullValue());
        // If-Range names our ETag, which S3 does not know: the registry sends the range itself
        Response part = client().header("Range", "bytes=10-19").header("If-Range", etag).when().get(ARTIFACT, model, 1);
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.asByteArray()).isEqualTo(Arrays.copyOfRange(bytes, 10, 20));
        // a plain Range is redirected: S3 honours it
        client().header("Range", "bytes=10-19").when().get(ARTIFACT, model, 1).then().statusCode(307);
        // HEAD answers the relay's headers: a presigned URL is signed for GET only
        client().when().head(ARTIFACT, model, 1)
                .then().statusCode(200)
                .header("Content-Length", String.valueOf(LARGE))
                .header("ETag", etag)
                .header("Location", nullValue());
    }

    @Test
    void aRedirectValueOtherThanTrueOrFalseIsAProblem() {
        String model = ready(randomBytes(100), "application/json");
        client().queryParam("redirect", "yes").when().get(ARTIFACT, model, 1)
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:flywheel:problem:invalid-request"))
                .body("violations.field", hasItem("redirect"))
                .body("violations.in", hasItem("query"))
                .body("violations.message", hasItem("redirect must be true or false"));
    }
}
