package io.flywheel.gateway.llm;

import com.google.protobuf.ByteString;
import io.flywheel.events.ObservationUpserted;
import io.flywheel.events.TraceUpserted;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

import static io.flywheel.gateway.TestAuth.asAdmin;
import static io.flywheel.gateway.llm.TraceRecords.header;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/** OTLP/HTTP trace exports: JSON, protobuf and gzip on both routes, answered 200 with ExportTraceServiceResponse, records on Kafka. */
@QuarkusTest
class OtlpTest {

    private static String hex(int bytes) {
        byte[] value = new byte[bytes];
        new java.util.Random().nextBytes(value);
        value[0] |= 1; // never all zeros
        return HexFormat.of().formatHex(value);
    }

    /** What the JS exporter sends: hex ids, nanos as strings, intValue as a number. */
    private static String jsonExport(String traceId, String rootId, String childId) {
        long start = System.currentTimeMillis() * 1_000_000L;
        return """
                {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"otlp-test"}}]},
                 "scopeSpans":[{"scope":{"name":"langfuse-sdk","version":"5.11.1"},"spans":[
                  {"traceId":"%1$s","spanId":"%3$s","parentSpanId":"%2$s","name":"chat gpt-4o","kind":1,
                   "startTimeUnixNano":"%4$d","endTimeUnixNano":"%5$d",
                   "attributes":[{"key":"langfuse.observation.type","value":{"stringValue":"generation"}},
                                 {"key":"gen_ai.request.model","value":{"stringValue":"gpt-4o"}},
                                 {"key":"gen_ai.usage.input_tokens","value":{"intValue":12}},
                                 {"key":"gen_ai.usage.output_tokens","value":{"intValue":8}},
                                 {"key":"user.id","value":{"stringValue":"u-1"}}],
                   "status":{"code":0},"flags":257},
                  {"traceId":"%1$s","spanId":"%2$s","name":"handle-request","kind":1,
                   "startTimeUnixNano":"%4$d","endTimeUnixNano":"%5$d",
                   "attributes":[{"key":"langfuse.trace.name","value":{"stringValue":"support-chat"}}],"status":{}}]}]}]}
                """.formatted(traceId, rootId, childId, start, start + 5_000_000);
    }

