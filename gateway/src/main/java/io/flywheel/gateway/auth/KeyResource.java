package io.flywheel.gateway.auth;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
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
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** API keys (admin only, see {@link AccessPolicy}). The key itself is in the create answer and nowhere else. */
@Path("/api/v1/keys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class KeyResource {

    public record KeyRequest(
            @NotNull(message = "name is required")
            @Pattern(regexp = "[A-Za-z0-9._-]{1,64}", message = "name must match [A-Za-z0-9._-]{1,64}")
            String name,
            @NotEmpty(message = "roles is required: one or more of viewer, editor, admin, ingest")
            List<String> roles,
            Instant expiresAt) {
    }

    public record KeyView(String id, String name, List<String> roles, String createdBy, Instant createdAt,
                          Instant expiresAt, Instant revokedAt, String key) {
        static KeyView of(ApiKey row, String key) {
            return new KeyView(row.id, row.name, List.of(row.roles.split(",")), row.createdBy, row.createdAt,
                    row.expiresAt, row.revokedAt, key);
        }
    }

    public record KeyList(List<KeyView> items) {
    }

    private final ApiKeys keys;
    private final SecurityIdentity caller;

    public KeyResource(ApiKeys keys, SecurityIdentity caller) {
        this.keys = keys;
        this.caller = caller;
    }

    @POST
    public Uni<RestResponse<KeyView>> create(@Valid @NotNull(message = "a JSON body is required") KeyRequest request) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String role : request.roles()) {
            try {
                roles.add(Role.of(role));
            } catch (IllegalArgumentException e) {
                throw new jakarta.ws.rs.BadRequestException(e.getMessage());
            }
        }
        if (request.expiresAt() != null && !request.expiresAt().isAfter(Instant.now())) {
            throw new jakarta.ws.rs.BadRequestException("expires_at must be in the future");
        }
        return keys.create(request.name(), roles, request.expiresAt(), caller.getPrincipal().getName())
                .map(created -> RestResponse.status(RestResponse.Status.CREATED, KeyView.of(created.row(), created.key())));
    }

    @GET
    public Uni<KeyList> list() {
        return keys.list().map(rows -> new KeyList(rows.stream().map(row -> KeyView.of(row, null)).toList()));
    }

    @DELETE
    @Path("{id}")
    public Uni<KeyView> revoke(@PathParam("id") String id) {
        return keys.revoke(id).map(row -> KeyView.of(row, null));
    }
}
