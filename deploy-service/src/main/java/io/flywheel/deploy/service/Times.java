package io.flywheel.deploy.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Now, at the database's precision (microseconds), so stored and compared instants agree. */
final class Times {
    private Times() {
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
