package io.flywheel.registry.rest;

import java.util.List;

/** A compiled prompt: which version, the result, and what was left unfilled (kept as written). */
public record CompiledView(String project, String name, int version, String type, Object prompt, List<String> missingVariables,
                           List<String> missingPlaceholders) {
}
