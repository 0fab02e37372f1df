package io.flywheel.monitor.drift;

import java.util.Locale;

/**
 * The drift tests Flywheel knows, by their wire name, with Evidently's default threshold and the
 * direction in which the threshold is applied. Thresholds can be overridden per policy or per call
 * ({@link DriftPolicy}).
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>name</th><th>statistic</th><th>default</th><th>drift when</th></tr>
 *   <tr><td>ks</td><td>two-sample KS</td><td>0.05</td><td>p-value &lt; threshold</td></tr>
 *   <tr><td>chi2</td><td>chi-square over reference categories</td><td>0.05</td><td>p-value &lt; threshold</td></tr>
 *   <tr><td>z</td><td>two-proportion z-test (two categories)</td><td>0.05</td><td>p-value &lt; threshold</td></tr>
 *   <tr><td>wasserstein</td><td>raw Wasserstein-1, in feature units</td><td>0.1</td><td>statistic &gt;= threshold</td></tr>
 *   <tr><td>wasserstein_norm</td><td>Wasserstein / max(std_ref, 0.001)</td><td>0.1</td><td>statistic &gt;= threshold</td></tr>
 *   <tr><td>psi</td><td>PSI over shared bins</td><td>0.1</td><td>statistic &gt;= threshold</td></tr>
 *   <tr><td>js</td><td>Jensen–Shannon distance, base 2</td><td>0.1</td><td>statistic &gt;= threshold</td></tr>
 *   <tr><td>hellinger</td><td>Hellinger distance</td><td>0.1</td><td>statistic &gt;= threshold</td></tr>
 *   <tr><td>unseen_share</td><td>share of current values in new categories</td><td>0.1</td><td>statistic &gt;= threshold</td></tr>
 * </table>
 *
 * Evidently's "wasserstein" stattest is the normalised one, so its 0.1 belongs to
 * {@code wasserstein_norm}; the raw distance carries the feature's units and its 0.1 default is only
 * a placeholder to override per feature. {@code unseen_share} has no Evidently counterpart; 0.1 is
 * Flywheel's choice.
 */
public enum DriftTest {
    KS("ks", 0.05, Direction.P_VALUE_BELOW),
    CHI2("chi2", 0.05, Direction.P_VALUE_BELOW),
    Z("z", 0.05, Direction.P_VALUE_BELOW),
    WASSERSTEIN("wasserstein", 0.1, Direction.STATISTIC_AT_LEAST),
    WASSERSTEIN_NORM("wasserstein_norm", 0.1, Direction.STATISTIC_AT_LEAST),
    PSI("psi", 0.1, Direction.STATISTIC_AT_LEAST),
    JS("js", 0.1, Direction.STATISTIC_AT_LEAST),
    HELLINGER("hellinger", 0.1, Direction.STATISTIC_AT_LEAST),
    UNSEEN_SHARE("unseen_share", 0.1, Direction.STATISTIC_AT_LEAST);

    /** How a threshold turns a result into a drift decision. */
    public enum Direction {
        /** Drift when the p-value is strictly below the threshold (a significance level). */
        P_VALUE_BELOW,
        /** Drift when the statistic (a distance) is at least the threshold, as Evidently does. */
        STATISTIC_AT_LEAST
    }

    private final String id;
    private final double defaultThreshold;
    private final Direction direction;

    DriftTest(String id, double defaultThreshold, Direction direction) {
        this.id = id;
        this.defaultThreshold = defaultThreshold;
        this.direction = direction;
    }

    /** The wire name, e.g. {@code "wasserstein_norm"}. */
    public String id() {
        return id;
    }

    public double defaultThreshold() {
        return defaultThreshold;
    }

    public Direction direction() {
        return direction;
    }

    public boolean usesPValue() {
        return direction == Direction.P_VALUE_BELOW;
    }

    /** Drift decision for a statistic or p-value against a threshold, in this test's direction. */
    public boolean isDrift(double statistic, double pValue, double threshold) {
        return usesPValue() ? pValue < threshold : statistic >= threshold;
    }

    /** The test with the given wire name (case-insensitive). */
    public static DriftTest fromId(String id) {
        if (id == null) {
            throw new IllegalArgumentException("drift test name must not be null");
        }
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        for (DriftTest t : values()) {
            if (t.id.equals(wanted)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown drift test '" + id + "'; known: ks, chi2, z, wasserstein, "
            + "wasserstein_norm, psi, js, hellinger, unseen_share");
    }
}
