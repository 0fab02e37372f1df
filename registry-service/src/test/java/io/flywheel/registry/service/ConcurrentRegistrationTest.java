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

/** Versions of one model registered at the same moment get distinct, consecutive numbers. */
@QuarkusTest
class ConcurrentRegistrationTest {

    @Test
    void concurrentRegistrationsNeverShareANumber() throws Exception {
        String model = Fixtures.createModel("concurrent");
        int writers = 16;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
            for (int i = 0; i < writers; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return given().contentType(ContentType.JSON).body(Fixtures.versionBody())
                            .when().post("/api/v1/models/{name}/versions", model)
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
    }
}
