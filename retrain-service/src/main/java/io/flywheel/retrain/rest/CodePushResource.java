package io.flywheel.retrain.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.retrain.InvalidRequestException;
import io.flywheel.retrain.TriggerRefusedException;
import io.flywheel.retrain.UnauthorizedException;
import io.flywheel.retrain.code.Push;
import io.flywheel.retrain.code.PushPayloads;
import io.flywheel.retrain.code.WebhookSignatures;
import io.flywheel.retrain.config.RetrainConfig;
import io.flywheel.retrain.job.JobQueries;
import io.flywheel.retrain.trigger.CodePushes;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.RestResponse;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Pushes to trainers' code: GitHub's and GitLab's push webhooks (signed with the shared secret,
 * {@code retrain.webhooks.secret}; no internal token needed, so the gateway can pass them without an
 * API key), and a push reported by hand or by a CI pipeline (an ordinary call through the gateway).
 */
@Path("/api/v1/retrain")
@Produces(MediaType.APPLICATION_JSON)
public class CodePushResource {

    private final CodePushes pushes;
    private final JobQueries queries;
    private final ObjectMapper json;
    private final RetrainConfig config;
    private final SecurityIdentity caller;

    public CodePushResource(CodePushes pushes, JobQueries queries, ObjectMapper json, RetrainConfig config, SecurityIdentity caller) {
        this.pushes = pushes;
        this.queries = queries;
        this.json = json;
        this.config = config;
        this.caller = caller;
    }

    /**
     * GitHub's push event. {@code X-Hub-Signature-256} must be the HMAC-SHA256 of the raw body under
     * the secret (401 otherwise). A {@code ping} or any other event is answered and ignored. 202 with the
     * jobs started; 200 when the push is ignored (another branch, a repository no policy names, a tag,
     * a deleted branch) or every matching policy refused it.
     */
    @POST
    @Path("webhooks/github")
    @Consumes(MediaType.WILDCARD)
    public Uni<RestResponse<CodePushes.Outcome>> github(byte[] body,
                                                       @HeaderParam("X-Hub-Signature-256") String signature,
                                                       @HeaderParam("X-GitHub-Event") String event,
                                                       @HeaderParam("X-GitHub-Delivery") String delivery,
                                                       @HeaderParam("Content-Type") String contentType) throws IOException {
        String secret = secret();
        if (!WebhookSignatures.github(secret, body == null ? new byte[0] : body, signature)) {
            throw new UnauthorizedException(signature == null
                    ? "X-Hub-Signature-256 is missing: set the webhook's secret to retrain's retrain.webhooks.secret"
                    : "X-Hub-Signature-256 does not match the body: the webhook's secret is not retrain's, or the body was changed");
        }
        if (!"push".equals(event)) {
            return Uni.createFrom().item(RestResponse.ok(new CodePushes.Outcome("ignored", event == null
                    ? "X-GitHub-Event is missing: only push events start a retraining"
                    : "a " + event + " event: only push events start a retraining", null, null, null, List.of(), List.of())));
        }
        Push push;
        try {
            push = PushPayloads.github(parse(githubJson(body, contentType)), delivery == null ? null : truncate(delivery));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("not a GitHub push event: " + e.getMessage());
        }
        return pushes.pushed(push).map(CodePushResource::answer);
    }

