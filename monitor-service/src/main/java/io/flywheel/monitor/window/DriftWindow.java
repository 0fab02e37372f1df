package io.flywheel.monitor.window;

import java.util.Arrays;

/**
 * The live data of one model version as a sliding window of panes, each pane a flat array of bin
 * counts over every feature (layout of {@link CompiledProfile}). The window is the running sum of
 * its panes: {@code closed} holds the sum of every pane but the newest (open) one, so a pane that
 * closes is added once and a pane that expires is subtracted once, O(width) per roll, and reading
 * the window adds the open pane. Memory: (panes + 1) arrays of {@code width} longs, whatever the
 * traffic.
 *
 * <p>Immutable: {@link #plus} returns a new window that shares every array it did not change (the
 * checkpoint store may be saving this one). {@link Folder} is the mutable twin for folding in bulk.
 *
 * @param latest     index of the newest pane seen (Long.MIN_VALUE before any event)
 * @param panes      ring of pane counts, slot = index mod spec.panes; null slots are empty
 * @param paneIndex  index held by each slot
 * @param paneEvents events per slot
 * @param closed     sum of the closed panes still in the window
 * @param late       events too old for the window, counted and dropped
 * @param events     events ever folded (including expired ones)
 */
public record DriftWindow(WindowSpec spec, int width, long latest, long[][] panes, long[] paneIndex,
                          long[] paneEvents, long[] closed, long closedEvents, long late, long events) {

    public static DriftWindow empty(WindowSpec spec, int width) {
        return new DriftWindow(spec, width, Long.MIN_VALUE, new long[spec.panes()][], new long[spec.panes()],
                new long[spec.panes()], new long[width], 0, 0, 0);
    }

    /** This window with one more event at {@code timeMillis}, whose flat bins are given (MISSING skipped). */
    public DriftWindow plus(long timeMillis, int[] flatBins) {
        long index = spec.paneIndex(timeMillis);
        DriftWindow w = index > latest ? advanceTo(index) : this;
        if (index <= w.latest - spec.panes()) {
            return new DriftWindow(spec, width, w.latest, w.panes, w.paneIndex, w.paneEvents, w.closed,
                    w.closedEvents, w.late + 1, w.events + 1);
        }
        int slot = slot(index);
        long[][] ring = w.panes.clone();
        long[] idx = w.paneIndex;
        long[] ev = w.paneEvents.clone();
        long[] counts = ring[slot] == null || idx[slot] != index ? new long[width] : ring[slot].clone();
        if (ring[slot] == null || idx[slot] != index) {
            idx = idx.clone();
            idx[slot] = index;
            ev[slot] = 0;
        }
        for (int b : flatBins) {
            if (b >= 0) {
                counts[b]++;
            }
        }
        ring[slot] = counts;
        ev[slot]++;
        long[] closed = w.closed;
        long closedEvents = w.closedEvents;
        if (index < w.latest) { // a late event in a closed pane: the running sum takes it too
            closed = closed.clone();
            for (int b : flatBins) {
                if (b >= 0) {
                    closed[b]++;
                }
            }
            closedEvents++;
        }
        return new DriftWindow(spec, width, w.latest, ring, idx, ev, closed, closedEvents, w.late, w.events + 1);
    }

    /**
     * This window with a run of events, in order: the same window as {@link #plus} one at a time gives,
     * but each array is copied at most once for the whole run instead of once per event (a prediction of
     * 10 features of 100 bins copied ~9 KB).
     */
    public DriftWindow plusAll(long[] timesMillis, int[][] flatBins) {
        if (timesMillis.length != flatBins.length) {
            throw new IllegalArgumentException(timesMillis.length + " times for " + flatBins.length + " events");
        }
        long latest = this.latest;
        long[][] ring = panes.clone();
        boolean[] owned = new boolean[ring.length]; // pane arrays of this run's own, safe to change
        long[] idx = paneIndex.clone();
        long[] ev = paneEvents.clone();
        long[] closed = this.closed.clone();
        long closedEvents = this.closedEvents;
        long late = this.late;
        long events = this.events;
        for (int e = 0; e < timesMillis.length; e++) {
            long index = spec.paneIndex(timesMillis[e]);
            int[] bins = flatBins[e];
            events++;
            if (index > latest) { // as advanceTo: the open pane closes, old panes expire
                if (latest != Long.MIN_VALUE) {
                    int open = slot(latest);
                    if (ring[open] != null && idx[open] == latest) {
                        add(closed, ring[open], 1);
                        closedEvents += ev[open];
                    }
                }
                long oldest = index - spec.panes();
                for (int s = 0; s < ring.length; s++) {
                    if (ring[s] != null && idx[s] <= oldest) {
                        add(closed, ring[s], -1);
                        closedEvents -= ev[s];
                        ring[s] = null;
                        owned[s] = false;
                        ev[s] = 0;
                    }
                }
                latest = index;
            }
            if (index <= latest - spec.panes()) {
                late++;
                continue;
            }
            int slot = slot(index);
            if (ring[slot] == null || idx[slot] != index) {
                ring[slot] = new long[width];
                owned[slot] = true;
                idx[slot] = index;
                ev[slot] = 0;
            } else if (!owned[slot]) {
                ring[slot] = ring[slot].clone();
                owned[slot] = true;
            }
            long[] counts = ring[slot];
            for (int b : bins) {
                if (b >= 0) {
                    counts[b]++;
                }
            }
            ev[slot]++;
            if (index < latest) { // a late event in a closed pane: the running sum takes it too
                for (int b : bins) {
                    if (b >= 0) {
                        closed[b]++;
                    }
                }
                closedEvents++;
            }
        }
        return new DriftWindow(spec, width, latest, ring, idx, ev, closed, closedEvents, late, events);
    }

    /** Moves the window so that pane {@code index} is the open one: closes the old open pane, expires old panes. */
    DriftWindow advanceTo(long index) {
        long[] closed = closed().clone();
        long closedEvents = this.closedEvents;
        long[][] ring = panes.clone();
        long[] idx = paneIndex.clone();
        long[] ev = paneEvents.clone();
        if (latest != Long.MIN_VALUE) {
            int open = slot(latest);
            if (ring[open] != null && idx[open] == latest) {
                add(closed, ring[open], 1); // the open pane closes
                closedEvents += ev[open];
            }
        }
        long oldest = index - spec.panes(); // panes <= oldest leave the window
        for (int s = 0; s < ring.length; s++) {
            if (ring[s] != null && idx[s] <= oldest) { // every pane left in the ring is in `closed` now
                add(closed, ring[s], -1);
                closedEvents -= ev[s];
                ring[s] = null;
                ev[s] = 0;
            }
        }
        return new DriftWindow(spec, width, index, ring, idx, ev, closed, closedEvents, late, events);
    }

    private static void add(long[] into, long[] pane, int sign) {
        for (int i = 0; i < into.length; i++) {
            into[i] += sign * pane[i];
        }
    }

    private int slot(long index) {
        return (int) Math.floorMod(index, (long) spec.panes());
    }

    /** The window's counts: the closed panes' running sum plus the open pane. */
    public long[] counts() {
        long[] out = closed.clone();
        if (latest != Long.MIN_VALUE) {
            int open = slot(latest);
            if (panes[open] != null && paneIndex[open] == latest) {
                add(out, panes[open], 1);
            }
        }
        return out;
    }

    /** Events in the window now. */
    public long windowEvents() {
        if (latest == Long.MIN_VALUE) {
            return 0;
        }
        int open = slot(latest);
        return closedEvents + (panes[open] != null && paneIndex[open] == latest ? paneEvents[open] : 0);
    }

    /** Start of the window (inclusive), epoch ms. */
    public long startMillis() {
        return (latest - spec.panes() + 1) * spec.paneMillis();
    }

    /** End of the window (exclusive): the end of the open pane, epoch ms. */
    public long endMillis() {
        return (latest + 1) * spec.paneMillis();
    }

    /**
     * Bytes of state this window holds: the ring's pane arrays and the running sum (8 bytes a
     * count), the per-slot index and event arrays, and the scalars. What is persisted is the same
     * numbers. Constant in the number of events once every slot has been used.
     */
    public long stateBytes() {
        long bytes = 8L * closed.length + 16L * spec.panes() + 6 * 8 + 16;
        for (long[] p : panes) {
            if (p != null) {
                bytes += 8L * p.length;
            }
        }
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DriftWindow w && w.latest == latest && w.width == width && w.spec.equals(spec)
                && Arrays.equals(w.counts(), counts()) && w.late == late && w.events == events;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts()) * 31 + Long.hashCode(latest);
    }
}
