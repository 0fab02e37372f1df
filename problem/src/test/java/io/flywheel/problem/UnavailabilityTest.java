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

    @Test
    void aNulInTextIsTheClientsValueWhoeverWrappedIt() {
        var nul = new PgException("invalid byte sequence for encoding \"UTF8\": 0x00", "ERROR", "22021", null);
        assertThat(Unavailability.unstorableValue(new RuntimeException("insert failed", nul))).hasValueSatisfying(
                m -> assertThat(m).contains("0x00"));
        // Hibernate Reactive keeps only an SQLException made of the client's message and state
        var converted = new java.sql.SQLException(nul.getMessage(), "22021");
        assertThat(Unavailability.unstorableValue(new RuntimeException("error executing SQL statement", converted)))
                .hasValueSatisfying(m -> assertThat(m).contains("0x00"));
        assertThat(Unavailability.unstorableValue(new java.sql.SQLException("duplicate key", "23505"))).isEmpty();
    }
}
