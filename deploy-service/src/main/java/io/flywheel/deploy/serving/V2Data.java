package io.flywheel.deploy.serving;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * A tensor's flat data as the list an {@link InferResponse.Output} holds, without copying: a view
 * over the primitive array that boxes an element only when the JSON writer reads it.
 */
final class V2Data {

    private V2Data() {
    }

    static List<?> list(Object array) {
        return switch (array) {
            case float[] a -> new View<>(a.length, i -> a[i]);
            case double[] a -> new View<>(a.length, i -> a[i]);
            case long[] a -> new View<>(a.length, i -> a[i]);
            case int[] a -> new View<>(a.length, i -> a[i]);
            case boolean[] a -> new View<>(a.length, i -> a[i]);
            case String[] a -> Arrays.asList(a);
            default -> throw new IllegalArgumentException("no tensor data: " + array.getClass());
        };
    }

    private interface Element<T> {
        T at(int index);
    }

    private static final class View<T> extends AbstractList<T> implements RandomAccess {
        private final int size;
        private final Element<T> element;

        View(int size, Element<T> element) {
            this.size = size;
            this.element = element;
        }

        @Override
        public T get(int index) {
            return element.at(index);
        }

        @Override
        public int size() {
            return size;
        }
    }
}
