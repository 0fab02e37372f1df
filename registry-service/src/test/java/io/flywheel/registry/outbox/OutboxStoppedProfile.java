package io.flywheel.registry.outbox;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** The registry with its outbox relay stopped: changes commit, their events wait in the table. */
public class OutboxStoppedProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("flywheel.outbox.enabled", "false");
    }
}
