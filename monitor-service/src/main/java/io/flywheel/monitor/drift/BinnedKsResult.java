package io.flywheel.monitor.drift;

/**
 * KS statistic of two samples known only through histograms over the same bins.
 *
 * @param lowerBound     largest |F_ref - F_win| at the bin edges; the exact D is at least this
 * @param upperBound     the largest D any two samples with these histograms can have
 * @param estimate       point estimate of D (the lower bound, see {@link BinnedKs})
 * @param pValue         two-sided p-value at the estimate, scipy 'auto' rules
 * @param referenceCount n1, events in the reference histogram
 * @param windowCount    n2, events in the window histogram
 */
public record BinnedKsResult(double lowerBound, double upperBound, double estimate, double pValue,
                             long referenceCount, long windowCount) {
}
