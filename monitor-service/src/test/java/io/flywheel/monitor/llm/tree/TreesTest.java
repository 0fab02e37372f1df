package io.flywheel.monitor.llm.tree;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TreesTest {

    record Item(String id, String parent, Instant start, Double cost) {
    }

    private static Item item(String id, String parent, int second, Double cost) {
        return new Item(id, parent, second < 0 ? null : Instant.ofEpochSecond(second), cost);
    }

    private static List<Node<Item>> build(List<Item> items) {
        return Trees.build(items, Item::id, Item::parent, Item::start);
    }

    @Test
    void childrenNestUnderTheirParentsInStartOrder() {
        List<Node<Item>> roots = build(List.of(item("c2", "root", 3, 1.0), item("root", null, 1, 0.5), item("c1", "root", 2, 2.0),
                item("g", "c1", 4, 4.0)));
        assertThat(roots).hasSize(1);
        Node<Item> root = roots.getFirst();
        assertThat(root.children()).extracting(n -> n.item().id()).containsExactly("c1", "c2");
        assertThat(root.children().getFirst().children()).extracting(n -> n.item().id()).containsExactly("g");
        assertThat(Trees.sum(root, Item::cost)).isEqualTo(7.5);
        assertThat(Trees.sum(root.children().get(1), Item::cost)).isEqualTo(1.0);
    }

    @Test
    void orphansAreRootsAndUnknownStartsComeLast() {
        List<Node<Item>> roots = build(List.of(item("late", "missing", -1, null), item("a", null, 5, null), item("b", "gone", 1, null)));
        assertThat(roots).extracting(n -> n.item().id()).containsExactly("b", "a", "late");
        assertThat(Trees.sum(roots.getFirst(), Item::cost)).isNull();
    }

    @Test
    void aLoopIsCutSoEveryItemAppearsOnce() {
        List<Node<Item>> roots = build(List.of(item("a", "c", 1, 1.0), item("b", "a", 2, 1.0), item("c", "b", 3, 1.0),
                item("self", "self", 4, 1.0)));
        assertThat(roots).extracting(n -> n.item().id()).containsExactly("a", "self");
        assertThat(count(roots)).isEqualTo(4);
        assertThat(Trees.sum(roots.getFirst(), Item::cost)).isEqualTo(3.0);
    }

    private static int count(List<Node<Item>> nodes) {
        return nodes.stream().mapToInt(n -> 1 + count(n.children())).sum();
    }
}
