package io.flywheel.monitor.drift;

/**
 * One-sided Kolmogorov–Smirnov (Smirnov) survival function Pr(D_n^+ >= x), a port of
 * {@code scipy.special.smirnov} (xsf {@code cephes/kolmogorov.h}, Birnbaum–Tingey sum).
 *
 * <p>It follows scipy's case analysis, choice between the lower and the (alternating, at most three
 * term) upper sum, and early termination rule. scipy evaluates each term in double-double
 * arithmetic; here each term is evaluated in log space from exactly split n*x (floor and fraction
 * via an FMA), which keeps terms to about 1e-12 relative, far inside what p-values need.
 */
final class Smirnov {

    private static final int MAX_COMPUTE_N = 1_000_000;
    private static final int UPPER_MAX_TERMS = 3;
    private static final int UPPERSUM_MIN_N = 10;
    /** cephes MINLOG: log(2^-1075). */
    private static final double MINLOG = -7.451332191019412076235245305675398106812E2;
    private static final double EPSILON = Math.ulp(1.0);

    private Smirnov() {
    }

    static double sf(long n, double x) {
        if (!(n > 0 && x >= 0.0 && x <= 1.0)) {
            return Double.NaN;
        }
        if (n == 1) {
            return 1 - x;
        }
        if (x == 0.0) {
            return 1.0;
        }
        if (x == 1.0) {
            return 0.0;
        }
        // floor(n*x) and its fractional part, exactly (scipy's modNX in double-double)
        double nxHi = n * x;
        double nxLo = Math.fma((double) n, x, -nxHi);
        double floorHi = Math.floor(nxHi);
        long nxfl;
        double alpha;
        if (nxHi == floorHi) {
            if (nxLo < 0) {
                nxfl = (long) floorHi - 1;
                alpha = 1.0 + nxLo;
            } else {
                nxfl = (long) floorHi;
                alpha = nxLo;
            }
        } else {
            nxfl = (long) floorHi;
            alpha = (nxHi - floorHi) + nxLo;
        }
        if (alpha == 1.0) {
            nxfl += 1;
            alpha = 0.0;
        }
        long n1mxfl = n - nxfl - (alpha == 0 ? 0 : 1);
        long n1mxceil = n - nxfl;
        if (alpha == 0) { // the boundary term belongs to neither sum
            n1mxfl -= 1;
            n1mxceil += 1;
        }

        if (nxfl == 0 || (nxfl == 1 && alpha == 0)) { // x <= 1/n
            double t = Math.exp((n - 1) * Math.log1p(x));
            return clip(1 - x * t);
        }
        if (-2 * n * x * x < MINLOG) { // the SF underflows
            return 0.0;
        }
        if (nxfl >= n - 1) { // x >= 1 - 1/n
            return clip(Math.exp(n * Math.log1p(-x)));
        }
        if (n > MAX_COMPUTE_N) { // scipy's approximation p ~ exp(-(6nx+1)^2 / 18n)
            double logp = -Math.pow(6.0 * n * x + 1, 2) / 18.0 / n;
            double sf = logp < -Math.log(2) ? Math.exp(logp) : 1 - (-Math.expm1(logp));
            return clip(sf);
        }
        int ni = (int) n;
        long nUpperTerms = n - n1mxceil + 1;
        boolean useUpperSum = (nUpperTerms <= 1 && x < 0.5)
            || (n >= UPPERSUM_MIN_N && nUpperTerms <= UPPER_MAX_TERMS && x <= 0.5 / Math.sqrt(n));

        int start;
        int step;
        long nTerms;
        double sum;
        if (useUpperSum) {
            start = ni;
            step = -1;
            nTerms = n - n1mxceil + 1;
            sum = Math.exp((n - 1) * Math.log1p(x));
        } else {
            start = 0;
            step = 1;
            nTerms = n1mxfl + 1;
            sum = Math.exp(n * Math.log1p(-x)) / x;
        }
        // log C(n, j) as a running sum carried with its rounding error (TwoSum): a plain running
        // sum of thousands of terms would lose ~1e-9 relative accuracy for n ~ 1e5..1e6
        double logBinomial = Math.log(n); // log C(n, 1)
        double logBinomialError = 0.0;
        int vmid = ni / 2;
        for (int j = 1; j < nTerms; j++) {
            int v = start + j * step;
            // A_v = C(n, v) (1 - x - v/n)^(n-v) (x + v/n)^(v-1), with C(n, v) = C(n, j)
            double base2 = ((double) (ni - nxfl - v) - alpha) / n;
            double base1 = ((double) (nxfl + v) + alpha) / n;
            double logA = (logBinomial + (ni - v) * Math.log(Math.abs(base2)) + (v - 1) * Math.log(base1))
                + logBinomialError;
            double aj = Math.exp(logA);
            if (base2 < 0 && ((ni - v) & 1) == 1) {
                aj = -aj;
            }
            if (Double.isFinite(aj) && aj != 0.0) {
                sum += aj;
            }
            if (aj != 0.0) {
                if (4 * (nTerms - j) * Math.abs(aj) < EPSILON * sum && j != nTerms - 1) {
                    break;
                }
            } else if (j > vmid) {
                break;
            }
            double increment = Math.log((double) (ni - j) / (j + 1));
            double t = logBinomial + increment;
            logBinomialError += Math.abs(logBinomial) >= Math.abs(increment)
                ? (logBinomial - t) + increment : (increment - t) + logBinomial;
            logBinomial = t;
        }
        double prob = x * sum;
        return clip(step < 0 ? 1 - prob : prob);
    }

    private static double clip(double p) {
        return Math.min(Math.max(p, 0.0), 1.0);
    }
}
