package io.flywheel.monitor.ingest;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The newest state of every partition this replica consumes, published by the consumers after
 * each record (a reference swap: the states are immutable) and read by the evaluator and the
 * status endpoint. Only partitions the replica owns are kept ({@link PartitionOwnership}): once a
 * rebalance gives one to another replica, this one's copy is stale, and the status endpoint would
 * show it over the newer checkpoint while the evaluator judged the model twice.
 */
@ApplicationScoped
public class LiveWindows {

    /** Owned partitions; empty until the first record after the assignment. */
    private final Map<String, Optional<StreamState>> byPartition = new ConcurrentHashMap<>();

    /** The partition is now this replica's (a rebalance listener calls it before its first record). */
    public void assigned(String topic, int partition) {
        byPartition.putIfAbsent(topic + "#" + partition, Optional.empty());
    }

    /** The partition went to another replica, or this one stops: its state here is no longer the newest. */
    public void revoked(String topic, int partition) {
        byPartition.remove(topic + "#" + partition);
    }

    /** Dropped when the partition is not owned: a record that was in hand while it was revoked. */
    public void publish(String topic, int partition, StreamState state) {
        byPartition.computeIfPresent(topic + "#" + partition, (k, old) -> Optional.of(state));
    }

    public List<StreamState> states() {
        return byPartition.values().stream().flatMap(Optional::stream).toList();
    }

    /** Partition → state, of one channel's topic. */
    public Map<Integer, StreamState> byPartition(String topic) {
        String prefix = topic + "#";
        Map<Integer, StreamState> out = new java.util.HashMap<>();
        byPartition.forEach((k, v) -> {
            if (k.startsWith(prefix) && v.isPresent()) {
                out.put(Integer.parseInt(k.substring(prefix.length())), v.get());
            }
        });
        return out;
    }

    /** States of one channel's topic. */
    public List<StreamState> statesOf(String topic) {
        String prefix = topic + "#";
        return byPartition.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .flatMap(e -> e.getValue().stream()).toList();
    }
}
