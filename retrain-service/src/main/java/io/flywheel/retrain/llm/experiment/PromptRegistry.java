package io.flywheel.retrain.llm.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.internalauth.InternalTokens;
import io.flywheel.retrain.InvalidRequestException;
import io.flywheel.retrain.config.RetrainConfig;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flywheel.retrain.registry.RegistryRefusedException;
import io.flywheel.retrain.registry.RegistryUnavailableException;
import io.flywheel.retrain.resilience.Retries;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Prompt versions from the registry ({@code GET /api/v1/prompts/{name}?project=&label=|version=}), for the
 * caller the experiment runs for (its internal token). Blocking: called on worker threads. A prompt name's
 * '/' are sent as they are (folders); each segment is encoded. Transient failures are retried
 * ({@code retrain.retry.*}) and then a 503; a prompt that isn't there is a 400 saying which.
 */
@ApplicationScoped
public class PromptRegistry {

    /** The version found, and how it was asked for. */
    public record Found(String name, int version, String label, PromptTemplate template) {
    }

    private final URI base;
    private final InternalTokens tokens;
    private final Retries retries;
    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    public PromptRegistry(RetrainConfig config, InternalTokens tokens, Retries retries, ObjectMapper json) {
        this.base = URI.create(config.registry().url().replaceAll("/+$", ""));
        this.tokens = tokens;
        this.retries = retries;
        this.json = json;
    }

    public Found fetch(String project, String name, String label, Integer version, String principal) {
        String path = Arrays.stream(name.split("/", -1)).map(PromptRegistry::encode).collect(Collectors.joining("/"));
        String query = "project=" + encode(project) + (version != null ? "&version=" + version : "&label=" + encode(label == null ? "production" : label));
        URI uri = URI.create(base + "/api/v1/prompts/" + path + "?" + query);
        String what = "prompt '" + name + "' (" + (version != null ? "version " + version : "label " + (label == null ? "production" : label))
                + ") of project '" + project + "'";
        HttpResponse<String> response = retries.blocking("read " + what, () -> {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                        .header(InternalTokens.HEADER, tokens.bearer(principal)).header("Accept", "application/json").GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() >= 500 || r.statusCode() == 408 || r.statusCode() == 429) {
                    throw new RegistryUnavailableException("the registry answered " + r.statusCode() + " reading " + what, null);
                }
                return r;
            } catch (IOException e) {
                throw new RegistryUnavailableException("the registry did not answer reading " + what + ": " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryUnavailableException("interrupted reading " + what, e);
            }
        });
        if (response.statusCode() == 404) {
            throw new InvalidRequestException(what + " is not in the registry");
        }
        if (response.statusCode() / 100 != 2) {
            throw new InvalidRequestException("the registry refused to read " + what + " (" + response.statusCode() + "): " + response.body());
        }
        JsonNode body;
        try {
            body = json.readTree(response.body());
        } catch (IOException e) {
            throw new RegistryUnavailableException("the registry's answer for " + what + " is not JSON", e);
        }
        try {
            return new Found(body.path("name").asText(name), body.path("version").asInt(), version != null ? null : label == null ? "production" : label,
                    new PromptTemplate(body.path("type").asText(null), body.get("prompt"), body.get("config")));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(what + " can't be run: " + e.getMessage());
        }
    }

    /**
     * Registers a new version of the prompt ({@code POST /api/v1/prompts?project=}) for {@code principal} and
     * answers its number. Not retried after an answer: a version created twice is two versions, so only a call
     * that got no answer at all is tried again. A 4xx is a RegistryRefusedException with the registry's detail.
     */
    public int register(String project, String name, PromptTemplate template, List<String> labels, String commitMessage,
                        String experimentId, String principal) {
        ObjectNode body = json.createObjectNode();
        body.put("name", name);
        body.put("type", template.type());
        body.set("prompt", template.prompt());
        if (template.config() != null && !template.config().isNull()) {
            body.set("config", template.config());
        }
        body.set("labels", json.valueToTree(labels));
        body.put("commit_message", commitMessage);
        if (experimentId != null) {
            body.put("experiment_id", experimentId);
        }
        URI uri = URI.create(base + "/api/v1/prompts?project=" + encode(project));
        String what = "a new version of prompt '" + name + "' of project '" + project + "'";
        HttpResponse<String> response = retries.blocking("register " + what, () -> {
            try {
                return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                        .header(InternalTokens.HEADER, tokens.bearer(principal)).header("Content-Type", "application/json")
                        .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new RegistryUnavailableException("the registry did not answer registering " + what + ": " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryUnavailableException("interrupted registering " + what, e);
            }
        });
        if (response.statusCode() >= 500) {
            throw new RegistryUnavailableException("the registry answered " + response.statusCode() + " registering " + what + ": "
                    + response.body(), null);
        }
        if (response.statusCode() / 100 != 2) {
            throw new RegistryRefusedException(response.statusCode(), "the registry refused " + what + " (" + response.statusCode() + "): "
                    + response.body(), null);
        }
        try {
            int version = json.readTree(response.body()).path("version").asInt(0);
            if (version < 1) {
                throw new RegistryUnavailableException("the registry's answer registering " + what + " has no version: " + response.body(), null);
            }
            return version;
        } catch (IOException e) {
            throw new RegistryUnavailableException("the registry's answer registering " + what + " is not JSON", e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
