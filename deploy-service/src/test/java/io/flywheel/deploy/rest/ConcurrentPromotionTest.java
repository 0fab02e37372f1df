package io.flywheel.deploy.rest;

import io.flywheel.internalauth.TestCallers;
import io.flywheel.deploy.support.DeployApi;
import io.flywheel.deploy.support.RegistryFixture;
import io.quarkus.test.common.http.TestHTTPEndpoint;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

import static io.flywheel.deploy.support.DeployApi.canary;
import static io.flywheel.deploy.support.DeployApi.promotion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

/** Two promotions of one model racing: exactly one wins, the other gets 409 or 412, and the loser changed nothing. */
@QuarkusTest
class ConcurrentPromotionTest {

    @TestHTTPEndpoint(DeploymentResource.class)
    @TestHTTPResource
    URL deployments;

    @TestHTTPEndpoint(InferenceResource.class)
    @TestHTTPResource
    URL v2;

    private DeployApi api() {
        return new DeployApi(deployments, v2);
    }

    /** Fires both requests at the same instant, from two threads. */
    private static List<Response> race(Function<Integer, Response> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<Response>> calls = List.of(0, 1).stream().map(i -> CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return request.apply(i);
            }, pool)).toList();
            start.countDown();
            return calls.stream().map(CompletableFuture::join).toList();
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void withTheSameIfMatchExactlyOnePromotionWinsTheOtherGets412() throws Exception {
        String model = RegistryFixture.model("race-etag");
        int v1 = RegistryFixture.churnVersion(model, Map.of(), 0.1);
        int v2 = RegistryFixture.churnVersion(model, Map.of(), 0.2);
        int v3 = RegistryFixture.churnVersion(model, Map.of(), 0.3);
        api().promoted(model, "staging", v1, "replace");
        String etag = api().deployment(model, "staging").then().extract().header("ETag");

        int[] versions = {v2, v3};
        List<Response> answers = race(i -> api().deployments().header("If-Match", etag).header("Authorization", TestCallers.bearer("racer-" + i))
                .body(promotion(versions[i], "replace", "race")).post("{model}/{environment}/promotions", model, "staging"));

        List<Integer> codes = answers.stream().map(Response::statusCode).sorted().toList();
        assertThat(codes).containsExactly(201, 412);
        Response winner = answers.stream().filter(r -> r.statusCode() == 201).findFirst().orElseThrow();
        int won = winner.jsonPath().getInt("version");
        api().deployment(model, "staging").then().header("ETag", "\"2\"").body("live_versions", contains(won));
        api().history(model, "staging").then().body("items.findAll { it.action == 'promoted' }.size()", equalTo(2));
    }

    @Test
    void withoutIfMatchTwoCanariesRaceAndOneIsRefusedWith409() throws Exception {
        String model = RegistryFixture.model("race-canary");
        int v1 = RegistryFixture.churnVersion(model, Map.of(), 0.1);
        int v2 = RegistryFixture.churnVersion(model, Map.of(), 0.2);
        int v3 = RegistryFixture.churnVersion(model, Map.of(), 0.3);
        api().promoted(model, "staging", v1, "replace");

        int[] versions = {v2, v3};
        List<Response> answers = race(i -> api().deployments().body(canary(versions[i], List.of(10, 100), 3600, 1000))
                .post("{model}/{environment}/promotions", model, "staging"));

        assertThat(answers.stream().map(Response::statusCode).sorted().toList()).containsExactly(201, 409);
        Response loser = answers.stream().filter(r -> r.statusCode() == 409).findFirst().orElseThrow();
        loser.then().contentType("application/problem+json").body("type", equalTo("urn:flywheel:problem:conflict"))
                .body("detail", anyOf(org.hamcrest.Matchers.containsString("is in progress"),
                        org.hamcrest.Matchers.containsString("changed while this promotion was checked")));
        int won = answers.stream().filter(r -> r.statusCode() == 201).findFirst().orElseThrow().jsonPath().getInt("version");
        api().deployment(model, "staging").then().body("candidate.version", equalTo(won)).header("ETag", "\"2\"");
    }
}
