package io.flywheel.gateway.llm;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;

import java.time.Instant;
import java.util.List;

/**
 * LLM projects and their Langfuse key pairs (admins only: auth.AccessPolicy). A secret key is in the
 * answer that issues it and nowhere else. The monitor answers every other {@code /api/v1/llm} route.
 */
@Path("/api/v1/llm/projects")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class LlmProjectResource {

    public record ProjectRequest(
            @NotNull(message = "name is required")
            @Pattern(regexp = "[A-Za-z0-9._-]{1,64}", message = "name must match [A-Za-z0-9._-]{1,64}")
            String name) {
    }

    /** A new pair: {@code secret_key} is shown this once. */
    public record IssuedView(String id, String name, String publicKey, String secretKey, Instant createdAt) {
        static IssuedView of(LlmProjects.Issued issued) {
            return new IssuedView(issued.project().id, issued.project().name, issued.pair().publicKey, issued.secretKey(),
                    issued.pair().createdAt);
        }
    }

    public record KeyPairView(String publicKey, String createdBy, Instant createdAt, Instant revokedAt) {
        static KeyPairView of(LlmKeyPair pair) {
            return new KeyPairView(pair.publicKey, pair.createdBy, pair.createdAt, pair.revokedAt);
        }
    }

    public record ProjectView(String id, String name, String createdBy, Instant createdAt, List<KeyPairView> keyPairs) {
        static ProjectView of(LlmProjects.Listed listed) {
            return new ProjectView(listed.project().id, listed.project().name, listed.project().createdBy, listed.project().createdAt,
                    listed.pairs().stream().map(KeyPairView::of).toList());
        }
    }

    public record ProjectList(List<ProjectView> items) {
    }

    private final LlmProjects projects;
    private final SecurityIdentity caller;

    public LlmProjectResource(LlmProjects projects, SecurityIdentity caller) {
        this.projects = projects;
        this.caller = caller;
    }

    /** 201 with the project's id and its first key pair (the secret key shown once). */
    @POST
    public Uni<RestResponse<IssuedView>> create(@Valid @NotNull(message = "a JSON body is required") ProjectRequest request) {
        return projects.create(request.name(), caller.getPrincipal().getName())
                .map(issued -> RestResponse.status(RestResponse.Status.CREATED, IssuedView.of(issued)));
    }

    @GET
    public Uni<ProjectList> list() {
        return projects.list().map(all -> new ProjectList(all.stream().map(ProjectView::of).toList()));
    }

    @GET
    @Path("{id}")
    public Uni<ProjectView> get(@PathParam("id") String id) {
        return projects.get(id).map(ProjectView::of);
    }

    /** Another key pair for the project (rotation: issue, move the clients, revoke the old pair). */
    @POST
    @Path("{id}/keys")
    @Consumes(MediaType.WILDCARD) // takes no body
    public Uni<RestResponse<IssuedView>> issue(@PathParam("id") String id) {
        return projects.issue(id, caller.getPrincipal().getName())
                .map(issued -> RestResponse.status(RestResponse.Status.CREATED, IssuedView.of(issued)));
    }

    /** Revokes a key pair: its clients are refused (401) from now on. */
    @DELETE
    @Path("{id}/keys/{publicKey}")
    public Uni<KeyPairView> revoke(@PathParam("id") String id, @PathParam("publicKey") String publicKey) {
        return projects.revoke(id, publicKey).map(KeyPairView::of);
    }
}
