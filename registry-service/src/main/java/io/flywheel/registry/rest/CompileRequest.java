package io.flywheel.registry.rest;

import java.util.List;
import java.util.Map;

/** Body of {@code POST /api/v1/prompts/{name}/compile}: values of {{variables}}, and messages for a chat prompt's placeholders. */
public record CompileRequest(Map<String, Object> variables, Map<String, List<Map<String, Object>>> placeholders) {
}
