package io.flywheel.monitor.ingest;

import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;

/**
 * Tells {@link LiveWindows} which partitions of the prediction and feedback topics this replica
 * owns, as Kafka's group assigns and revokes them. SmallRye calls it beside the checkpoint
 * strategy's own listener, which saves a revoked partition's state and loads an assigned one's.
 */
@ApplicationScoped
@Identifier(PartitionOwnership.NAME)
public class PartitionOwnership implements KafkaConsumerRebalanceListener {

    public static final String NAME = "monitor-partition-ownership";

    private final LiveWindows live;

    public PartitionOwnership(LiveWindows live) {
        this.live = live;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        partitions.forEach(p -> live.assigned(p.topic(), p.partition()));
        Log.infof("partitions assigned: %s", partitions);
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        partitions.forEach(p -> live.revoked(p.topic(), p.partition()));
        if (!partitions.isEmpty()) {
            Log.infof("partitions revoked: %s", partitions);
        }
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        onPartitionsRevoked(consumer, partitions);
    }
}
