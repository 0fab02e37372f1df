package io.flywheel.retrain.support;

import io.restassured.http.ContentType;

import static io.restassured.RestAssured.given;

/** Retrain policies for tests, PUT through the API. */
public final class Policies {

    private Policies() {
    }

    /** Puts the policy (a JSON object) and expects it to be accepted. */
    public static void put(String model, String json) {
        given().basePath("").contentType(ContentType.JSON).body(json).put("/api/v1/retrain/policies/" + model)
                .then().statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(200), org.hamcrest.Matchers.is(201)));
    }

    /** The reference trainer on the synthetic churn data, with the given extra top-level fields (JSON members, may be empty). */
    public static String churn(String extra) {
        return """
                {%s"data": {"window": "P1D"},
                 "trainer": {"params": {"task": "binary-classification", "target": "churned"}},
                 "evaluation": {"metric": "roc_auc", "margin": 0.02}}""".formatted(extra.isEmpty() ? "" : extra + ", ");
    }
}
