package io.flywheel.registry.service;

import io.flywheel.registry.InvalidRequestException;

import java.util.HashMap;
import java.util.Map;

/** Tag maps as JSON Merge Patch (RFC 7396) treats them: a value sets the key, null removes it. */
final class Tags {

    static final int MAX = 64;

    private Tags() {
    }

    static Map<String, String> merge(Map<String, String> current, Map<String, String> changes) {
        Map<String, String> merged = new HashMap<>(current == null ? Map.of() : current);
        changes.forEach((key, value) -> {
            if (value == null) {
                merged.remove(key);
            } else {
                merged.put(key, value);
            }
        });
        if (merged.size() > MAX) {
            throw new InvalidRequestException("at most " + MAX + " tags; the change would leave " + merged.size());
        }
        return merged;
    }
}
