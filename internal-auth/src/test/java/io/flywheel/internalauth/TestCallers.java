package io.flywheel.internalauth;

import java.time.Duration;

/**
 * Internal tokens for tests (this module's test-jar): a service's tests call it, and the test stack's
 * registry, as the gateway would. The test stack signs with a fixed secret of its own (it runs on
 * loopback, beside nothing of value); {@code FLYWHEEL_TEST_INTERNAL_SECRET} overrides it.
 */
public final class TestCallers {

    /** Keep in step with %test.flywheel.internal-auth.secret of the services and the launcher's test stack. */
    public static final String TEST_SECRET = "flywheel-test-stack-internal-secret-not-for-production";

    private static final InternalToken TOKENS = new InternalToken(secret());

    private TestCallers() {
    }

    public static String secret() {
        String fromEnvironment = System.getenv("FLYWHEEL_TEST_INTERNAL_SECRET");
        return fromEnvironment == null || fromEnvironment.isBlank() ? TEST_SECRET : fromEnvironment;
    }

    /** The Authorization header value of a call made for {@code principal}. */
    public static String bearer(String principal) {
        return "Bearer " + TOKENS.sign(principal, "tests", Duration.ofMinutes(5));
    }

    /** The same for a caller the gateway found to have these roles (e.g. "admin"). */
    public static String bearer(String principal, String... roles) {
        return "Bearer " + TOKENS.sign(principal, "tests", Duration.ofMinutes(5), java.util.Set.of(roles));
    }

    /** A call a Flywheel service makes on its own behalf (signed by itself, for itself). */
    public static String service(String name) {
        return "Bearer " + TOKENS.sign(name, name, Duration.ofMinutes(5));
    }
}
