package io.flywheel.monitor.drift;

/**
 * Survival function of the two-sided one-sample Kolmogorov–Smirnov statistic D_n for finite n,
 * a port of {@code scipy.stats.kstwo.sf} (scipy 1.17.1, {@code scipy/stats/_ksstats.py}).
 *
 * <p>scipy's {@code ks_2samp} uses {@code kstwo.sf(d, round(n1*n2/(n1+n2)))} for its asymptotic
 * two-sided p-value, so this class decides which algorithm to use exactly as Simard and L'Ecuyer
 * (2011) do in scipy: Ruben–Gambino closed forms at the ends of the support, the Durbin matrix
 * (Marsaglia–Tsang–Wang), Pomeranz's recursion, the Pelz–Good expansion, and twice the one-sided
 * Smirnov tail where the two one-sided tails cannot overlap. scipy's long-double rescaling is done
 * here in doubles with the same power-of-two scale factors, so results agree to a few ulps.
 */
final class KolmogorovDistribution {

    private static final int E128 = 128;
    private static final double EP128 = Math.scalb(1.0, E128);
    private static final double EM128 = Math.scalb(1.0, -E128);
    private static final double SQRT2PI = Math.sqrt(2 * Math.PI);
    private static final double LOG_2PI = Math.log(2 * Math.PI);
    private static final double MIN_LOG = -708;
    private static final double SQRT3 = Math.sqrt(3);
    private static final double PI_SQUARED = Math.PI * Math.PI;
    private static final double PI_FOUR = Math.pow(Math.PI, 4);
    private static final double PI_SIX = Math.pow(Math.PI, 6);
    /** Stirling series coefficients B_2j/(2j)/(2j-1), j = 8..1, as in scipy. */
    private static final double[] STIRLING_COEFFS = {-2.955065359477124183e-2, 6.4102564102564102564e-3,
        -1.9175269175269175269e-3, 8.4175084175084175084e-4, -5.952380952380952381e-4,
        7.9365079365079365079e-4, -2.7777777777777777778e-3, 8.3333333333333333333e-2};

    private KolmogorovDistribution() {
    }

