package io.flywheel.registry.failure;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * A test profile where the registry reaches PostgreSQL and S3 through {@link TcpForwarder}s, so a
 * test can take either away and give it back while the real servers keep running for everyone
 * else. Flyway still migrates over its own direct JDBC connection at start.
 */
public class FaultInjection implements QuarkusTestProfile {

    /** What a test gets injected: the two forwarders it can cut and restore. */
    public record Faults(TcpForwarder postgres, TcpForwarder s3) {
    }

    /** Marks the test field that receives the {@link Faults}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectFaults {
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Forwarders.class));
    }

    public static class Forwarders implements QuarkusTestResourceLifecycleManager {

        private TcpForwarder postgres;
        private TcpForwarder s3;

        @Override
        public Map<String, String> start() {
            try {
                URI database = URI.create("//" + System.getProperty("flywheel.test.postgres", "127.0.0.1:15432"));
                URI storage = URI.create(System.getProperty("flywheel.test.s3", "http://127.0.0.1:19000"));
                postgres = new TcpForwarder(database.getHost(), database.getPort());
                s3 = new TcpForwarder(storage.getHost(), storage.getPort());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of(
                    "quarkus.datasource.reactive.url", "postgresql://127.0.0.1:" + postgres.port() + "/flywheel_test",
                    "flywheel.s3.endpoint", "http://127.0.0.1:" + s3.port(),
                    // fail fast while a dependency is away, so the test sees the 503 quickly
                    "flywheel.s3.connect-timeout", "1s",
                    "flywheel.s3.io-timeout", "5s");
        }

        @Override
        public void inject(TestInjector injector) {
            injector.injectIntoFields(new Faults(postgres, s3), new TestInjector.AnnotatedAndMatchesType(InjectFaults.class, Faults.class));
        }

        @Override
        public void stop() {
            postgres.close();
            s3.close();
        }
    }
}
