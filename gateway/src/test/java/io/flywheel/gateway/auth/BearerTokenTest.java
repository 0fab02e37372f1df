package io.flywheel.gateway.auth;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static io.restassured.RestAssured.given;

/** Bearer JWTs signed by the configured issuer's key (an OIDC provider's, in production); roles from "groups". */
@QuarkusTest
class BearerTokenTest {

    private static String token(String issuer, String... groups) {
        return Jwt.issuer(issuer).upn("alice@example.com").groups(Set.of(groups)).expiresIn(300).sign();
    }

    @Test
    void aViewerTokenReadsButDoesNotWrite() {
        String token = token("https://idp.test/flywheel", "viewer");
        given().auth().oauth2(token).when().get("/api/v1/system/ready").then().statusCode(org.hamcrest.Matchers.not(401));
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"name\":\"from-token\"}")
                .when().post("/api/v1/models").then().statusCode(403).contentType("application/problem+json");
    }

    @Test
    void aTokenFromAnotherIssuerIsRefused() {
        given().auth().oauth2(token("https://evil.test", "admin"))
                .when().get("/api/v1/models").then().statusCode(401);
    }
}
