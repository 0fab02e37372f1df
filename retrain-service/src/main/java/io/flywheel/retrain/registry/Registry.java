package io.flywheel.retrain.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.internalauth.InternalTokens;
import io.flywheel.retrain.resilience.Retries;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The registry as retraining uses it: datasets in, the champion out, candidates in. Blocking (job
 * worker threads); transient failures (no answer, 5xx, 408, 429) are retried with backoff and then
 * thrown as {@link RegistryUnavailableException}; any other 4xx is a {@link RegistryRefusedException}
 * carrying the registry's own problem detail.
 */
@ApplicationScoped
public class Registry {

    /** The champion: its version object and its artifact's bytes (null for an external version, which has none). */
    public record Champion(RegistryDtos.Version version, byte[] artifact) {
    }

    public static final String EXTERNAL = "external";

    private final RegistryApi api;
    private final InternalTokens tokens;
    private final Retries retries;
    private final ObjectMapper json;

    public Registry(@RestClient RegistryApi api, Retries retries, ObjectMapper json, InternalTokens tokens) {
        this.tokens = tokens;
        this.api = api;
        this.retries = retries;
        this.json = json;
    }

    /** Creates the dataset unless it exists, then registers the file's content as a version of it. */
    public RegistryDtos.DatasetVersion registerDataset(String dataset, String description, Path file, String digest,
                                                       String principal) {
        try {
            call("create dataset " + dataset, () -> api.createDataset(
                    new RegistryDtos.DatasetRequest(dataset, description, Map.of("producer", "retrain-service")), tokens.bearer(principal)));
        } catch (RegistryRefusedException e) {
            if (e.status() != 409) {
                throw e;
            }
        }
        return call("register a version of dataset " + dataset, () -> api.putDatasetVersion(dataset, digest, tokens.bearer(principal), file.toFile()));
    }

    /** The newest version of a dataset; RegistryRefusedException when it has none. */
    public RegistryDtos.DatasetVersion newestDatasetVersion(String dataset) {
        RegistryDtos.Page<RegistryDtos.DatasetVersion> page = call("list versions of dataset " + dataset,
                () -> api.datasetVersions(dataset, 1));
        if (page.items() == null || page.items().isEmpty()) {
            throw new RegistryRefusedException(404, "dataset '" + dataset + "' has no versions", null);
        }
        return page.items().getFirst();
    }

    public RegistryDtos.DatasetVersion datasetVersion(String dataset, String id) {
        return call("read dataset version " + dataset + "/" + id, () -> api.datasetVersion(dataset, id));
    }

    /** Copies a dataset version's bytes to {@code target}. */
    public void downloadDataset(String dataset, String id, Path target) {
        call("download dataset version " + dataset + "/" + id, () -> {
            try (InputStream in = api.datasetContent(dataset, id)) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                return null;
            } catch (IOException e) {
                throw new RegistryUnavailableException("reading dataset " + dataset + "/" + id + " failed: " + e.getMessage(), e);
            }
        });
    }

    /** The model's champion and its artifact, or empty when the model has no champion (or does not exist). */
    public Optional<Champion> champion(String model) {
        RegistryDtos.Alias alias;
        try {
            alias = call("read the champion alias of " + model, () -> api.alias(model, "champion"));
        } catch (RegistryRefusedException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
        RegistryDtos.Version version = call("read " + model + " version " + alias.version(), () -> api.version(model, alias.version()));
        if (EXTERNAL.equals(version.format())) {
            return Optional.of(new Champion(version, null));
        }
        byte[] artifact = call("download the artifact of " + model + " version " + alias.version(),
                () -> api.artifact(model, alias.version()));
        return Optional.of(new Champion(version, artifact));
    }

    public RegistryDtos.Version version(String model, int version) {
        return call("read " + model + " version " + version, () -> api.version(model, version));
    }

    /** Registers a draft; the idempotency key makes a retry (or a rerun of the job) return the same draft. */
    public RegistryDtos.Version createVersion(String model, String idempotencyKey, String principal, RegistryDtos.VersionRequest request) {
        return call("register a version of " + model, () -> api.createVersion(model, idempotencyKey, tokens.bearer(principal), request));
    }

    /** Uploads and finalises; a JSON artifact (flywheel-linear) goes as application/json, anything else as bytes. */
    public RegistryDtos.Version uploadArtifact(String model, int version, String digest, byte[] artifact, boolean json) {
        return call("upload the artifact of " + model + " version " + version, () -> json
                ? api.uploadArtifact(model, version, digest, artifact)
                : api.uploadBinaryArtifact(model, version, digest, artifact));
    }

    private <T> T call(String what, Supplier<T> call) {
        return retries.blocking(what, () -> {
            try {
                return call.get();
            } catch (WebApplicationException e) {
                int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
                String detail = "the registry answered " + status + " to '" + what + "': " + detail(e);
                if (status >= 500 || status == 408 || status == 429) {
                    throw new RegistryUnavailableException(detail, e);
                }
                throw new RegistryRefusedException(status, detail, e);
            } catch (ProcessingException e) {
                // no answer at all: refused connection, reset, timeout
                Throwable cause = e.getCause() == null ? e : e.getCause();
                throw new RegistryUnavailableException("the registry did not answer '" + what + "': " + cause, e);
            }
        });
    }

    private String detail(WebApplicationException e) {
        try {
            String body = e.getResponse().readEntity(String.class);
            if (body == null || body.isBlank()) {
                return "(no detail)";
            }
            JsonNode problem = json.readTree(body);
            if (problem.hasNonNull("detail")) {
                return problem.get("detail").asText();
            }
            return body.length() > 500 ? body.substring(0, 500) : body;
        } catch (Exception ignored) {
            return e.getMessage();
        }
    }
}