    /**
     * {@code kstwo.sf(x, n)}: Pr(D_n > x), including scipy's support handling (1 at or below
     * 1/(2n), 0 at or above 1).
     */
    static double sf(long n, double x) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1, was " + n);
        }
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        // rv_continuous.sf: the support of kstwo is (0.5/n, 1)
        if (x <= 0.5 / n) {
            return 1.0;
        }
        if (x >= 1.0) {
            return 0.0;
        }
        return kolmogn(n, x, false);
    }

    /** {@code kstwo.cdf(x, n)}, used by tests to check the algorithms against each other. */
    static double cdf(long n, double x) {
        if (x <= 0.5 / n) {
            return 0.0;
        }
        if (x >= 1.0) {
            return 1.0;
        }
        return kolmogn(n, x, true);
    }

    private static double select(double cdfProb, double sfProb, boolean cdf) {
        return clip(cdf ? cdfProb : sfProb);
    }

    private static double clip(double p) {
        return Math.min(Math.max(p, 0.0), 1.0);
    }

    /** scipy's {@code _kolmogn}: picks the algorithm as Simard and L'Ecuyer recommend. */
    static double kolmogn(long n, double x, boolean cdf) {
        if (x >= 1.0) {
            return select(1.0, 0.0, cdf);
        }
        if (x <= 0.0) {
            return select(0.0, 1.0, cdf);
        }
        double t = n * x;
        if (t <= 1.0) { // Ruben-Gambino: 1/2n <= x <= 1/n
            if (t <= 0.5) {
                return select(0.0, 1.0, cdf);
            }
            double prob;
            if (n <= 140) {
                prob = 1.0;
                double oneOverN = 1.0 / n;
                for (long i = 1; i <= n; i++) {
                    prob *= i * oneOverN * (2 * t - 1);
                }
            } else {
                prob = Math.exp(logNFactorialDivNPowN(n) + n * Math.log(2 * t - 1));
            }
            return select(prob, 1.0 - prob, cdf);
        }
        if (t >= n - 1) { // Ruben-Gambino
            double prob = 2 * Math.pow(1.0 - x, n);
            return select(1 - prob, prob, cdf);
        }
        if (x >= 0.5) { // exact: the two one-sided tails are disjoint
            double prob = 2 * Smirnov.sf(n, x);
            return select(1.0 - prob, prob, cdf);
        }
        double nxSquared = t * x;
        if (n <= 140) {
            if (nxSquared <= 0.754693) {
                double prob = durbinMatrix(n, x);
                return select(prob, 1.0 - prob, cdf);
            }
            if (nxSquared <= 4) {
                double prob = pomeranz((int) n, x);
                return select(prob, 1.0 - prob, cdf);
            }
            double prob = 2 * Smirnov.sf(n, x);
            return select(1.0 - prob, prob, cdf);
        }
        // CDF and SF have different cut-offs on n*x^2
        if (!cdf) {
            if (nxSquared >= 370.0) {
                return 0.0;
            }
            if (nxSquared >= 2.2) {
                return clip(2 * Smirnov.sf(n, x));
            }
            // fall through: SF = 1 - CDF
        }
        double cdfProb;
        if (nxSquared >= 18.0) {
            cdfProb = 1.0;
        } else if (n <= 100000 && n * Math.pow(x, 1.5) <= 1.4) {
            cdfProb = durbinMatrix(n, x);
        } else {
            cdfProb = pelzGood(n, x);
        }
        return select(cdfProb, 1.0 - cdfProb, cdf);
    }

    /** log(n!/n^n) by Stirling's series with n*log(n) removed up front (no cancellation). */
    static double logNFactorialDivNPowN(long n) {
        double rn = 1.0 / n;
        double poly = 0.0;
        double y = rn / n;
        for (double c : STIRLING_COEFFS) {
            poly = poly * y + c;
        }
        return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * poly;
    }

    /** Pr(D_n <= d) by Durbin's matrix algorithm as arranged by Marsaglia, Tsang and Wang. */
    static double durbinMatrix(long n, double d) {
        if (d >= 1.0) {
            return 1.0;
        }
        double nd = n * d;
        if (nd <= 0.5) {
            return 0.0;
        }
        int k = (int) Math.ceil(nd);
        double h = k - nd;
        int m = 2 * k - 1;

        double[] v = new double[m];
        double[] w = new double[m];
        double fac = 1.0;
        for (int j = 1; j <= m; j++) {
            v[j - 1] = 1.0 - Math.pow(h, j);
            w[j - 1] = fac;
            fac /= j; // may underflow; harmless
            v[j - 1] *= fac;
        }
        double tt = Math.pow(Math.max(2 * h - 1.0, 0), m) - 2 * Math.pow(h, m);
        v[m - 1] = (1.0 + tt) * fac;

        double[][] hm = new double[m][m];
        for (int i = 1; i < m; i++) {
            for (int r = i - 1; r < m; r++) {
                hm[r][i] = w[r - (i - 1)];
            }
        }
        for (int r = 0; r < m; r++) {
            hm[r][0] = v[r];
        }
        for (int c = 0; c < m; c++) {
            hm[m - 1][c] = v[m - 1 - c];
        }

        double[][] power = identity(m);
        long nn = n;
        int expnt = 0;   // scaling of power
        int hExpnt = 0;  // scaling of hm
        while (nn > 0) {
            if (nn % 2 == 1) {
                power = multiply(power, hm);
                expnt += hExpnt;
            }
            hm = multiply(hm, hm);
            hExpnt *= 2;
            if (Math.abs(hm[k - 1][k - 1]) > EP128) {
                scale(hm, EM128);
                hExpnt += E128;
            }
            nn /= 2;
        }
        double p = power[k - 1][k - 1];
        // multiply by n!/n^n, rescaling to avoid underflow
        for (long i = 1; i <= n; i++) {
            p = i * p / n;
            if (Math.abs(p) < EM128) {
                p *= EP128;
                expnt -= E128;
            }
        }
        if (expnt != 0) {
            p = Math.scalb(p, expnt);
        }
        return clip(p);
    }

    private static double[][] identity(int m) {
        double[][] id = new double[m][m];
        for (int i = 0; i < m; i++) {
            id[i][i] = 1.0;
        }
        return id;
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        int m = a.length;
        double[][] c = new double[m][m];
        for (int i = 0; i < m; i++) {
            double[] ci = c[i];
            double[] ai = a[i];
            for (int k = 0; k < m; k++) {
                double aik = ai[k];
                if (aik == 0.0) {
                    continue;
                }
                double[] bk = b[k];
                for (int j = 0; j < m; j++) {
                    ci[j] += aik * bk[j];
                }
            }
        }
        return c;
    }

    private static void scale(double[][] a, double factor) {
        for (double[] row : a) {
            for (int j = 0; j < row.length; j++) {
                row[j] *= factor;
            }
        }
    }

    /** Pr(D_n <= x) by Pomeranz's recursion (two rows of the n x (2n+2) matrix at a time). */
    static double pomeranz(int n, double x) {
        double t = n * x;
        int ll = (int) Math.floor(t);
        double f = t - ll;
        double g = Math.min(f, 1.0 - f);
        int ceilf = f > 0 ? 1 : 0;
        int roundf = f > 0.5 ? 1 : 0;
        int npwrs = 2 * (ll + 1);
        // (g/n)^m/m!, (2g/n)^m/m!, ((1-2g)/n)^m/m!: Poisson probabilities without the normaliser
        double[] gpower = new double[npwrs];
        double[] twogpower = new double[npwrs];
        double[] onem2gpower = new double[npwrs];
        gpower[0] = 1.0;
        twogpower[0] = 1.0;
        onem2gpower[0] = 1.0;
        int expnt = 0;
        double gOverN = g / n;
        double twoGOverN = 2 * g / n;
        double oneMinusTwoGOverN = (1 - 2 * g) / n;
        for (int m = 1; m < npwrs; m++) {
            gpower[m] = gpower[m - 1] * gOverN / m;
            twogpower[m] = twogpower[m - 1] * twoGOverN / m;
            onem2gpower[m] = onem2gpower[m - 1] * oneMinusTwoGOverN / m;
        }
        double[] v0 = new double[npwrs];
        double[] v1 = new double[npwrs];
        v1[0] = 1;
        int v0s = 0;
        int v1s = 0;
        int[] j12 = pomeranzJ1J2(0, n, ll, ceilf, roundf);
        int j1 = j12[0];
        int j2;
        for (int i = 1; i < 2 * n + 2; i++) {
            int k1 = j1;
            double[] tmp = v0;
            v0 = v1;
            v1 = tmp;
            int tmps = v0s;
            v0s = v1s;
            v1s = tmps;
            java.util.Arrays.fill(v1, 0.0);
            j12 = pomeranzJ1J2(i, n, ll, ceilf, roundf);
            j1 = j12[0];
            j2 = j12[1];
            double[] pwrs = (i == 1 || i == 2 * n + 1) ? gpower : (i % 2 == 1 ? twogpower : onem2gpower);
            int ln2 = j2 - k1 + 1;
            if (ln2 > 0) {
                int aStart = k1 - v0s;
                int aLen = Math.min(ln2, npwrs - aStart); // numpy slices clip at the end
                int convStart = j1 - k1;
                int convLen = j2 - j1 + 1;
                double max = 0.0;
                for (int r = 0; r < convLen; r++) {
                    int idx = convStart + r; // index into the full convolution
                    double s = 0.0;
                    int lo = Math.max(0, idx - (ln2 - 1));
                    int hi = Math.min(idx, aLen - 1);
                    for (int a = lo; a <= hi; a++) {
                        s += v0[aStart + a] * pwrs[idx - a];
                    }
                    v1[r] = s;
                    max = Math.max(max, s);
                }
                if (0 < max && max < EM128) { // rescale to avoid underflow
                    for (int r = 0; r < v1.length; r++) {
                        v1[r] *= EP128;
                    }
                    expnt -= E128;
                }
                v1s = v0s + j1 - k1;
            }
        }
        double ans = v1[n - v1s];
        for (int m = 1; m <= n; m++) { // multiply by n!
            if (Math.abs(ans) > EP128) {
                ans *= EM128;
                expnt += E128;
            }
            ans *= m;
        }
        if (expnt != 0) {
            ans = Math.scalb(ans, expnt);
        }
        return clip(ans);
    }

    private static int[] pomeranzJ1J2(int i, int n, int ll, int ceilf, int roundf) {
        int j1;
        int j2;
        if (i == 0) {
            j1 = -ll - ceilf - 1;
            j2 = ll + ceilf - 1;
        } else {
            int ip1div2 = (i + 1) / 2;
            int ip1mod2 = (i + 1) % 2;
            if (ip1mod2 == 0) { // i is odd
                if (ip1div2 == n + 1) {
                    j1 = n - ll - ceilf - 1;
                    j2 = n + ll + ceilf - 1;
                } else {
                    j1 = ip1div2 - 1 - ll - roundf - 1;
                    j2 = ip1div2 + ll - 1 + ceilf - 1;
                }
            } else {
                j1 = ip1div2 - 1 - ll - 1;
                j2 = ip1div2 + ll + roundf - 1;
            }
        }
        return new int[] {Math.max(j1 + 2, 0), Math.min(j2, n)};
    }

    /** Pelz–Good approximation to Pr(D_n <= x), for small x and large n. */
    static double pelzGood(long n, double x) {
        if (x <= 0.0) {
            return 0.0;
        }
        if (x >= 1.0) {
            return 1.0;
        }
        double z = Math.sqrt(n) * x;
        double zsquared = z * z;
        double zthree = z * z * z;
        double zfour = Math.pow(z, 4);
        double zsix = Math.pow(z, 6);

        double qlog = -PI_SQUARED / 8 / zsquared;
        if (qlog < MIN_LOG) {
            return 0.0;
        }
        double q = Math.exp(qlog);

        double k1a = -zsquared;
        double k1b = PI_SQUARED / 4;
        double k2a = 6 * zsix + 2 * zfour;
        double k2b = (2 * zfour - 5 * zsquared) * PI_SQUARED / 4;
        double k2c = PI_FOUR * (1 - 2 * zsquared) / 16;
        double k3d = PI_SIX * (5 - 30 * zsquared) / 64;
        double k3c = PI_FOUR * (-60 * zsquared + 212 * zfour) / 16;
        double k3b = PI_SQUARED * (135 * zfour - 96 * zsix) / 4;
        double k3a = -30 * zsix - 90 * Math.pow(z, 8);

        double[] kk = new double[4];
        int maxk = (int) Math.ceil(16 * z / Math.PI);
        // Horner scheme for sum c_i q^(i^2) over odd integers
        for (int k = maxk; k > 0; k--) {
            double m = 2 * k - 1;
            double msquared = m * m;
            double mfour = Math.pow(m, 4);
            double msix = Math.pow(m, 6);
            double qpower = Math.pow(q, 8 * k);
            kk[0] = kk[0] * qpower + 1.0;
            kk[1] = kk[1] * qpower + (k1a + k1b * msquared);
            kk[2] = kk[2] * qpower + (k2a + k2b * msquared + k2c * mfour);
            kk[3] = kk[3] * qpower + (k3a + k3b * msquared + k3c * mfour + k3d * msix);
        }
        double[] divisors = {z, 6 * zfour, 72 * Math.pow(z, 7), 6480 * Math.pow(z, 10)};
        for (int i = 0; i < 4; i++) {
            kk[i] = kk[i] * q * SQRT2PI / divisors[i];
        }
        // the remaining sums over all integers k
        double q2 = Math.exp(-PI_SQUARED / 2 / zsquared);
        double sqrt3z = SQRT3 * z;
        double k2extra = 0.0;
        double k3extra = 0.0;
        for (int k = maxk; k > 0; k--) {
            double ksq = (double) k * k;
            double qp = Math.pow(q2, ksq);
            double kspi = Math.PI * k;
            k2extra += ksq * qp;
            k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ksq * qp;
        }
        kk[2] += k2extra * (PI_SQUARED * SQRT2PI / (-36 * zthree));
        kk[3] += k3extra * (PI_SQUARED * SQRT2PI / (216 * zsix));
        double sum = 0.0;
        for (int i = 0; i < 4; i++) {
            sum += kk[i] / Math.pow(n, i / 2.0);
        }
        return sum;
    }
}
