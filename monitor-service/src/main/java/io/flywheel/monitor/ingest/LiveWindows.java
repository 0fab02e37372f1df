package io.flywheel.monitor.ingest;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The newest state of every partition this replica consumes, published by the consumers after
 * each record (a reference swap: the states are immutable) and read by the evaluator and the
 * status endpoint.
 */
@ApplicationScoped
public class LiveWindows {

    private final Map<String, StreamState> byPartition = new ConcurrentHashMap<>();

    public void publish(String topic, int partition, StreamState state) {
        byPartition.put(topic + "#" + partition, state);
    }

    public List<StreamState> states() {
        return List.copyOf(byPartition.values());
    }

    /** Partition → state, of one channel's topic. */
    public Map<Integer, StreamState> byPartition(String topic) {
        String prefix = topic + "#";
        Map<Integer, StreamState> out = new java.util.HashMap<>();
        byPartition.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(Integer.parseInt(k.substring(prefix.length())), v);
            }
        });
        return out;
    }

    /** States of one channel's topic. */
    public List<StreamState> statesOf(String topic) {
        String prefix = topic + "#";
        return byPartition.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).map(Map.Entry::getValue).toList();
    }
}
