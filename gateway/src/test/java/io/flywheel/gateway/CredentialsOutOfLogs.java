package io.flywheel.gateway;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.config.LogConfig;

/**
 * When a failing test logs its request, keys and tokens are shown as blacklisted, never in clear. The
 * logging on failure is turned on here, with the blacklist: Quarkus' own (off in the parent pom) starts
 * from fresh log settings and would drop it.
 */
public class CredentialsOutOfLogs implements QuarkusTestBeforeEachCallback {

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        RestAssured.config = RestAssured.config()
                .logConfig(LogConfig.logConfig().blacklistHeader("X-API-Key", "Authorization", "Cookie", "Set-Cookie")
                        .enableLoggingOfRequestAndResponseIfValidationFails());
    }
}
