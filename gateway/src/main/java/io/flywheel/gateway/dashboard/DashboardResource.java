package io.flywheel.gateway.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.gateway.auth.ApiKeyIdentityProvider;
import io.flywheel.gateway.auth.ApiKeyMechanism;
import io.flywheel.gateway.auth.ApiKeyRequest;
import io.flywheel.gateway.auth.LoginThrottle;
import io.flywheel.gateway.auth.Role;
import io.flywheel.gateway.auth.Sessions;
import io.flywheel.problem.Problem;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestStreamElementType;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The dashboard: a page of htmx fragments rendered here from the services' APIs (models, versions
 * and lineage, deployments and their history, drift and quality over time, retrain jobs, a model's
 * timeline of the loop) and a live feed of the loop's events over SSE. Same auth as the API: signing in with a key opens a session.
 */
@Path("/dashboard")
public class DashboardResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance page(String principal, List<LoopFeed.LoopEvent> recent);

        static native TemplateInstance login(String error);

        static native TemplateInstance models(Table models, String error);

        static native TemplateInstance model(String name, JsonNode model, ModelView view);

        static native TemplateInstance timeline(String name, TimelineView view);

        static native TemplateInstance event(LoopFeed.LoopEvent event);
    }

    private final ServiceCalls services;
    private final LoopFeed feed;
    private final IdentityProviderManager identities;
    private final SecurityIdentity caller;
    private final ObjectMapper json;
    private final Sessions sessions;
    private final LoginThrottle throttle;

    public DashboardResource(ServiceCalls services, LoopFeed feed, IdentityProviderManager identities,
                             SecurityIdentity caller, ObjectMapper json, Sessions sessions, LoginThrottle throttle) {
        this.sessions = sessions;
        this.throttle = throttle;
        this.services = services;
        this.feed = feed;
        this.identities = identities;
        this.caller = caller;
        this.json = json;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance page() {
        return Templates.page(caller.getPrincipal().getName(), feed.recent());
    }

    @GET
    @Path("login")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance loginForm() {
        return Templates.login(null);
    }

    /**
     * Checks the key like any request would, then opens a session: the HttpOnly, same-site cookie holds
     * the session's id, never the key, and is Secure when the dashboard is served over TLS. Attempts
     * are throttled per client address. A browser (Accept: text/html) is answered with the page and
     * what went wrong; any other client with a problem.
     */
    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces({MediaType.TEXT_HTML, Problem.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    public Uni<Response> login(@FormParam("key") String key, @Context HttpServerRequest request) {
        boolean browser = acceptsHtml(request);
        var wait = throttle.tryAttempt(String.valueOf(request.remoteAddress() == null ? "" : request.remoteAddress().hostAddress()));
        if (wait.isPresent()) {
            return Uni.createFrom().item(refusal(browser, Problem.of(429, "rate-limited", "too many sign-in attempts from here; retry after "
                    + wait.getAsLong() + " s").retryAfter((int) wait.getAsLong()), "Too many attempts: wait a moment."));
        }
        if (key == null || key.isBlank() || key.length() > 200) {
            return Uni.createFrom().item(refusal(browser, Problem.of(400, "invalid-request", "send the form field 'key' with an API key"),
                    "Paste an API key."));
        }
        return identities.authenticate(new ApiKeyRequest(key.strip()))
                .chain(identity -> {
                    boolean mayView = identity.hasRole(Role.VIEWER.id()) || identity.hasRole(Role.EDITOR.id())
                            || identity.hasRole(Role.ADMIN.id());
                    if (!mayView) {
                        return Uni.createFrom().item(refusal(browser, Problem.of(403, "forbidden",
                                "this key may not view the dashboard (ingest only)"), "This key may not view the dashboard (ingest only)."));
                    }
                    return sessions.open(identity.getAttribute(ApiKeyIdentityProvider.KEY_ID_ATTRIBUTE))
                            .map(session -> Response.seeOther(URI.create("/dashboard"))
                                    .cookie(sessionCookie(session, (int) Sessions.LIFETIME.toSeconds(), request.isSSL())).build());
                })
                .onFailure(AuthenticationFailedException.class).recoverWithItem(e -> refusal(browser,
                        Problem.of(401, "unauthorized", "that key is not valid (or has expired)"), "That key is not valid (or has expired)."));
    }

    /** Ends the session (its row is deleted, not only the cookie). */
    @POST
    @Path("logout")
    public Uni<Response> logout(@CookieParam(ApiKeyMechanism.SESSION_COOKIE) String session, @Context HttpServerRequest request) {
        return sessions.close(session).map(ignored -> Response.seeOther(URI.create("/dashboard/login"))
                .cookie(sessionCookie("", 0, request.isSSL())).build());
    }

    private static Response refusal(boolean browser, Problem problem, String forPeople) {
        if (browser) {
            Response.ResponseBuilder page = Response.status(problem.status()).type(MediaType.TEXT_HTML).entity(Templates.login(forPeople));
            if (problem.retryAfterSeconds() != null) {
                page.header("Retry-After", problem.retryAfterSeconds());
            }
            return page.build();
        }
        return problem.at("/dashboard/login").toResponse();
    }

    private static boolean acceptsHtml(HttpServerRequest request) {
        String accept = request.getHeader("Accept");
        return accept != null && accept.contains(MediaType.TEXT_HTML);
    }

    @GET
    @Path("models")
    @Produces(MediaType.TEXT_HTML)
    public Uni<TemplateInstance> models() {
        return services.get("registry-service", "/api/v1/models?limit=200", who()).map(answer -> answer.ok()
                ? Templates.models(Table.of(answer.body().get("items"), List.of("name", "description")), null)
                : Templates.models(Table.of(null, List.of()), answer.error() != null ? answer.error() : "registry answered " + answer.status()));
    }

    @GET
    @Path("models/{name}")
    @Produces(MediaType.TEXT_HTML)
    public Uni<TemplateInstance> model(@PathParam("name") String name) {
        String m = URLEncoder.encode(name, StandardCharsets.UTF_8);
        String principal = who();
        Uni<ServiceCalls.Answer> model = services.get("registry-service", "/api/v1/models/" + m, principal);
        Uni<ServiceCalls.Answer> versions = services.get("registry-service", "/api/v1/models/" + m + "/versions?limit=50", principal);
        Uni<ServiceCalls.Answer> deployments = services.get("deploy-service", "/api/v1/deployments/" + m, principal);
        Uni<ServiceCalls.Answer> jobs = services.get("retrain-service", "/api/v1/retrain/jobs?model=" + m + "&limit=20", principal);
        Uni<ServiceCalls.Answer> status = services.get("monitor-service", "/api/v1/monitoring/" + m + "/status", principal);
        Uni<ServiceCalls.Answer> policy = services.get("deploy-service", "/api/v1/deployments/" + m + "/policy", principal);
        return Uni.combine().all().unis(model, versions, deployments, jobs, status, policy).asTuple()
                .chain(t -> ModelView.load(services, json, m, principal, t.getItem2(), t.getItem3(), t.getItem4(), t.getItem5(),
                                t.getItem6())
                        .map(view -> Templates.model(name, t.getItem1().body(), view)));
    }

    /** The model's loop as one list, oldest first: triggers, jobs, tests, versions, aliases, deploy's history. */
    @GET
    @Path("models/{name}/timeline")
    @Produces(MediaType.TEXT_HTML)
    public Uni<TemplateInstance> timeline(@PathParam("name") String name) {
        return TimelineView.load(services, URLEncoder.encode(name, StandardCharsets.UTF_8), who())
                .map(view -> Templates.timeline(name, view));
    }

    @GET
    @Path("events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.TEXT_HTML)
    public Multi<String> events() {
        return feed.live().map(event -> Templates.event(event).render().replace("\n", " "));
    }

    private String who() {
        return caller.getPrincipal().getName();
    }

    private static NewCookie sessionCookie(String value, int maxAge, boolean secure) {
        return new NewCookie.Builder(ApiKeyMechanism.SESSION_COOKIE).value(value).path("/").httpOnly(true).secure(secure)
                .sameSite(NewCookie.SameSite.STRICT).maxAge(maxAge).build();
    }
}
