package io.flywheel.monitor.window;

import io.flywheel.monitor.quality.Adwin;
import io.flywheel.monitor.quality.Ddm;
import io.flywheel.monitor.quality.DriftState;
import io.flywheel.monitor.quality.PageHinkley;

/**
 * Quality of one model version's labelled predictions over a sliding window of panes (by the
 * prediction's time), with the concept-drift detectors fed in label order. Same running-sum scheme
 * as {@link DriftWindow}; immutable ({@link #plus} returns a new window).
 *
 * @param ddm          DDM on the 0/1 error stream (classification only; null until a class label)
 * @param pageHinkley  Page–Hinkley in "up" mode on the error stream
 * @param adwin        ADWIN on the error stream
 * @param lastDrift    per detector (ddm, page_hinkley, adwin) the time of its last DRIFT, or Long.MIN_VALUE
 */
public record QualityWindow(WindowSpec spec, long latest, QualityStats[] panes, long[] paneIndex, QualityStats closed,
                            long late, Ddm.Snapshot ddm, PageHinkley.Snapshot pageHinkley, Adwin.Snapshot adwin,
                            long[] lastDrift) {

    public static final String[] DETECTORS = {"ddm", "page_hinkley", "adwin"};

    public static QualityWindow empty(WindowSpec spec) {
        return new QualityWindow(spec, Long.MIN_VALUE, new QualityStats[spec.panes()], new long[spec.panes()],
                QualityStats.empty(), 0, null, new PageHinkley(PageHinkley.Config.errorStream()).snapshot(),
                new Adwin().snapshot(), new long[]{Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE});
    }

    /** This window with one more labelled prediction made at {@code timeMillis}. */
    public QualityWindow plus(long timeMillis, Outcome outcome) {
        long index = spec.paneIndex(timeMillis);
        QualityWindow w = index > latest ? advanceTo(index) : this;
        // detectors see every labelled prediction, in label order, however late
        long[] lastDrift = w.lastDrift.clone();
        Ddm.Snapshot ddm = w.ddm;
        if (outcome.classification()) {
            Ddm d = ddm == null ? new Ddm() : Ddm.restore(ddm);
            if (d.update(outcome.error()) == DriftState.DRIFT) {
                lastDrift[0] = timeMillis;
            }
            ddm = d.snapshot();
        }
        PageHinkley ph = PageHinkley.restore(w.pageHinkley);
        if (ph.update(outcome.error()) == DriftState.DRIFT) {
            lastDrift[1] = timeMillis;
        }
        Adwin ad = Adwin.restore(w.adwin);
        if (ad.update(outcome.error()) == DriftState.DRIFT) {
            lastDrift[2] = timeMillis;
        }
        if (index <= w.latest - spec.panes()) {
            return new QualityWindow(spec, w.latest, w.panes, w.paneIndex, w.closed, w.late + 1, ddm, ph.snapshot(),
                    ad.snapshot(), lastDrift);
        }
        int slot = (int) Math.floorMod(index, (long) spec.panes());
        QualityStats[] ring = w.panes.clone();
        long[] idx = w.paneIndex.clone();
        QualityStats pane = ring[slot] == null || idx[slot] != index ? QualityStats.empty() : ring[slot];
        idx[slot] = index;
        ring[slot] = pane.plus(outcome);
        QualityStats closed = w.closed;
        if (index < w.latest) {
            closed = closed.plus(outcome);
        }
        return new QualityWindow(spec, w.latest, ring, idx, closed, w.late, ddm, ph.snapshot(), ad.snapshot(),
                lastDrift);
    }

    QualityWindow advanceTo(long index) {
        QualityStats closed = this.closed;
        QualityStats[] ring = panes.clone();
        long[] idx = paneIndex.clone();
        if (latest != Long.MIN_VALUE) {
            int open = (int) Math.floorMod(latest, (long) spec.panes());
            if (ring[open] != null && idx[open] == latest) {
                closed = closed.add(ring[open]);
            }
        }
        long oldest = index - spec.panes();
        for (int s = 0; s < ring.length; s++) {
            if (ring[s] != null && idx[s] <= oldest) {
                closed = closed.subtract(ring[s]);
                ring[s] = null;
            }
        }
        return new QualityWindow(spec, index, ring, idx, closed, late, ddm, pageHinkley, adwin, lastDrift);
    }

    /** The window's quality: the closed panes' running sum plus the open pane. */
    public QualityStats stats() {
        if (latest == Long.MIN_VALUE) {
            return closed;
        }
        int open = (int) Math.floorMod(latest, (long) spec.panes());
        return panes[open] != null && paneIndex[open] == latest ? closed.add(panes[open]) : closed;
    }

    public long startMillis() {
        return (latest - spec.panes() + 1) * spec.paneMillis();
    }

    public long endMillis() {
        return (latest + 1) * spec.paneMillis();
    }

    /** Merges two windows of the same version kept by two consumers (their panes add up). */
    public static QualityStats merged(QualityWindow a, QualityWindow b) {
        if (a == null) {
            return b == null ? QualityStats.empty() : b.stats();
        }
        return b == null ? a.stats() : a.stats().add(b.stats());
    }
}
