package io.flywheel.deploy.registry;

import io.flywheel.deploy.CallerContext;
import io.flywheel.deploy.NotFoundException;
import io.flywheel.deploy.RegistryUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Deploy's view of the registry's prompts: which version holds a label, whether a version exists, and
 * labels moved or removed as deploy itself. Registry answers become deploy's exceptions (a 404 is
 * "not in the registry", anything unexpected "registry unavailable").
 */
@ApplicationScoped
public class PromptRegistry {

    private final PromptRegistryApi api;

    public PromptRegistry(@RestClient PromptRegistryApi api) {
        this.api = api;
    }

    /** The version holding the label, or empty when the prompt has no such label (or no such prompt). */
    public Uni<Optional<Integer>> labelled(String project, String prompt, String label) {
        return CallerContext.resume(api.get(path(prompt), project, label, null)
                .map(r -> Optional.of(version(r)))
                .onFailure(e -> status(e) == 404).recoverWithItem(Optional.empty())
                .onFailure().transform(e -> translate(e, "prompt '" + prompt + "' is not in the registry")));
    }

    /** @throws NotFoundException (in the Uni) when the prompt has no such version */
    public Uni<Void> requireVersion(String project, String prompt, int version) {
        return CallerContext.resume(api.get(path(prompt), project, null, version).replaceWithVoid()
                .onFailure().transform(e -> translate(e, "prompt '" + prompt + "' of project '" + project + "' has no version "
                        + version + " in the registry")));
    }

    public Uni<Void> moveLabel(String project, String prompt, String label, int version) {
        return CallerContext.resume(api.moveLabel(path(prompt), label, project, new PromptRegistryApi.LabelMove(version))
                .replaceWithVoid()
                .onFailure().transform(e -> translate(e, "prompt '" + prompt + "' of project '" + project + "' has no version "
                        + version + " in the registry")));
    }

    /** Removes the label; a label (or prompt) that is already gone is fine. */
    public Uni<Void> removeLabel(String project, String prompt, String label) {
        return CallerContext.resume(api.removeLabel(path(prompt), label, project).replaceWithVoid()
                .onFailure(e -> status(e) == 404).recoverWithNull()
                .onFailure().transform(e -> translate(e, "prompt '" + prompt + "' is not in the registry")));
    }

    /** The name as a path: each folder percent-encoded, the slashes between them kept (the registry reads them). */
    static String path(String name) {
        return Arrays.stream(name.split("/", -1))
                .map(s -> URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("/"));
    }

    @SuppressWarnings("unchecked")
    private static int version(jakarta.ws.rs.core.Response response) {
        Map<String, Object> body = response.readEntity(Map.class);
        Object v = body.get("version");
        return v instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(v));
    }

    private static int status(Throwable e) {
        return e instanceof WebApplicationException w && w.getResponse() != null ? w.getResponse().getStatus() : -1;
    }

    private static RuntimeException translate(Throwable e, String notFound) {
        if (e instanceof NotFoundException || e instanceof RegistryUnavailableException) {
            return (RuntimeException) e;
        }
        int status = status(e);
        if (status == 404) {
            return new NotFoundException(notFound);
        }
        if (status > 0) {
            return new RegistryUnavailableException("the registry answered " + status + "; try again later");
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return new RegistryUnavailableException("the registry is unavailable (" + (root.getMessage() == null ? "no answer"
                : root.getMessage()) + "); try again later");
    }
}
