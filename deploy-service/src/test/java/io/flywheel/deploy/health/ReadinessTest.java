package io.flywheel.deploy.health;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

@QuarkusTest
class ReadinessTest {

    /** Ready once PostgreSQL and Kafka answer and the serving routing table was read (within a refresh interval of start). */
    @Test
    void readyWithRealPostgresAndKafkaAndTheRoutingTableLoaded() {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("PostgreSQL", "Kafka",
                        "Serving routing table")));
    }
}