    private static ExportTraceServiceRequest protobufExport(String traceId, String spanId) {
        long start = System.currentTimeMillis() * 1_000_000L;
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(attribute("service.name", "otlp-proto-test")))
                .addScopeSpans(ScopeSpans.newBuilder()
                        .setScope(InstrumentationScope.newBuilder().setName("opentelemetry.instrumentation.openai"))
                        .addSpans(Span.newBuilder()
                                .setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(traceId)))
                                .setSpanId(ByteString.copyFrom(HexFormat.of().parseHex(spanId)))
                                .setName("chat")
                                .setStartTimeUnixNano(start).setEndTimeUnixNano(start + 1_000_000)
                                .addAttributes(attribute("gen_ai.operation.name", "chat"))
                                .addAttributes(attribute("gen_ai.request.model", "gpt-4o-mini"))))).build();
    }

    private static KeyValue attribute(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static byte[] gzip(byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(body);
        }
        return out.toByteArray();
    }

    @Test
    void jsonAsTheJavaScriptExporterSendsItChunked() throws Exception {
        LlmTestProjects.Project project = LlmTestProjects.create("otlp-json");
        String traceId = hex(16);
        String rootId = hex(8);
        String childId = hex(8);
        try (TraceRecords records = new TraceRecords()) {
            var answer = Chunked.post("/api/public/otel/v1/traces", project.basic(), "application/json",
                    jsonExport(traceId, rootId, childId).getBytes(StandardCharsets.UTF_8));
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(answer.body()).isEqualTo("{}");

            await().atMost(Duration.ofSeconds(30)).until(() -> records.of(project.id(), ObservationUpserted.TYPE).size() == 2
                    && !records.of(project.id(), TraceUpserted.TYPE).isEmpty());
            var observations = records.of(project.id(), ObservationUpserted.TYPE);
            assertThat(observations).allSatisfy(r -> assertThat(r.key()).isEqualTo(project.id() + "/" + traceId));
            assertThat(observations).anySatisfy(r -> assertThat(r.value()).contains(childId).contains("GENERATION").contains("gpt-4o"));
            var trace = records.of(project.id(), TraceUpserted.TYPE).getFirst();
            assertThat(trace.key()).isEqualTo(project.id() + "/" + traceId);
            assertThat(header(trace, "ce_type")).isEqualTo(TraceUpserted.TYPE);
        }
    }

    @Test
    void protobufIsAnsweredInProtobufOnBothRoutes() throws Exception {
        LlmTestProjects.Project project = LlmTestProjects.create("otlp-proto");
        String traceId = hex(16);
        try (TraceRecords records = new TraceRecords()) {
            for (String route : new String[]{"/v1/traces", "/api/public/otel/v1/traces"}) {
                byte[] answer = project.given().contentType("application/x-protobuf").body(protobufExport(traceId, hex(8)).toByteArray())
                        .when().post(route)
                        .then().statusCode(200)
                        .contentType("application/x-protobuf")
                        .extract().asByteArray();
                assertThat(ExportTraceServiceResponse.parseFrom(answer).hasPartialSuccess()).isFalse();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> records.of(project.id(), ObservationUpserted.TYPE).size() == 2);
            assertThat(records.of(project.id(), ObservationUpserted.TYPE))
                    .allSatisfy(r -> assertThat(r.key()).isEqualTo(project.id() + "/" + traceId))
                    .allSatisfy(r -> assertThat(r.value()).contains("gpt-4o-mini"));
        }
    }

    @Test
    void gzipBodiesAreInflated() throws Exception {
        LlmTestProjects.Project project = LlmTestProjects.create("otlp-gzip");
        String traceId = hex(16);
        try (TraceRecords records = new TraceRecords()) {
            project.given().contentType("application/json").header("Content-Encoding", "gzip")
                    .body(gzip(jsonExport(traceId, hex(8), hex(8)).getBytes(StandardCharsets.UTF_8)))
                    .when().post("/v1/traces")
                    .then().statusCode(200).body(equalTo("{}"));
            project.given().contentType("application/x-protobuf").header("Content-Encoding", "gzip")
                    .body(gzip(protobufExport(traceId, hex(8)).toByteArray()))
                    .when().post("/v1/traces")
                    .then().statusCode(200);
            await().atMost(Duration.ofSeconds(30)).until(() -> records.of(project.id(), ObservationUpserted.TYPE).size() == 3);
        }
        project.given().contentType("application/json").header("Content-Encoding", "gzip").body("not gzip")
                .when().post("/v1/traces")
                .then().statusCode(400).contentType("application/json").body("message", containsString("gzip"));
    }

    @Test
    void anEmptyExportIs200() {
        LlmTestProjects.Project project = LlmTestProjects.create("otlp-empty");
        project.given().contentType("application/json").body("{\"resourceSpans\":[]}")
                .when().post("/api/public/otel/v1/traces")
                .then().statusCode(200).body(equalTo("{}"));
        project.given().contentType("application/x-protobuf").body(new byte[0])
                .when().post("/v1/traces")
                .then().statusCode(200).contentType("application/x-protobuf");
    }

    @Test
    void otherContentTypesAndUnreadableBodiesAre400() {
        LlmTestProjects.Project project = LlmTestProjects.create("otlp-bad");
        project.given().contentType("text/plain").body("{\"resourceSpans\":[]}")
                .when().post("/v1/traces")
                .then().statusCode(400).contentType("application/json")
                .body("error", equalTo("Invalid content type")).body("message", notNullValue());
        project.given().body(new byte[]{1, 2, 3}).header("Content-Type", "application/octet-stream")
                .when().post("/api/public/otel/v1/traces")
                .then().statusCode(400).body("error", equalTo("Invalid content type"));
        project.given().contentType("application/json").body("this is not OTLP")
                .when().post("/v1/traces")
                .then().statusCode(400).contentType("application/json").body("message", notNullValue());
        project.given().contentType("application/json").header("Content-Encoding", "br").body("{}")
                .when().post("/v1/traces")
                .then().statusCode(400);
    }

    @Test
    void onlyAKeyPairMayExport() {
        given().contentType("application/json").body("{\"resourceSpans\":[]}")
                .when().post("/v1/traces")
                .then().statusCode(401).contentType("application/json").body("message", notNullValue());
        asAdmin().contentType("application/json").body("{\"resourceSpans\":[]}")
                .when().post("/api/public/otel/v1/traces")
                .then().statusCode(403).contentType("application/json");
    }

    @Test
    void exportsOver16MiBAre413() throws Exception {
        LlmTestProjects.Project project = LlmTestProjects.create("otlp-big");
        int limit = 16 * 1024 * 1024;
        // announced: refused before a byte of the body is read
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", io.restassured.RestAssured.port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /v1/traces HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + project.basic()
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + (limit + 1) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            assertThat(status).startsWith("HTTP/1.1 413");
        }
        // chunked, as the JavaScript exporter sends: cut off over the limit, read whole (and not OTLP) at it
        byte[] big = new byte[limit + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        assertThat(Chunked.post("/v1/traces", project.basic(), "application/json", big).statusCode()).isEqualTo(413);
        assertThat(Chunked.post("/v1/traces", project.basic(), "application/json", java.util.Arrays.copyOf(big, limit)).statusCode())
                .isEqualTo(400);
    }

    @Test
    void aTraceIdIsScopedToItsProject() {
        // two projects may use the same trace id: their records have different keys
        LlmTestProjects.Project a = LlmTestProjects.create("otlp-a");
        LlmTestProjects.Project b = LlmTestProjects.create("otlp-b");
        String traceId = hex(16);
        try (TraceRecords records = new TraceRecords()) {
            for (LlmTestProjects.Project p : new LlmTestProjects.Project[]{a, b}) {
                p.given().contentType("application/x-protobuf").body(protobufExport(traceId, hex(8)).toByteArray())
                        .when().post("/v1/traces").then().statusCode(200);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> records.of(a.id(), ObservationUpserted.TYPE).size() == 1
                    && records.of(b.id(), ObservationUpserted.TYPE).size() == 1);
            assertThat(records.of(a.id(), ObservationUpserted.TYPE).getFirst().value()).contains("\"project\":\"" + a.id() + "\"");
        }
    }
}
