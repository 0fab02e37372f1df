package io.flywheel.registry.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The registry's business settings; infrastructure (database, Kafka, S3 address) stays in Quarkus's own keys. */
@ConfigMapping(prefix = "registry")
public interface RegistryConfig {

    Uploads uploads();

    Datasets datasets();

    Presign presign();

    Artifacts artifacts();

    Prompts prompts();

    interface Prompts {
        /**
         * Labels only an admin (the gateway's role, carried in the internal token) or a Flywheel service
         * acting on its own may set, move or remove: production by default.
         */
        @WithDefault("production")
        java.util.Set<String> protectedLabels();
    }

    interface Uploads {
        /** Bytes buffered per multipart part (S3's minimum is 5 MiB); memory per upload is a few parts. */
        @WithDefault("8388608")
        long partSize();

        /** Parts sent to S3 at once while the next one is read from the client. */
        @WithDefault("2")
        int parallelParts();

        /** Uploads (artifacts and datasets) streaming at once; beyond that a caller gets 503 and retries. */
        @WithDefault("4")
        int maxConcurrent();

        /** How long an upload waits for a free slot before it is refused. */
        @WithDefault("2s")
        Duration slotWait();

        /** Largest artifact or dataset accepted. */
        @WithDefault("53687091200")
        long maxBytes();
    }

    interface Datasets {
        /** Longest CSV record or JSON line, so one line can't exhaust memory. */
        @WithDefault("16777216")
        int maxLineBytes();

        @WithDefault("10000")
        int maxColumns();
    }

    /**
     * How GET .../artifact hands out large artifacts: a 307 to a presigned S3 URL instead of relaying
     * the bytes, so a big download costs the registry no CPU and runs at S3's own rate.
     */
    interface Artifacts {
        /**
         * Artifacts of at least this many bytes are redirected to S3 when a client (a call through the
         * gateway) asks without {@code redirect=false}; negative: never by size (only on {@code redirect=true}).
         * 64 MiB: smaller ones (every flywheel-linear model, most ONNX files) keep the plain 200 that any
         * client reads, redirects followed or not; from here on the relay's cost (0.1 CPU-second, and
         * under half the direct rate on the 2-CPU machine) is worth asking the client to follow one.
         */
        @WithDefault("67108864")
        long redirectAbove();

        /** How long a redirect's presigned URL works: it is followed at once, and S3 checks it only when the GET starts. */
        @WithDefault("5m")
        Duration redirectExpiry();
    }

    interface Presign {
        @WithDefault("15m")
        Duration defaultExpiry();

        @WithDefault("7d")
        Duration maxExpiry();
    }
}
