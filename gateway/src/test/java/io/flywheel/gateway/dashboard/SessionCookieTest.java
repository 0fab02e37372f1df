package io.flywheel.gateway.dashboard;

import io.flywheel.gateway.TestAuth;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.RedirectConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.UUID;

import static io.flywheel.gateway.TestAuth.asAdmin;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signing in to the dashboard opens a session: the cookie holds a random session id, never the key,
 * is HttpOnly and SameSite=Strict everywhere and Secure over TLS; signing out or revoking the key ends it.
 */
@QuarkusTest
class SessionCookieTest {

    @TestHTTPResource(value = "/", tls = true)
    URL overTls;

    private static final RestAssuredConfig NO_REDIRECTS = RestAssuredConfig.config().redirect(RedirectConfig.redirectConfig().followRedirects(false));

    private static Response signIn(String key) {
        return given().config(NO_REDIRECTS).header("Accept", "text/html").formParam("key", key)
                .when().post("/dashboard/login");
    }

    @Test
    void theCookieHoldsASessionNotTheKeyAndTheSessionEndsWithSignOutOrRevocation() {
        String name = "session-" + UUID.randomUUID().toString().substring(0, 8);
        String key = TestAuth.createKey(name, "viewer");

        Response signedIn = signIn(key);
        assertThat(signedIn.statusCode()).isEqualTo(303);
        String setCookie = signedIn.header("Set-Cookie");
        String session = signedIn.getCookie("flywheel_session");
        assertThat(session).isNotBlank().isNotEqualTo(key).doesNotContain(key.substring(17));
        assertThat(setCookie).contains("HttpOnly").containsIgnoringCase("SameSite=Strict").doesNotContain("Secure");

        given().config(NO_REDIRECTS).cookie("flywheel_session", session).when().get("/dashboard").then().statusCode(200);
        given().config(NO_REDIRECTS).cookie("flywheel_session", session).when().post("/dashboard/logout").then().statusCode(303);
        given().config(NO_REDIRECTS).cookie("flywheel_session", session).when().get("/dashboard").then().statusCode(302);

        String again = signIn(key).getCookie("flywheel_session");
        given().config(NO_REDIRECTS).cookie("flywheel_session", again).when().get("/dashboard").then().statusCode(200);
        String id = key.substring(4, 16);
        asAdmin().when().delete("/api/v1/keys/{id}", id).then().statusCode(200);
        given().config(NO_REDIRECTS).cookie("flywheel_session", again).when().get("/dashboard").then().statusCode(302);
    }

    @Test
    void overTlsTheCookieIsSecure() {
        String key = TestAuth.createKey("tls-" + UUID.randomUUID().toString().substring(0, 8), "viewer");
        Response signedIn = given().config(NO_REDIRECTS).relaxedHTTPSValidation().baseUri(overTls.toString()).port(overTls.getPort())
                .header("Accept", "text/html").formParam("key", key).when().post("/dashboard/login");
        assertThat(signedIn.statusCode()).isEqualTo(303);
        assertThat(signedIn.header("Set-Cookie")).contains("HttpOnly").contains("Secure").containsIgnoringCase("SameSite=Strict");
    }

    @Test
    void aWrongKeyIsAProblemForProgramsAndThePageForPeople() {
        given().header("Accept", "application/json").formParam("key", "fwk_000000000000_" + "B".repeat(43))
                .when().post("/dashboard/login")
                .then().statusCode(401).contentType("application/problem+json");
        given().header("Accept", "text/html").formParam("key", "nonsense")
                .when().post("/dashboard/login")
                .then().statusCode(401).contentType("text/html");
    }
}
