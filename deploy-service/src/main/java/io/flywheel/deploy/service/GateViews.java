package io.flywheel.deploy.service;

import io.flywheel.deploy.gate.GateCheck;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Gate results as they appear in history evidence: gate, status id, detail, evidence. */
public final class GateViews {

    private GateViews() {
    }

    public static List<Map<String, Object>> toMaps(List<GateCheck> checks) {
        return checks.stream().map(GateViews::toMap).toList();
    }

    private static Map<String, Object> toMap(GateCheck check) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("gate", check.gate());
        map.put("status", check.status().id());
        map.put("detail", check.detail());
        if (!check.evidence().isEmpty()) {
            map.put("evidence", check.evidence());
        }
        return map;
    }
}
