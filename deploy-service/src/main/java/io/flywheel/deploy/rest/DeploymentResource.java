package io.flywheel.deploy.rest;

import io.flywheel.deploy.service.DeploymentQueries;
import io.flywheel.deploy.service.RollbackService;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Deployments: what serves where (with an ETag), their history, and rollback. Moving a deployment
 * takes If-Match with the current ETag when the caller wants to be sure nobody moved it meanwhile (412).
 */
@Path("/api/v1/deployments")
@Produces(MediaType.APPLICATION_JSON)
public class DeploymentResource {

    private final DeploymentQueries queries;
    private final RollbackService rollbacks;
    /** who calls: the subject of the internal token the call carries (internal-auth/) */
    private final SecurityIdentity caller;

    public DeploymentResource(DeploymentQueries queries, RollbackService rollbacks, SecurityIdentity caller) {
        this.caller = caller;
        this.queries = queries;
        this.rollbacks = rollbacks;
    }

    @GET
    @Path("{model}")
    public Uni<ModelDeploymentsView> byModel(@PathParam("model") String model) {
        return queries.byModel(model).map(all -> new ModelDeploymentsView(model, all.stream()
                .map(s -> DeploymentView.of(s.deployment(), s.row()))
                .map(v -> new ModelDeploymentsView.EnvironmentView(v.environment(), v.status(), v.liveVersions(), v.live(),
                        v.revision(), v.etag()))
                .toList()));
    }

    @GET
    @Path("{model}/{environment}")
    public Uni<RestResponse<DeploymentView>> inEnvironment(@PathParam("model") String model,
                                                           @PathParam("environment") String environment) {
        return queries.inEnvironment(model, environment).map(s -> withEtag(DeploymentView.of(s.deployment(), s.row())));
    }

    /** Every change and refusal, newest first: promotion steps, rollbacks, failed gates, with who and why. */
    @GET
    @Path("{model}/{environment}/history")
    public Uni<Page<HistoryView>> history(@PathParam("model") String model, @PathParam("environment") String environment,
                                          @QueryParam("limit") @DefaultValue("50")
                                          @Min(value = 1, message = "limit must be between 1 and 500")
                                          @Max(value = 500, message = "limit must be between 1 and 500") int limit,
                                          @QueryParam("cursor") String cursor) {
        return queries.history(model, environment, Page.decodeLong(cursor), limit)
                .map(rows -> Page.of(rows, limit, e -> String.valueOf(e.id), HistoryView::of));
    }

    /** One step back: a running canary or shadow is removed, else the previous version returns. */
    @POST
    @Path("{model}/{environment}/rollback")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<DeploymentView>> rollback(@PathParam("model") String model,
                                                      @PathParam("environment") String environment,
                                                      @Valid RollbackRequest request,
                                                      @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        return rollbacks.rollback(model, environment, ifMatch, caller.getPrincipal().getName(), request == null ? null : request.reason())
                .chain(after -> queries.inEnvironment(model, environment))
                .map(s -> withEtag(DeploymentView.of(s.deployment(), s.row())));
    }

    static RestResponse<DeploymentView> withEtag(DeploymentView view) {
        return RestResponse.ResponseBuilder.ok(view).header(HttpHeaders.ETAG, view.etag()).build();
    }
}
