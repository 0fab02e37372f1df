package io.flywheel.gateway.auth;

import io.flywheel.gateway.TestAuth;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;

import static io.flywheel.gateway.TestAuth.asAdmin;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every operation of the merged OpenAPI document (the gateway's and every service's, as the gateway
 * serves it) times every kind of caller: none, a malformed key, a key that does not exist, a revoked
 * key, an expired key, an expired bearer token, a token from another issuer, and each role by key and
 * by token. Then, for every caller a route refuses, the same route spelled as routers can be tricked
 * into reading it (matrix parameters, empty and dot segments, encoded slashes, a trailing slash,
 * capitals): never an answer that lets it through.
 *
 * <p>The expected table is written out here from the gateway's README, independently of
 * {@link AccessPolicy}: /api/v1/keys is for admins; posting predictions and feedback for
 * ingest, editors and admins; inference and every other read for viewers, editors and admins; every
 * other write for editors and admins, except what a service keeps to admins itself (deploy: promoting
 * a prompt rollout by hand). LLM projects (/api/v1/llm/projects) are for admins; Langfuse's
 * routes (/api/public/**, /v1/traces) take an LLM project's key pair and nothing else (no role reaches
 * them), and answer their refusals in Langfuse's shape ({@code {"message": ...}}) rather than as problems;
 * Langfuse's health route is open.
 */
@QuarkusTest
class OpenApiAccessMatrixTest {

    private static final Set<String> READ = Set.of("viewer", "editor", "admin");
    private static final Set<String> WRITE = Set.of("editor", "admin");
    private static final Set<String> INGEST = Set.of("ingest", "editor", "admin");
    private static final Set<String> ADMIN = Set.of("admin");
    /** Push webhooks: no API key, a signature that retrain checks. */
    private static final Set<String> SIGNED = Set.of("/api/v1/retrain/webhooks/github", "/api/v1/retrain/webhooks/gitlab");
    private static final String ISSUER = "https://idp.test/flywheel";

    /** A caller: how it authenticates, and its roles (none: it must be refused with 401). */
    private record Caller(String who, UnaryOperator<RequestSpecification> credentials, Set<String> roles) {
    }

    private record Operation(String method, String path) {
    }

    /** Langfuse's routes: an LLM project's key pair only. */
    static boolean langfuse(String path) {
        return path.startsWith("/api/public/") || path.equals("/v1/traces");
    }

    static Set<String> allowed(String method, String path) {
        if (langfuse(path)) {
            return Set.of();
        }
        if (path.equals("/api/v1/keys") || path.startsWith("/api/v1/keys/")) {
            return ADMIN;
        }
        if (path.equals("/api/v1/llm/projects") || path.startsWith("/api/v1/llm/projects/")) {
            return ADMIN;
        }
        if (method.equals("POST") && Set.of("/api/v1/predictions", "/api/v1/feedback").contains(path)) {
            return INGEST;
        }
        if (method.equals("POST") && path.matches("/api/v1/deployments/prompts/[^/]+/rollouts/[^/]+/promotion")) {
            return ADMIN; // kept to admins by deploy itself, from the role in the internal token (it moves production)
        }
        if (method.equals("POST") && path.startsWith("/v2/models/") && path.endsWith("/infer")) {
            return READ;
        }
        return method.equals("GET") || method.equals("HEAD") ? READ : WRITE;
    }

    @Test
    void everyOperationTimesEveryCallerAndNoSpellingEscapesTheTable() throws Exception {
        List<Operation> operations = operations();
        assertThat(operations).as("operations of the merged document (are the test stack's services up?)").hasSizeGreaterThan(40);
        List<Caller> callers = callers();
        List<String> wrong = new ArrayList<>();
        int requests = 0;

        for (Operation op : operations) {
            if (SIGNED.contains(op.path())) {
                // open at the gateway; retrain wants the git host's signature, which no caller here has
                for (Caller caller : callers) {
                    expect(wrong, op, caller.who(), send(caller, op.method(), op.path()), 401);
                    requests++;
                }
                continue;
            }
            if (op.path().equals("/api/public/health")) {
                // open, as in Langfuse: nobody is refused for a lack of roles
                for (Caller caller : callers) {
                    int status = send(caller, op.method(), op.path()).statusCode();
                    requests++;
                    if (status == 403 || caller.who().equals("no credentials") && status != 200 && status != 503) {
                        wrong.add(op.method() + " " + op.path() + " as " + caller.who() + ": open, answered " + status);
                    }
                }
                continue;
            }
            Set<String> allowed = allowed(op.method(), op.path());
            for (Caller caller : callers) {
                Response response = send(caller, op.method(), op.path());
                requests++;
                int status = response.statusCode();
                if (caller.roles().isEmpty()) {
                    expect(wrong, op, caller.who(), response, 401);
                } else if (caller.roles().stream().anyMatch(allowed::contains)) {
                    if (status == 401 || status == 403) {
                        wrong.add(op.method() + " " + op.path() + " as " + caller.who() + ": expected access, got " + status);
                    }
                } else {
                    expect(wrong, op, caller.who(), response, 403);
                }
            }
            for (Caller caller : callers) {
                if (caller.roles().isEmpty() || caller.roles().stream().anyMatch(allowed::contains)) {
                    continue;
                }
                for (Map.Entry<String, String> trick : spellings(op.path()).entrySet()) {
                    Response response = send(caller, op.method(), trick.getValue());
                    requests++;
                    int status = response.statusCode();
                    boolean problem = refusalShaped(op, response);
                    if (!(status == 400 || status == 403 || status == 404 || status == 405) || !problem) {
                        wrong.add(op.method() + " " + trick.getValue() + " (" + trick.getKey() + ") as " + caller.who()
                                + ": refused by the table, answered " + status + (problem ? "" : " without a problem"));
                    }
                }
            }
        }
        System.out.printf("access matrix: %d operations x %d callers, and the tricks, in %d requests%n", operations.size(), callers.size(),
                requests);
        wrong.stream().limit(40).forEach(w -> System.out.println("  WRONG " + w));
        assertThat(wrong).as("answers that differ from the table").isEmpty();
    }

    private static void expect(List<String> wrong, Operation op, String who, Response response, int expected) {
        if (response.statusCode() != expected) {
            wrong.add(op.method() + " " + op.path() + " as " + who + ": expected " + expected + ", got " + response.statusCode());
        } else if (!refusalShaped(op, response)) {
            wrong.add(op.method() + " " + op.path() + " as " + who + ": " + expected + " without a problem body");
        }
    }

    /** A problem; on Langfuse's routes, Langfuse's {@code {"message": ...}} will do too. */
    private static boolean refusalShaped(Operation op, Response response) {
        String type = response.contentType();
        if (type != null && type.startsWith("application/problem+json")) {
            return true;
        }
        return langfuse(op.path()) && type != null && type.startsWith("application/json") && response.jsonPath().getString("message") != null;
    }

    private static Response send(Caller caller, String method, String path) {
        RequestSpecification request = caller.credentials().apply(given().urlEncodingEnabled(false));
        if (Set.of("POST", "PUT", "PATCH").contains(method)) {
            request.contentType(ContentType.JSON).body("{}");
        }
        return request.when().request(method, path);
    }

    /** The route spelled as routers could read otherwise: every one must still be refused. */
    private static Map<String, String> spellings(String path) {
        Map<String, String> tricks = new LinkedHashMap<>();
        int cut = path.lastIndexOf('/');
        tricks.put("matrix parameter", path + ";x");
        tricks.put("matrix parameter inside", path.substring(0, cut) + ";x" + path.substring(cut));
        tricks.put("empty segment", path.substring(0, cut) + "/" + path.substring(cut));
        tricks.put("dot segment", path.substring(0, cut) + "/." + path.substring(cut));
        tricks.put("climbing back", path.substring(0, cut) + "/x/.." + path.substring(cut));
        tricks.put("encoded slash", path.substring(0, cut) + "%2F" + path.substring(cut + 1));
        tricks.put("trailing slash", path + "/");
        tricks.put("capitals", path.toUpperCase(Locale.ROOT));
        return tricks;
    }

    /** The operations of the document the gateway serves, with plausible values in their path parameters. */
    private static List<Operation> operations() throws Exception {
        JsonNode document = new ObjectMapper().readTree(given().get("/openapi").then().statusCode(200).extract().asString());
        List<Operation> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = document.path("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            String concrete = path.getKey().replaceAll("\\{version}", "1").replaceAll("\\{[^}]+}", "none");
            path.getValue().fieldNames().forEachRemaining(method -> {
                if (Set.of("get", "head", "post", "put", "patch", "delete").contains(method)) {
                    operations.add(new Operation(method.toUpperCase(Locale.ROOT), concrete));
                }
            });
        }
        return operations;
    }

    private static List<Caller> callers() throws InterruptedException {
        String run = UUID.randomUUID().toString().substring(0, 6);
        List<Caller> callers = new ArrayList<>();
        callers.add(new Caller("no credentials", r -> r, Set.of()));
        callers.add(new Caller("a malformed key", r -> r.header("X-API-Key", "not-a-key"), Set.of()));
        callers.add(new Caller("a key that does not exist", r -> r.header("X-API-Key", "fwk_000000000000_" + "A".repeat(43)), Set.of()));
        var revoked = asAdmin().contentType(ContentType.JSON).body("{\"name\":\"revoked-" + run + "\",\"roles\":[\"admin\"]}")
                .when().post("/api/v1/keys").then().statusCode(201).extract();
        asAdmin().when().delete("/api/v1/keys/{id}", (String) revoked.path("id")).then().statusCode(200);
        String revokedKey = revoked.path("key");
        callers.add(new Caller("a revoked admin key", r -> r.header("X-API-Key", revokedKey), Set.of()));
        String expiringKey = asAdmin().contentType(ContentType.JSON)
                .body("{\"name\":\"expired-" + run + "\",\"roles\":[\"admin\"],\"expires_at\":\"" + Instant.now().plusSeconds(2) + "\"}")
                .when().post("/api/v1/keys").then().statusCode(201).extract().path("key");
        callers.add(new Caller("an expired admin key", r -> r.header("X-API-Key", expiringKey), Set.of()));
        String expiredToken = Jwt.issuer(ISSUER).upn("late@example.com").groups(Set.of("admin"))
                .issuedAt(Instant.now().minusSeconds(3600)).expiresAt(Instant.now().minusSeconds(600)).sign();
        callers.add(new Caller("an expired admin token", r -> r.auth().oauth2(expiredToken), Set.of()));
        String foreignToken = Jwt.issuer("https://evil.test").upn("mallory").groups(Set.of("admin")).expiresIn(300).sign();
        callers.add(new Caller("an admin token of another issuer", r -> r.auth().oauth2(foreignToken), Set.of()));
        for (String role : List.of("viewer", "editor", "admin", "ingest")) {
            String key = TestAuth.createKey("matrix-" + role + "-" + run, role);
            callers.add(new Caller(role + " key", r -> r.header("X-API-Key", key), Set.of(role)));
            String token = Jwt.issuer(ISSUER).upn(role + "@example.com").groups(Set.of(role)).expiresIn(600).sign();
            callers.add(new Caller(role + " token", r -> r.auth().oauth2(token), Set.of(role)));
        }
        Thread.sleep(2_500); // the expiring key is past its expiry now
        return callers;
    }
}
