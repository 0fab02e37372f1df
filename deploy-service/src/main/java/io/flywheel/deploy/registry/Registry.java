package io.flywheel.deploy.registry;

import io.flywheel.deploy.CallerContext;
import io.flywheel.deploy.NotFoundException;
import io.flywheel.deploy.PreconditionFailedException;
import io.flywheel.deploy.RegistryUnavailableException;
import io.flywheel.internalauth.InternalTokens;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.util.Map;
import java.util.Optional;

/**
 * Deploy's view of the registry: the REST client's answers turned into deploy's own exceptions, so
 * that no registry status code leaks into deploy's answers (a registry 404 is "not in the registry",
 * anything unexpected is "registry unavailable", 503).
 */
@ApplicationScoped
public class Registry {

    private final RegistryApi api;
    private final InternalTokens tokens;

    public Registry(@RestClient RegistryApi api, InternalTokens tokens) {
        this.tokens = tokens;
        this.api = api;
    }

    /** Whether the registry has the model; false too when the registry can't be asked. */
    public Uni<Boolean> hasModel(String model) {
        return CallerContext.resume(api.model(model).map(response -> response.getStatus() == 200)
                .onFailure().recoverWithItem(false));
    }

    public Uni<RegistryVersion> version(String model, int version) {
        return CallerContext.resume(api.version(model, version)
                .onFailure().transform(e -> translate(e, "version " + version + " of model '" + model + "' is not in the registry")));
    }

    public Uni<byte[]> artifact(String model, int version) {
        return CallerContext.resume(api.artifact(model, version)
                .onFailure().transform(e -> translate(e, "version " + version + " of model '" + model + "' has no artifact in the registry")));
    }

    /** The alias, or empty when the model has none of that name. */
    public Uni<Optional<RegistryAlias>> alias(String model, String alias) {
        return CallerContext.resume(api.alias(model, alias)
                .map(response -> Optional.of(toAlias(response)))
                .onFailure(e -> status(e) == 404).recoverWithItem(Optional.empty())
                .onFailure().transform(e -> translate(e, "model '" + model + "' is not in the registry")));
    }

    /**
     * Moves the alias with If-Match (null: create it, unconditionally).
     *
     * @throws PreconditionFailedException (in the Uni) when someone else moved it meanwhile
     */
    public Uni<RegistryAlias> moveAlias(String model, String alias, int version, String ifMatch, String principal, String reason) {
        return CallerContext.resume(api.moveAlias(model, alias, ifMatch, tokens.bearer(principal), new RegistryApi.AliasMove(version, reason))
                .map(Registry::toAlias)
                .onFailure(e -> status(e) == 412).transform(e -> new PreconditionFailedException(
                        "alias '" + alias + "' of model '" + model + "' moved meanwhile"))
                .onFailure(e -> !(e instanceof PreconditionFailedException)).transform(e -> translate(e,
                        "version " + version + " of model '" + model + "' is not in the registry")));
    }

    @SuppressWarnings("unchecked")
    private static RegistryAlias toAlias(Response response) {
        Map<String, Object> body = response.readEntity(Map.class);
        String etag = response.getHeaderString(HttpHeaders.ETAG);
        Object version = body.get("version");
        return new RegistryAlias((String) body.get("model"), (String) body.get("alias"),
                version instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(version)),
                etag != null ? etag : (String) body.get("etag"));
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
        return new RegistryUnavailableException("the registry is unavailable (" + rootMessage(e) + "); try again later");
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? "no answer" : root.getMessage();
    }
}
