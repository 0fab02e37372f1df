package io.flywheel.problem;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Map;

/**
 * What a service takes in one request, and what its 401s say. A body may be as large as the first
 * of {@link #bodyRoutes()} whose route matches says, otherwise {@link #maxBodySize()}.
 */
@ConfigMapping(prefix = "flywheel.http")
public interface HttpLimits {

    /** Longest request target (path and query), in characters; longer is a 414. */
    @WithDefault("8192")
    int maxUriLength();

    /** All header names and values together; more is a 431. */
    @WithDefault("16384")
    int maxHeaderBytes();

    /** Largest body of any route that {@link #bodyRoutes()} does not name; larger is a 413. */
    @WithDefault("1M")
    MemorySize maxBodySize();

    /** Whether a body must announce its length (411 otherwise) on routes that don't say. */
    @WithDefault("false")
    boolean lengthRequired();

    /** Routes that take larger bodies (uploads, ingest), by a name of the service's choosing. */
    Map<String, BodyRoute> bodyRoutes();

    interface BodyRoute {
        /** A regular expression over "METHOD /path", e.g. {@code PUT /api/v1/datasets/[^/]+/versions}. */
        String route();

        MemorySize maxSize();

        @WithDefault("false")
        boolean lengthRequired();
    }

    /** What a 401 says to do. */
    @WithDefault("this call needs valid credentials")
    String unauthorizedDetail();

    /** The WWW-Authenticate challenge of a 401. */
    @WithDefault("Bearer")
    String challenge();
}
