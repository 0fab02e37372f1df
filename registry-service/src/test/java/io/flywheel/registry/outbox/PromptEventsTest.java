package io.flywheel.registry.outbox;

import io.flywheel.internalauth.TestCallers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import static io.flywheel.registry.Fixtures.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A prompt's new versions and label moves reach the real broker as CloudEvents keyed by {@code <project>/<name>}. */
@QuarkusTest
class PromptEventsTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mp.messaging.outgoing.outbox.topic")
    String topic;

    private List<ConsumerRecord<String, String>> awaitEvents(String key, Predicate<List<ConsumerRecord<String, String>>> done) {
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap);
             ConsumerTask<String, String> records = kafka.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(topic)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> done.test(records.stream().filter(r -> key.equals(r.key())).toList()));
            return records.stream().filter(r -> key.equals(r.key())).toList();
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Test
    void versionsAndLabelMovesAreAnnouncedInOrder() {
        String project = unique("ev");
        String name = "team/" + unique("prompt");
        given().header("Authorization", TestCallers.bearer("alice", "admin")).contentType(ContentType.JSON).queryParam("project", project)
                .body("""
                        {"name": "%s", "prompt": "v1 {{x}}", "config": {"model": "m"}, "labels": ["production"],
                         "commit_message": "first", "experiment_id": "exp-7"}""".formatted(name))
                .when().post("/api/v1/prompts").then().statusCode(201);
        given().contentType(ContentType.JSON).queryParam("project", project)
                .body("{\"name\": \"%s\", \"prompt\": \"v2\", \"labels\": [\"staging\"]}".formatted(name))
                .when().post("/api/v1/prompts").then().statusCode(201);
        given().contentType(ContentType.JSON).queryParam("project", project).body("{\"version\": 1}")
                .when().put("/api/v1/prompts/" + name + "/labels/staging").then().statusCode(200);
        given().queryParam("project", project).when().delete("/api/v1/prompts/" + name + "/labels/staging").then().statusCode(204);

        String key = project + "/" + name;
        var events = awaitEvents(key, rs -> rs.size() >= 6);
        assertThat(events).extracting(r -> header(r, "ce_type")).containsExactly(
                "io.flywheel.registry.prompt-version.registered.v1",
                "io.flywheel.registry.prompt-label.moved.v1",
                "io.flywheel.registry.prompt-version.registered.v1",
                "io.flywheel.registry.prompt-label.moved.v1",
                "io.flywheel.registry.prompt-label.moved.v1",
                "io.flywheel.registry.prompt-label.moved.v1");
        assertThat(events).allSatisfy(r -> {
            assertThat(header(r, "ce_source")).isEqualTo("flywheel/registry-service");
            assertThat(header(r, "ce_id")).isNotBlank();
        });
        JsonPath registered = JsonPath.from(events.get(0).value());
        assertThat(registered.getString("project")).isEqualTo(project);
        assertThat(registered.getString("name")).isEqualTo(name);
        assertThat(registered.getInt("version")).isEqualTo(1);
        assertThat(registered.getString("type")).isEqualTo("text");
        assertThat(registered.getList("labels")).containsExactly("production");
        assertThat(registered.getString("config.model")).isEqualTo("m");
        assertThat(registered.getString("commit_message")).isEqualTo("first");
        assertThat(registered.getString("experiment_id")).isEqualTo("exp-7");
        assertThat(registered.getString("actor")).isEqualTo("alice");
        assertThat(registered.getString("registered_at")).isNotBlank();

        JsonPath production = JsonPath.from(events.get(1).value());
        assertThat(production.getString("label")).isEqualTo("production");
        assertThat((Object) production.get("from_version")).isNull();
        assertThat(production.getInt("to_version")).isEqualTo(1);
        JsonPath stagingBack = JsonPath.from(events.get(4).value());
        assertThat(stagingBack.getInt("from_version")).isEqualTo(2);
        assertThat(stagingBack.getInt("to_version")).isEqualTo(1);
        JsonPath removed = JsonPath.from(events.get(5).value());
        assertThat(removed.getInt("from_version")).isEqualTo(1);
        assertThat((Object) removed.get("to_version")).isNull();
        assertThat(removed.getString("actor")).isEqualTo("tests");
    }
}
