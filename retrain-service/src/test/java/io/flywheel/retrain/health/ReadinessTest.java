package io.flywheel.retrain.health;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

@QuarkusTest
class ReadinessTest {

    @Test
    void readyWithRealPostgresKafkaAndS3() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems(
                        "PostgreSQL",
                        "Kafka",
                        "S3 object store"))
                .body("checks.find { it.name == 'S3 object store' }.data.bucket", equalTo("flywheel-test"));
    }
}
