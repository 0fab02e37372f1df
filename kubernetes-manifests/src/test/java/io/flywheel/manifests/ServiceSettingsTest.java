package io.flywheel.manifests;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceSettingsTest {

    @Test
    void thePortAndEveryTopicTheChannelsNameOutsideProfiles() {
        ServiceSettings settings = ServiceSettings.parse("gateway", """
                quarkus.http.port=8080
                %test.quarkus.http.port=0
                mp.messaging.outgoing.out.topic=flywheel.inference
                mp.messaging.incoming.feed.topics=flywheel.registry,flywheel.deploy
                mp.messaging.incoming.in.dead-letter-queue.topic=flywheel.dlq.gateway
                %test.mp.messaging.outgoing.out.topic=elsewhere
                mp.messaging.incoming.in.group.id=gateway
                """);

        assertThat(settings.port()).isEqualTo(8080);
        assertThat(settings.topics()).containsExactly("flywheel.deploy", "flywheel.dlq.gateway", "flywheel.inference", "flywheel.registry");
    }
}