    /**
     * GitLab's push hook. {@code X-Gitlab-Token} must be the secret (401 otherwise). Answers as the
     * GitHub webhook does.
     */
    @POST
    @Path("webhooks/gitlab")
    @Consumes(MediaType.WILDCARD)
    public Uni<RestResponse<CodePushes.Outcome>> gitlab(byte[] body,
                                                       @HeaderParam("X-Gitlab-Token") String token,
                                                       @HeaderParam("X-Gitlab-Event") String event,
                                                       @HeaderParam("X-Gitlab-Event-UUID") String eventUuid) throws IOException {
        String secret = secret();
        if (!WebhookSignatures.gitlab(secret, token)) {
            throw new UnauthorizedException(token == null
                    ? "X-Gitlab-Token is missing: set the webhook's secret token to retrain's retrain.webhooks.secret"
                    : "X-Gitlab-Token is not the webhook secret");
        }
        if (event != null && !"Push Hook".equals(event)) {
            return Uni.createFrom().item(RestResponse.ok(new CodePushes.Outcome("ignored", "a " + event
                    + ": only push hooks start a retraining", null, null, null, List.of(), List.of())));
        }
        Push push;
        try {
            Push parsed = PushPayloads.gitlab(parse(body));
            push = eventUuid == null ? parsed : new Push(parsed.source(), truncate(eventUuid), parsed.repositories(), parsed.ref(),
                    parsed.branch(), parsed.commit(), parsed.pusher());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("not a GitLab push hook: " + e.getMessage());
        }
        return pushes.pushed(push).map(CodePushResource::answer);
    }

    /**
     * A push reported by hand or by CI: a {@code code} trigger for one model at one commit. 201 with
     * the pending job; 409 {@code trigger-refused} when the policy refuses it; an {@code Idempotency-Key}
     * retry returns the first outcome (200, {@code Idempotent-Replayed: true}).
     */
    @POST
    @Path("code-pushes")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<JobView>> reportPush(@Valid @NotNull(message = "a JSON body is required: {\"model\", \"commit\"}") CodePushRequest request,
                                                 @HeaderParam("Idempotency-Key")
                                                 @Size(max = 128, message = "Idempotency-Key is limited to 128 characters") String idempotencyKey,
                                                 UriInfo uri) {
        return pushes.reported(request.model(), request.repository(), request.branch(), request.commit(), caller.getPrincipal().getName(),
                idempotencyKey).chain(outcome -> {
            if (!outcome.accepted()) {
                return Uni.createFrom().failure(new TriggerRefusedException(outcome.trigger().seq, outcome.trigger().rule, outcome.trigger().reason));
            }
            return queries.details(outcome.job().id).map(details -> {
                JobView view = JobView.of(details.job(), details.trigger(), details.transitions(), details.log(), json);
                var response = outcome.replayed()
                        ? RestResponse.ResponseBuilder.<JobView>ok().header("Idempotent-Replayed", "true")
                        : RestResponse.ResponseBuilder.<JobView>created(uri.getBaseUriBuilder().path("api/v1/retrain/jobs").path(view.id()).build());
                return response.entity(view).build();
            });
        });
    }

    private static RestResponse<CodePushes.Outcome> answer(CodePushes.Outcome outcome) {
        return outcome.jobs().isEmpty() ? RestResponse.ok(outcome) : RestResponse.accepted(outcome);
    }

    private String secret() {
        String secret = config.webhooks().secret().filter(s -> !s.isBlank()).orElse(null);
        if (secret == null) {
            throw new UnauthorizedException("webhooks are off here: retrain.webhooks.secret is not set, so no signature can be checked");
        }
        return secret;
    }

    /** GitHub sends JSON, or (when the webhook is set to form content) {@code payload=<JSON>}. */
    private static byte[] githubJson(byte[] body, String contentType) {
        if (contentType != null && contentType.toLowerCase().startsWith(MediaType.APPLICATION_FORM_URLENCODED)) {
            for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
                if (pair.startsWith("payload=")) {
                    return URLDecoder.decode(pair.substring(8), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
                }
            }
            throw new InvalidRequestException("a form-encoded GitHub webhook must carry payload=<the event as JSON>");
        }
        return body;
    }

    private JsonNode parse(byte[] body) throws IOException {
        if (body == null || body.length == 0) {
            throw new InvalidRequestException("the body is empty: a push event (JSON) is required");
        }
        // not JSON: the shared mapping answers malformed-json, saying where it broke
        JsonNode node = json.readTree(body);
        if (node == null || !node.isObject()) {
            throw new InvalidRequestException("the body must be a JSON object (the push event)");
        }
        return node;
    }

    private static String truncate(String value) {
        return value.length() > 128 ? value.substring(0, 128) : value;
    }
}
