package io.flywheel.registry.service;

import io.flywheel.registry.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasSize;

/**
 * Versions of a new prompt created at the same moment (the first one creates the prompt) get distinct,
 * consecutive numbers, and the label they all ask for ends on exactly one of them.
 */
@QuarkusTest
class ConcurrentPromptVersionsTest {

    @Test
    void concurrentCreatesNeverShareANumberAndALabelEndsOnOneVersion() throws Exception {
        String project = Fixtures.unique("cc");
        String name = "team/" + Fixtures.unique("prompt");
        int writers = 12;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
            for (int i = 0; i < writers; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    start.await();
                    return given().contentType(ContentType.JSON).queryParam("project", project)
                            .body("{\"name\": \"%s\", \"prompt\": \"v%d\", \"labels\": [\"staging\"]}".formatted(name, n))
                            .when().post("/api/v1/prompts")
                            .then().statusCode(201)
                            .extract().<Integer>path("version");
                }));
            }
            start.countDown();
            List<Integer> numbers = new ArrayList<>();
            for (Future<Integer> result : results) {
                numbers.add(result.get());
            }
            assertThat(numbers).containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, writers).boxed().toList());
        }
        // the last create moved staging last: it is on the newest version, and on no other
        given().queryParam("project", project).queryParam("label", "staging").when().get("/api/v1/prompts/" + name)
                .then().statusCode(200).body("labels", contains("staging", "latest"));
        given().queryParam("project", project).queryParam("limit", 500).when().get("/api/v1/prompts/" + name + "/versions")
                .then().statusCode(200).body("items", hasSize(writers))
                .body("items.findAll { it.labels.contains('staging') }", hasSize(1));
    }
}
