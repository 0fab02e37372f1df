package io.flywheel.internalauth;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.config.LogConfig;
import io.restassured.filter.Filter;

/**
 * Before each @QuarkusTest of a service: every RestAssured request carries an internal token for
 * "tests", as a call through the gateway would, unless the test sets its own Authorization. A filter,
 * not a default request specification: a specification would also bring its own default port. When a
 * failing test logs its request, credentials are shown as blacklisted, never in clear: the parent pom
 * turns off Quarkus' own logging on failure, which replaces the log settings with fresh ones and so
 * drops the blacklist (RestAssured.enableLoggingOfRequestAndResponseIfValidationFails), and this
 * callback turns it on with the blacklist.
 * Registered in META-INF/services of this test-jar.
 */
public class InternalTokenForTests implements QuarkusTestBeforeEachCallback {

    public static final String PRINCIPAL = "tests";

    private static final Filter INTERNAL_TOKEN = (request, response, context) -> {
        if (!request.getHeaders().hasHeaderWithName(InternalTokens.HEADER)) {
            request.header(InternalTokens.HEADER, TestCallers.bearer(PRINCIPAL));
        }
        return context.next(request, response);
    };

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        RestAssured.config = RestAssured.config()
                .logConfig(LogConfig.logConfig().blacklistHeader(InternalTokens.HEADER, "X-API-Key", "Cookie", "Set-Cookie")
                        .enableLoggingOfRequestAndResponseIfValidationFails());
        if (!RestAssured.filters().contains(INTERNAL_TOKEN)) {
            RestAssured.filters(INTERNAL_TOKEN);
        }
    }
}
