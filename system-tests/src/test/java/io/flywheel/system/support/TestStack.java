package io.flywheel.system.support;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The running test stack these tests drive: its gateway and admin key (from the launcher), and the
 * launcher itself, to stop and start its parts. Fails loudly when there is no stack: these tests never
 * pass by finding nothing to test.
 */
public final class TestStack {

    private TestStack() {
    }

    public static URI gateway() {
        return URI.create(System.getProperty("flywheel.test.gateway", "http://127.0.0.1:18080"));
    }

    public static String adminKey() {
        String key = System.getenv("FLYWHEEL_TEST_ADMIN_KEY");
        if (key == null || key.isBlank()) {
            Path file = Path.of(System.getProperty("flywheel.launcher", "../flywheel")).getParent().resolve(".flywheel/test/admin-key");
            try {
                key = Files.readString(file).strip();
            } catch (java.io.IOException e) {
                throw new IllegalStateException("no admin key for the test stack: run these tests through ./flywheel test "
                        + "(or set FLYWHEEL_TEST_ADMIN_KEY for a stack started with FLYWHEEL_STACK=test ./flywheel up)", e);
            }
        }
        return key;
    }

    public static Path launcher() {
        return Path.of(System.getProperty("flywheel.launcher", "../flywheel"));
    }

    public static String property(String name, String fallback) {
        return System.getProperty(name, fallback);
    }
}
