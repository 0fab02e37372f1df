package io.flywheel.registry.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.registry.TestS3;
import io.flywheel.registry.onnx.OnnxFiles;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.flywheel.registry.Fixtures.createDraft;
import static io.flywheel.registry.Fixtures.createModel;
import static io.flywheel.registry.Fixtures.digestHeader;
import static io.flywheel.registry.Fixtures.sha256Hex;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/** ONNX uploads through the API, against the real PostgreSQL and S3 of the test stack. */
@QuarkusTest
class OnnxUploadTest {

    private static final String ARTIFACT = "/api/v1/models/{name}/versions/{v}/artifact";
    private static final String VERSION = "/api/v1/models/{name}/versions/{v}";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> V2 = Map.of("float", "FP32", "double", "FP64", "int64", "INT64",
            "int32", "INT32", "bool", "BOOL", "string", "BYTES");

    private static JsonNode expected(String name) {
        try {
            return JSON.readTree(OnnxFiles.resource(name + ".expected.json"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonPath putOnnx(String model, int version, byte[] bytes, int status) {
        return given().contentType("application/octet-stream").body(bytes)
                .when().put(ARTIFACT, model, version)
                .then().statusCode(status).extract().jsonPath();
    }

    /** The declared graph of an .expected.json (made by python onnx) as the registry's summary shows it. */
    private static List<Map<String, Object>> declared(JsonNode values, JsonNode classes) {
        List<Map<String, Object>> out = new ArrayList<>();
        values.properties().forEach(entry -> {
            JsonNode value = entry.getValue();
            Map<String, Object> shown = new LinkedHashMap<>();
            shown.put("name", entry.getKey());
            if (value.get("kind").asText().equals("tensor")) {
                shown.put("datatype", V2.get(value.get("type").asText()));
                List<Integer> shape = new ArrayList<>();
                value.get("shape").forEach(dim -> shape.add(dim.isInt() ? dim.asInt() : -1));
                shown.put("shape", shape);
            } else { // a ZipMap: sequence of maps, shown as [n, classes] with the classes as labels
                shown.put("datatype", V2.get(value.get("element").get("value").get("type").asText()));
                shown.put("shape", List.of(-1, classes.size()));
                List<String> labels = new ArrayList<>();
                classes.forEach(c -> labels.add(c.asText()));
                shown.put("labels", labels);
            }
            out.add(shown);
        });
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"breast_cancer_logreg", "typed_inputs", "credit_torch_mlp", "bench_trees20"})
    void eachFrameworkModelIsStoredWithTheGraphItDeclares(String name) {
        JsonNode expected = expected(name);
        byte[] bytes = OnnxFiles.resource(name + ".onnx");
        String model = createModel("onnx-" + name.replace('_', '-'));
        int version = createDraft(model, "{\"format\": \"onnx\", \"framework\": \"" + expected.get("framework").asText().split(" ")[0] + "\"}");

        JsonPath stored = putOnnx(model, version, bytes, 200);

        assertThat(stored.getString("status")).isEqualTo("ready");
        assertThat(stored.getString("format")).isEqualTo("onnx");
        assertThat(stored.getString("artifact.sha256")).isEqualTo(expected.get("file_sha256").asText());
        assertThat(stored.getLong("onnx.ir_version")).isEqualTo(expected.get("ir_version").asLong());
        assertThat(stored.getString("onnx.producer")).isEqualTo(expected.get("producer_name").asText());
        Map<String, Integer> opsets = new HashMap<>();
        expected.get("opset_imports").properties().forEach(e -> opsets.put(e.getKey(), e.getValue().asInt()));
        assertThat(stored.getMap("onnx.opsets")).isEqualTo(opsets);
        assertThat(stored.getList("onnx.inputs")).isEqualTo(declared(expected.get("graph_inputs"), null));
        assertThat(stored.getList("onnx.outputs")).isEqualTo(declared(expected.get("graph_outputs"), expected.get("classes")));
        assertThat(stored.getString("endpoint")).isNull();

        // the signature was filled from the graph: features per the contract's two rules, output = first output
        JsonNode inputs = expected.get("graph_inputs");
        String firstOutput = expected.get("graph_outputs").properties().iterator().next().getKey();
        assertThat(stored.getString("signature.output.name")).isEqualTo(firstOutput);
        if (inputs.size() == 1) {
            String input = inputs.properties().iterator().next().getKey();
            int width = inputs.get(input).get("shape").get(1).asInt();
            assertThat(stored.getList("signature.inputs.name")).hasSize(width).startsWith(input + "_0").endsWith(input + "_" + (width - 1));
            assertThat(stored.getList("signature.inputs.type")).containsOnly("number");
        } else {
            List<String> names = new ArrayList<>();
            inputs.fieldNames().forEachRemaining(names::add);
            assertThat(stored.getList("signature.inputs.name", String.class)).containsExactlyElementsOf(names);
        }

        // what GET returns is what the upload answered, and the bytes are the file's
        given().when().get(VERSION, model, version).then().statusCode(200)
                .body("onnx.ir_version", equalTo(expected.get("ir_version").asInt()));
        assertThat(given().when().get(ARTIFACT, model, version).asByteArray()).isEqualTo(bytes);
    }

    @Test
    void aTensorPerFeatureModelIsTypedFromItsGraph() {
        String model = createModel("onnx-typed");
        int version = createDraft(model, "{\"format\": \"onnx\"}");

        JsonPath stored = putOnnx(model, version, OnnxFiles.resource("typed_inputs.onnx"), 200);

        assertThat(stored.getList("signature.inputs.name")).containsExactly("amount", "count", "flag", "country");
        assertThat(stored.getList("signature.inputs.type")).containsExactly("number", "integer", "boolean", "string");
        assertThat(stored.getString("signature.output.name")).isEqualTo("score");
        assertThat(stored.getString("signature.output.type")).isEqualTo("number");
    }

    @Test
    void aMatrixModelKeepsTheFeatureNamesItWasRegisteredWith() {
        JsonNode expected = expected("breast_cancer_logreg");
        List<String> features = new ArrayList<>();
        expected.get("feature_names").forEach(n -> features.add(n.asText()));
        String model = createModel("onnx-named");
        int version = createDraft(model, signatureBody(features, "output_label", "integer"));

        JsonPath stored = putOnnx(model, version, OnnxFiles.resource("breast_cancer_logreg.onnx"), 200);

        assertThat(stored.getList("signature.inputs.name")).isEqualTo(features);
        assertThat(stored.getString("signature.output.name")).isEqualTo("output_label");
    }

    @Test
    void aTensorPerFeatureModelKeepsItsSignatureInTheGivenOrder() {
        String model = createModel("onnx-typed-order");
        int version = createDraft(model, """
                {"format": "onnx", "signature": {"inputs": [{"name": "country", "type": "string"},
                 {"name": "flag", "type": "boolean"}, {"name": "count", "type": "integer"}, {"name": "amount", "type": "number"}],
                 "output": {"name": "score", "type": "number"}}}""");

        JsonPath stored = putOnnx(model, version, OnnxFiles.resource("typed_inputs.onnx"), 200);

        assertThat(stored.getList("signature.inputs.name")).containsExactly("country", "flag", "count", "amount");
    }

    private static String signatureBody(List<String> features, String output, String outputType) {
        StringBuilder inputs = new StringBuilder();
        for (String feature : features) {
            inputs.append(inputs.isEmpty() ? "" : ", ").append("{\"name\": \"").append(feature).append("\", \"type\": \"number\"}");
        }
        return "{\"format\": \"onnx\", \"signature\": {\"inputs\": [" + inputs + "], \"output\": {\"name\": \"" + output
                + "\", \"type\": \"" + outputType + "\"}}}";
    }

    /** A refused upload: 422 invalid-model saying why, the version still a draft, no artifact, the blob not in S3. */
    private static void assertRefused(String model, int version, byte[] bytes, String detail) {
        // a real model may be in the bucket already (stored once per content, by another test that uploaded it)
        var before = TestS3.blob(sha256Hex(bytes));
        given().contentType("application/octet-stream").body(bytes)
                .when().put(ARTIFACT, model, version)
                .then().statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:flywheel:problem:invalid-model"))
                .body("detail", containsString(detail));
        given().when().get(VERSION, model, version).then().statusCode(200)
                .body("status", equalTo("draft"))
                .body("artifact", nullValue())
                .body("onnx", nullValue());
        given().when().get(ARTIFACT, model, version).then().statusCode(409)
                .body("type", equalTo("urn:flywheel:problem:version-not-ready"));
        var after = TestS3.blob(sha256Hex(bytes));
        if (before == null) {
            assertThat(after).isNull();
        } else {
            assertThat(after.lastModified()).isEqualTo(before.lastModified()); // not written again
        }
    }

    @Test
    void aSignatureThatDoesNotFitIsRefusedAndNothingIsStored() {
        List<String> features = new ArrayList<>();
        for (int i = 0; i < 29; i++) {
            features.add("f" + i);
        }
        String model = createModel("onnx-misfit");
        int matrix = createDraft(model, signatureBody(features, "output_label", "integer"));
        assertRefused(model, matrix, OnnxFiles.resource("breast_cancer_logreg.onnx"),
                "the signature does not fit the ONNX graph: its input 'float_input' (tensor(float)[?,30]) takes 30 features per row, the signature names 29");

        int perFeature = createDraft(model, """
                {"format": "onnx", "signature": {"inputs": [{"name": "amount", "type": "number"}, {"name": "count", "type": "number"},
                 {"name": "flag", "type": "boolean"}, {"name": "country", "type": "string"}], "output": {"name": "score", "type": "number"}}}""");
        assertRefused(model, perFeature, OnnxFiles.resource("typed_inputs.onnx"), "feature 'count' is typed number");

        int wrongOutput = createDraft(model, signatureBody(features.subList(0, 20), "churn", "number"));
        assertRefused(model, wrongOutput, OnnxFiles.resource("bench_trees20.onnx"),
                "signature.output is 'churn', but the graph's first output, which the version predicts, is 'label'");
    }

    @Test
    void aFileThatIsNotOnnxIsRefused() {
        String model = createModel("onnx-json");
        int version = createDraft(model, "{\"format\": \"onnx\"}");
        byte[] json = "{\"format\": \"flywheel-linear/v1\", \"intercept\": 0.5, \"weights\": {\"age\": 0.1}}"
                .getBytes(StandardCharsets.UTF_8);

        assertRefused(model, version, json, "not an ONNX model: ");
    }

    @Test
    void aCutFileIsRefusedAsTruncated() {
        String model = createModel("onnx-cut");
        int version = createDraft(model, "{\"format\": \"onnx\"}");
        byte[] whole = OnnxFiles.resource("bench_trees20.onnx");
        byte[] cut = Arrays.copyOf(whole, whole.length - 1000);

        assertRefused(model, version, cut, "truncated at byte " + cut.length);
    }

    @Test
    void aModelOnnxRuntimeCannotServeIsRefusedWithTheReasons() {
        String model = createModel("onnx-future");
        int irTooNew = createDraft(model, "{\"format\": \"onnx\"}");
        assertRefused(model, irTooNew, OnnxFiles.identity(99, Map.of("", 17L)),
                "ONNX Runtime 1.29.0 cannot serve this model: the file is ONNX IR version 99, ONNX Runtime 1.29.0 reads IR versions up to 13");

        int opsetTooNew = createDraft(model, "{\"format\": \"onnx\"}");
        assertRefused(model, opsetTooNew, OnnxFiles.identity(8, Map.of("", 99L)),
                "it imports operator set ai.onnx version 99, ONNX Runtime 1.29.0 implements up to version 26");
    }

    @Test
    void aRefusalWithADigestStoresNothingEither() {
        String model = createModel("onnx-digest");
        int version = createDraft(model, "{\"format\": \"onnx\"}");
        byte[] future = OnnxFiles.identity(8, Map.of("ai.onnx.ml", 9L, "", 17L));

        given().contentType("application/octet-stream").header("Digest", digestHeader(future)).body(future)
                .when().put(ARTIFACT, model, version)
                .then().statusCode(422)
                .body("type", equalTo("urn:flywheel:problem:invalid-model"))
                .body("detail", containsString("ai.onnx.ml version 9"));
        assertThat(TestS3.blob(sha256Hex(future))).isNull();
        given().when().get(VERSION, model, version).then().body("status", equalTo("draft"));
    }

    @Test
    void aRefusedDraftTakesTheRightFileAfterwards() {
        String model = createModel("onnx-retry");
        int version = createDraft(model, "{\"format\": \"onnx\"}");
        putOnnx(model, version, "not a model".getBytes(StandardCharsets.UTF_8), 422);

        putOnnx(model, version, OnnxFiles.resource("credit_torch_mlp.onnx"), 200);
        given().when().get(VERSION, model, version).then().body("status", equalTo("ready"))
                .body("onnx.producer", equalTo("pytorch"));
    }

    @Test
    void aFlywheelLinearVersionTakesItsArtifactAsBefore() {
        String model = createModel("linear");
        int version = createDraft(model, "{\"framework\": \"flywheel-linear\"}");
        given().contentType(ContentType.JSON).body("{\"intercept\": 1}").when().put(ARTIFACT, model, version)
                .then().statusCode(200)
                .body("format", equalTo("flywheel-linear"))
                .body("onnx", nullValue())
                .body("status", startsWith("ready"));
    }
}
