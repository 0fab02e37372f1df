package io.flywheel.registry;

import io.restassured.http.ContentType;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Small helpers the registry's tests share: unique names, test bytes and the few calls most tests start with. */
public final class Fixtures {

    private Fixtures() {
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new SplittableRandom().nextBytes(bytes);
        return bytes;
    }

    public static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256(bytes));
    }

    public static String digestHeader(byte[] bytes) {
        return "sha-256=" + Base64.getEncoder().encodeToString(sha256(bytes));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String createModel(String prefix) {
        String name = unique(prefix);
        given().contentType(ContentType.JSON).body("{\"name\":\"" + name + "\"}")
                .when().post("/api/v1/models").then().statusCode(201);
        return name;
    }

    /** A minimal valid version body. */
    public static String versionBody() {
        return """
                {"description": "a draft", "framework": "flywheel-linear", "format": "json",
                 "signature": {"inputs": [{"name": "age", "type": "number"}], "output": {"name": "churn", "type": "number"}},
                 "metrics": {"auc": 0.81}, "params": {"l2": 1.0}, "tags": {"k": "v"}}""";
    }

    public static int createDraft(String model) {
        return createDraft(model, versionBody());
    }

    public static int createDraft(String model, String body) {
        return given().contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/models/{name}/versions", model)
                .then().statusCode(201)
                .extract().path("version");
    }

    /** Uploads bytes as the version's artifact, finalising it. */
    public static void upload(String model, int version, byte[] bytes) {
        given().contentType("application/octet-stream").body(bytes)
                .when().put("/api/v1/models/{name}/versions/{v}/artifact", model, version)
                .then().statusCode(200);
    }

    /** A model with one ready version (number 1); returns the model's name. */
    public static String modelWithReadyVersion(String prefix) {
        String model = createModel(prefix);
        int version = createDraft(model);
        upload(model, version, randomBytes(1024));
        return model;
    }

    public static String createDataset(String prefix) {
        String name = unique(prefix);
        given().contentType(ContentType.JSON).body("{\"name\":\"" + name + "\"}")
                .when().post("/api/v1/datasets").then().statusCode(201);
        return name;
    }

    /** Registers CSV content as a version of the dataset; returns its id. */
    public static String uploadCsv(String dataset, String csv) {
        return given().contentType("text/csv").body(csv)
                .when().put("/api/v1/datasets/{name}/versions", dataset)
                .then().statusCode(201)
                .extract().path("id");
    }
}
