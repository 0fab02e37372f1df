package io.flywheel.readiness;

import io.flywheel.problem.DependencyUnavailableException;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UntilAvailableTest {

    @Test
    void waitsForADatabaseThatIsDownRestartingOrDroppingConnections() {
        for (Throwable down : new Throwable[]{new ConnectException("Connection refused"), new RuntimeException(new ConnectException("refused")),
                ClosedConnectionException.INSTANCE, pg("57P01"), pg("57P03"), pg("08006"), pg("53300")}) {
            assertThat(runsUntilItSucceeds(down)).as(down.toString()).isEqualTo(4);
        }
    }

    @Test
    void waitsForAnotherServiceThatIsDown() {
        assertThat(runsUntilItSucceeds(new DependencyUnavailableException("registry", "the registry answered 503", null))).isEqualTo(4);
    }

    @Test
    void doesNotWaitForFailuresThatComeBackEveryTime() {
        for (Throwable own : new Throwable[]{pg("23505"), pg("42P01"), new IllegalArgumentException("cannot write as JSON")}) {
            AtomicInteger calls = new AtomicInteger();
            Uni<String> step = UntilAvailable.retry("test", () -> {
                calls.incrementAndGet();
                return Uni.createFrom().failure(own);
            });
            assertThatThrownBy(() -> step.await().atMost(Duration.ofSeconds(10))).isSameAs(own);
            assertThat(calls).as(own.toString()).hasValue(1);
        }
    }

    private static int runsUntilItSucceeds(Throwable failure) {
        AtomicInteger calls = new AtomicInteger();
        String result = UntilAvailable.retry("test", () -> calls.incrementAndGet() < 4
                        ? Uni.createFrom().<String>failure(failure)
                        : Uni.createFrom().item("done"))
                .await().atMost(Duration.ofSeconds(10));
        assertThat(result).isEqualTo("done");
        return calls.get();
    }

    private static PgException pg(String sqlState) {
        return new PgException("failure " + sqlState, "ERROR", sqlState, null);
    }
}
