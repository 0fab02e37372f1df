package io.flywheel.monitor.llm.tree;

import java.util.List;

/** An item and its children, ordered by start time. */
public record Node<T>(T item, List<Node<T>> children) {
}
