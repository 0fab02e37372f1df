package io.flywheel.gateway.system;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.flywheel.gateway.TestAuth.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

/** The readiness of all five, with their PostgreSQL, Kafka and S3 checks, at one URL. */
@QuarkusTest
class SystemReadyTest {

    @Test
    void ownReadinessIsUpWithPostgresAndKafkaAndNeedsNoKey() {
        io.restassured.RestAssured.given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("PostgreSQL", "Kafka"));
    }

    @Test
    void allFiveReadyWithTheirDependencies() {
        var ready = asAdmin().when().get("/api/v1/system/ready").then();
        for (String service : new String[]{"registry-service", "monitor-service", "retrain-service", "deploy-service", "gateway"}) {
            ready.body("services.'" + service + "'.status", equalTo("UP"))
                    .body("services.'" + service + "'.checks.name",
                            hasItems("PostgreSQL", "Kafka"));
        }
        for (String usesS3 : new String[]{"registry-service", "monitor-service", "retrain-service"}) {
            ready.body("services.'" + usesS3 + "'.checks.name", hasItems("S3 object store"));
        }
        // the test profile adds two routes of its own (EchoUpstream); the one to a dead port is DOWN
        ready.statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("services.'nowhere-service'.status", equalTo("DOWN"));
    }
}
