package io.flywheel.problem;

import io.vertx.pgclient.PgException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;

import static org.assertj.core.api.Assertions.assertThat;

class UnavailabilityTest {

    @Test
    void aDatabaseThatRefusesConnectionsIsA503() {
        var problem = Unavailability.of(new RuntimeException("query failed", new ConnectException("Connection refused")));
        assertThat(problem).hasValueSatisfying(p -> {
            assertThat(p.status()).isEqualTo(503);
            assertThat(p.type()).isEqualTo("database-unavailable");
        });
    }

    @Test
    void aDatabaseShuttingDownIsA503() {
        var shutdown = new PgException("terminating connection due to administrator command", "FATAL", "57P01", null);
        assertThat(Unavailability.of(shutdown)).hasValueSatisfying(p -> assertThat(p.status()).isEqualTo(503));
    }

    @Test
    void aDependencyNamesItself() {
        var s3 = new DependencyUnavailableException("storage", "the artifact store is unavailable; retry later", null);
        assertThat(Unavailability.of(new IllegalStateException("wrapped", s3)))
                .hasValueSatisfying(p -> assertThat(p.type()).isEqualTo("storage-unavailable"));
    }

    @Test
    void aBugIsNotAnOutage() {
        assertThat(Unavailability.of(new NullPointerException("x"))).isEmpty();
        var constraint = new PgException("duplicate key value violates unique constraint", "ERROR", "23505", null);
        assertThat(Unavailability.of(constraint)).isEmpty();
    }
}
