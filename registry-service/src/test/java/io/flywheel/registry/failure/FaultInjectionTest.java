package io.flywheel.registry.failure;

import io.flywheel.internalauth.TestCallers;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;

import static io.flywheel.registry.Fixtures.createDataset;
import static io.flywheel.registry.Fixtures.createDraft;
import static io.flywheel.registry.Fixtures.createModel;
import static io.flywheel.registry.Fixtures.randomBytes;
import static io.flywheel.registry.Fixtures.unique;
import static io.flywheel.registry.Fixtures.upload;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/**
 * PostgreSQL or S3 going away (cut at a TCP forwarder; the real servers keep running): callers get
 * a 503 problem with Retry-After, nothing is half-registered, readiness goes DOWN, and the service
 * recovers on its own once they are back.
 */
@QuarkusTest
@TestProfile(FaultInjection.class)
class FaultInjectionTest {

    private static final String ARTIFACT = "/api/v1/models/{name}/versions/{v}/artifact";
    private static final String VERSION = "/api/v1/models/{name}/versions/{v}";

    @FaultInjection.InjectFaults
    FaultInjection.Faults faults;

    @Inject
    AgroalDataSource database;

    @io.quarkus.test.common.http.TestHTTPResource("/")
    URI base;

    @AfterEach
    void bringEverythingBack() throws IOException {
        faults.postgres().restore();
        faults.s3().restore();
        awaitReady();
    }

    private static void awaitReady() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> given().when().get("/q/health/ready").statusCode() == 200);
    }

    private static void assertNotReady(String check) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                given().when().get("/q/health/ready")
                        .then().statusCode(503)
                        .body("status", equalTo("DOWN"))
                        .body("checks.findAll { it.status == 'DOWN' }.name", hasItem(check)));
    }

    @Test
    void postgresDownIsA503WithRetryAfterAndTheServiceRecoversOnItsOwn() throws IOException {
        faults.postgres().cut();

        given().contentType(ContentType.JSON).body("{\"name\":\"" + unique("pg-down") + "\"}")
                .when().post("/api/v1/models")
                .then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("type", equalTo("urn:flywheel:problem:database-unavailable"));
        given().when().get("/api/v1/models").then().statusCode(503).header("Retry-After", notNullValue());
        assertNotReady("PostgreSQL");

        faults.postgres().restore();
        awaitReady();
        createModel("pg-back");
    }

    @Test
    void s3DownIsA503AndTheVersionStaysADraft() throws Exception {
        String model = createModel("s3-down");
        int version = createDraft(model);
        faults.s3().cut();

        given().contentType("application/octet-stream").body(randomBytes(2048))
                .when().put(ARTIFACT, model, version)
                .then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("type", equalTo("urn:flywheel:problem:storage-unavailable"));
        assertNotReady("S3 object store");

        faults.s3().restore();
        awaitReady();
        given().when().get(VERSION, model, version)
                .then().statusCode(200).body("status", equalTo("draft")).body("artifact", nullValue());
        assertThat(registeredEvents(model)).isZero();
        upload(model, version, randomBytes(2048));
        assertThat(registeredEvents(model)).isEqualTo(1);
    }

    @Test
    void s3LostInTheMiddleOfAMultipartUploadRegistersNothing() throws Exception {
        String model = createModel("s3-mid");
        int version = createDraft(model);
        byte[] bytes = randomBytes(12 * 1024 * 1024);

        HttpResponse<String> response = putStreaming(ARTIFACT, model, version, bytes, 7 * 1024 * 1024, () -> faults.s3().cut());
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).isPresent();

        faults.s3().restore();
        awaitReady();
        given().when().get(VERSION, model, version).then().body("status", equalTo("draft"));
        assertThat(registeredEvents(model)).isZero();
    }

    @Test
    void postgresLostWhileTheBytesStreamLeavesTheVersionADraft() throws Exception {
        String model = createModel("pg-mid");
        int version = createDraft(model);
        byte[] bytes = randomBytes(6 * 1024 * 1024);

        // the draft is checked before the bytes flow; the database goes away while they do
        HttpResponse<String> response = putStreaming(ARTIFACT, model, version, bytes, 3 * 1024 * 1024, () -> faults.postgres().cut());
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("urn:flywheel:problem:database-unavailable");

        faults.postgres().restore();
        awaitReady();
        given().when().get(VERSION, model, version).then().body("status", equalTo("draft")).body("artifact", nullValue());
        assertThat(registeredEvents(model)).isZero();

        // the retry finds its bytes already stored (content-addressed) and finalises the version once
        upload(model, version, bytes);
        given().when().get(VERSION, model, version).then().body("status", equalTo("ready"));
        assertThat(registeredEvents(model)).isEqualTo(1);
    }

    @Test
    void aDatasetUploadWithS3DownRegistersNothing() throws Exception {
        String dataset = createDataset("s3-down-data");
        faults.s3().cut();
        given().contentType("text/csv").body("a,b\n1,2\n")
                .when().put("/api/v1/datasets/{name}/versions", dataset)
                .then().statusCode(503).header("Retry-After", notNullValue());
        faults.s3().restore();
        awaitReady();
        given().when().get("/api/v1/datasets/{name}/versions", dataset).then().body("items.size()", equalTo(0));
    }

    /** PUTs bytes as a stream, running {@code fault} once {@code faultAt} bytes have been sent. */
    private HttpResponse<String> putStreaming(String path, String model, int version, byte[] bytes, int faultAt, Runnable fault)
            throws Exception {
        URI uri = base.resolve(path.replace("{name}", model).replace("{v}", String.valueOf(version)).substring(1));
        HttpRequest request = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/octet-stream")
                .header("Authorization", TestCallers.bearer("tests"))
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new FaultingStream(bytes, faultAt, fault)))
                .build();
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    /** Serves bytes and runs the fault once, when the reader passes the given offset. */
    private static final class FaultingStream extends InputStream {
        private final ByteArrayInputStream bytes;
        private final int faultAt;
        private final Runnable fault;
        private int sent;
        private boolean faulted;

        FaultingStream(byte[] bytes, int faultAt, Runnable fault) {
            this.bytes = new ByteArrayInputStream(bytes);
            this.faultAt = faultAt;
            this.fault = fault;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (!faulted && sent >= faultAt) {
                faulted = true;
                fault.run();
            }
            int n = bytes.read(buffer, offset, Math.min(length, 64 * 1024));
            if (n > 0) {
                sent += n;
            }
            return n;
        }
    }

    private long registeredEvents(String model) throws Exception {
        try (Connection connection = database.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "select count(*) from registry.outbox_event where event_key = ? and type = 'io.flywheel.registry.model-version.registered.v1'")) {
            query.setString(1, model);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
