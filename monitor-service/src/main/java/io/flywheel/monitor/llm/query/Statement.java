package io.flywheel.monitor.llm.query;

import java.util.List;

/** SQL and its parameters. */
public record Statement(String sql, List<Object> params) {
}
