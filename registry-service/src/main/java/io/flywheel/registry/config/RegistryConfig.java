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

    Http http();

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

    interface Presign {
        @WithDefault("15m")
        Duration defaultExpiry();

        @WithDefault("7d")
        Duration maxExpiry();
    }

    interface Http {
        /** Largest JSON body; artifact and dataset uploads stream and are bounded by uploads.max-bytes instead. */
        @WithDefault("1048576")
        long maxJsonBytes();
    }
}
