package io.flywheel.monitor.drift;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HistogramTest {

    @Test
    void addAndSubtractPanes() {
        Histogram a = Histogram.ofCounts(new long[] {1, 2, 3});
        Histogram b = Histogram.ofCounts(new long[] {10, 0, 5});
        Histogram window = Histogram.withBins(3);
        window.add(a);
        window.add(b);
        assertArrayEquals(new long[] {11, 2, 8}, window.counts());
        assertEquals(21, window.total());
        window.subtract(a);
        assertArrayEquals(new long[] {10, 0, 5}, window.counts());
        assertEquals(15, window.total());
    }

    @Test
    void subtractingAPaneThatWasNeverAddedFailsAndChangesNothing() {
        Histogram window = Histogram.ofCounts(new long[] {5, 1, 5});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> window.subtract(Histogram.ofCounts(new long[] {1, 2, 1})));
        assertEquals("cannot subtract: bin 1 has 1 but the pane to remove has 2", e.getMessage());
        assertArrayEquals(new long[] {5, 1, 5}, window.counts(), "unchanged after the failed call");
        assertEquals(11, window.total());
    }

    @Test
    void binCountsMustAgree() {
        Histogram h = Histogram.withBins(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> h.add(Histogram.withBins(4)));
        assertEquals("histograms have different bin counts: 3 and 4", e.getMessage());
        QuantileBins one = QuantileBins.ofInnerEdges(new double[] {0.0, 1.0});
        QuantileBins other = QuantileBins.ofInnerEdges(new double[] {0.0, 2.0});
        assertThrows(IllegalArgumentException.class, () -> Histogram.of(one).add(Histogram.of(other)));
        Histogram.of(one).add(Histogram.of(QuantileBins.ofInnerEdges(new double[] {0.0, 1.0}))); // equal edges are fine
    }

    /** A sliding window kept as a running sum of panes equals the histogram of its events. */
    @Test
    void slidingWindowEqualsHistogramOfTheEventsInside() {
        SplittableRandom rnd = new SplittableRandom(11);
        double[] reference = new double[2000];
        for (int i = 0; i < reference.length; i++) {
            reference[i] = rnd.nextGaussian();
        }
        QuantileBins bins = QuantileBins.fromReference(reference, 20);
        int panesInWindow = 5;
        Deque<Histogram> panes = new ArrayDeque<>();
        Deque<double[]> paneEvents = new ArrayDeque<>();
        Histogram window = Histogram.of(bins);
        for (int p = 0; p < 30; p++) {
            double[] events = new double[50 + rnd.nextInt(100)];
            Histogram pane = Histogram.of(bins);
            for (int i = 0; i < events.length; i++) {
                events[i] = rnd.nextGaussian() + p * 0.01;
                pane.record(events[i]);
            }
            panes.addLast(pane);
            paneEvents.addLast(events);
            window.add(pane);
            if (panes.size() > panesInWindow) {
                window.subtract(panes.removeFirst());
                paneEvents.removeFirst();
            }
            Histogram direct = Histogram.of(bins);
            for (double[] ev : paneEvents) {
                for (double v : ev) {
                    direct.record(v);
                }
            }
            assertArrayEquals(direct.counts(), window.counts(), "pane " + p);
            assertEquals(direct.total(), window.total());
        }
    }

    @Test
    void recordByValueNeedsBinsAndRecordByIndexIsChecked() {
        Histogram byIndex = Histogram.withBins(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> byIndex.record(1.5));
        assertTrue(e.getMessage().contains("record(int bin)"));
        assertThrows(IllegalArgumentException.class, () -> byIndex.record(2));
        byIndex.record(1);
        byIndex.record(0, 4);
        assertArrayEquals(new long[] {4, 1}, byIndex.counts());
        Histogram copy = byIndex.copy();
        byIndex.clear();
        assertEquals(0, byIndex.total());
        assertEquals(5, copy.total());
    }

    @Test
    void categoryDictionaryHasAnOtherBin() {
        CategoryDictionary dict = CategoryDictionary.fromReference(List.of("b", "a", "c", "a"));
        assertEquals(List.of("a", "b", "c"), dict.categories());
        assertEquals(3, dict.otherIndex());
        assertEquals(4, dict.binCount());
        assertEquals(1, dict.indexOf("b"));
        assertEquals(3, dict.indexOf("never seen"));
        Histogram h = dict.histogram(List.of("a", "z", "c", "y", "a"));
        assertArrayEquals(new long[] {2, 0, 1, 2}, h.counts());
        assertEquals(0.4, UnseenShare.of(dict, h), 0.0);
        CategoryDictionary.AlignedCounts aligned = dict.aligned(dict.histogram(List.of("a", "b")), h);
        assertArrayEquals(new long[] {1, 1, 0, 0}, aligned.reference(), "other kept: the current has unseen values");
        CategoryDictionary.AlignedCounts noOther = dict.aligned(dict.histogram(List.of("a")), dict.histogram(List.of("c")));
        assertEquals(3, noOther.current().length, "other dropped: empty in both");
    }
}
