package io.flywheel.monitor.llm.tree;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A trace's observations as a tree: each under its parent by id. An observation whose parent is not
 * among them (not received yet, or none) is a root; so is one whose parent chain loops back to it
 * (the loop is cut there), so every observation appears exactly once. Siblings are ordered by start
 * time (unknown last), then id.
 */
public final class Trees {

    private Trees() {
    }

    public static <T> List<Node<T>> build(List<T> items, Function<T, String> id, Function<T, String> parent,
                                          Function<T, Instant> start) {
        Map<String, T> byId = new HashMap<>();
        for (T item : items) {
            byId.putIfAbsent(id.apply(item), item);
        }
        Map<String, List<T>> children = new HashMap<>();
        List<T> roots = new ArrayList<>();
        for (T item : byId.values()) {
            String p = parent.apply(item);
            if (p == null || !byId.containsKey(p) || inLoop(id.apply(item), byId, id, parent)) {
                roots.add(item);
            } else {
                children.computeIfAbsent(p, k -> new ArrayList<>()).add(item);
            }
        }
        Comparator<T> order = Comparator.comparing(start, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(id, Comparator.nullsLast(Comparator.naturalOrder()));
        return nodes(roots, children, id, order);
    }

    private static <T> List<Node<T>> nodes(List<T> level, Map<String, List<T>> children, Function<T, String> id,
                                           Comparator<T> order) {
        List<T> sorted = new ArrayList<>(level);
        sorted.sort(order);
        List<Node<T>> out = new ArrayList<>(sorted.size());
        for (T item : sorted) {
            out.add(new Node<>(item, nodes(children.getOrDefault(id.apply(item), List.of()), children, id, order)));
        }
        return out;
    }

    /** Whether following parents from {@code start} comes back to it; the loop's member with the smallest id is made a root. */
    private static <T> boolean inLoop(String start, Map<String, T> byId, Function<T, String> id, Function<T, String> parent) {
        Set<String> seen = new HashSet<>();
        String current = start;
        String smallest = start;
        while (current != null && byId.containsKey(current) && seen.add(current)) {
            if (current.compareTo(smallest) < 0) {
                smallest = current;
            }
            current = parent.apply(byId.get(current));
            if (start.equals(current)) {
                return start.equals(smallest);
            }
        }
        return false;
    }

    /** Sums a figure over a node and its descendants (nulls count as nothing; null when every one is null). */
    public static <T> Double sum(Node<T> node, Function<T, Double> figure) {
        Double own = figure.apply(node.item());
        Double total = own;
        for (Node<T> child : node.children()) {
            Double c = sum(child, figure);
            if (c != null) {
                total = total == null ? c : total + c;
            }
        }
        return total;
    }
}
