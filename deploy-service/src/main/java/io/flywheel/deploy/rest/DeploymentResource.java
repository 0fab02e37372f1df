package io.flywheel.deploy.rest;

import io.flywheel.deploy.KnownModel;
import io.flywheel.deploy.ModelNotFoundException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;

@Path("/api/v1/deployments")
@Produces(MediaType.APPLICATION_JSON)
public class DeploymentResource {

    /** What serves in one environment; empty until a version is promoted there. */
    public record EnvironmentView(String name, List<Integer> liveVersions) {
    }

    public record ModelDeployments(String model, List<EnvironmentView> environments) {
    }

    private final List<String> environments;

    public DeploymentResource(@ConfigProperty(name = "deploy.environments") List<String> environments) {
        this.environments = environments;
    }

    @GET
    @Path("{model}")
    @WithSession
    public Uni<ModelDeployments> byModel(@PathParam("model") String model) {
        return Panache.getSession().chain(session -> session.find(KnownModel.class, model))
                .onItem().ifNull().failWith(() -> new ModelNotFoundException(model))
                .map(known -> new ModelDeployments(known.name,
                        environments.stream().map(env -> new EnvironmentView(env, List.of())).toList()));
    }
}
