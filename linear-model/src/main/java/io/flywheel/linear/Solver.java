package io.flywheel.linear;

import java.util.Locale;
import java.util.function.Consumer;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.DecompositionSolver;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;
import org.apache.commons.math3.linear.NonSymmetricMatrixException;

/**
 * The two fits, on a design {@code a} whose first column is the intercept's 1 and whose other
 * columns are the encoded, standardised features. Both minimise {@code loss + l2/2·‖w‖²} with
 * the intercept unpenalised: ridge's loss is {@code ½·Σ(y − a·β)²}, logistic's is
 * {@code Σ[log(1 + e^η) − y·η]}, η = a·β. Sums over rows, not means (README.md says why).
 */
final class Solver {

    /** A fit: β = (intercept, weights...), the solver's iteration count, whether it met its tolerance. */
    record Fit(double[] beta, int iterations, boolean converged, double objective) {
    }

    private Solver() {
    }

    /** Ridge by the normal equations (Cholesky), with one step of iterative refinement. */
    static Fit ridge(double[][] a, double[] y, double l2) {
        int p = a[0].length;
        double[][] m = gram(a, null);
        for (int c = 1; c < p; c++) {
            m[c][c] += l2;
        }
        double[] rhs = new double[p];
        for (int i = 0; i < a.length; i++) {
            for (int c = 0; c < p; c++) {
                rhs[c] += a[i][c] * y[i];
            }
        }
        DecompositionSolver solver = cholesky(m, "the features are collinear (a one-hot string feature with l2 = 0, "
                + "or columns that repeat one another); set l2 > 0 or drop a feature");
        double[] beta = solver.solve(new ArrayRealVector(rhs, false)).toArray();
        double[] residual = rhs.clone();
        for (int r = 0; r < p; r++) {
            for (int c = 0; c < p; c++) {
                residual[r] -= m[r][c] * beta[c];
            }
        }
        double[] correction = solver.solve(new ArrayRealVector(residual, false)).toArray();
        for (int c = 0; c < p; c++) {
            beta[c] += correction[c];
        }
        double loss = 0;
        for (int i = 0; i < a.length; i++) {
            double e = y[i] - dot(a[i], beta);
            loss += e * e;
        }
        return new Fit(beta, 1, true, 0.5 * loss + 0.5 * l2 * penalty(beta));
    }

    /**
     * Logistic regression by Newton's method (IRLS) with a backtracking (Armijo) line search,
     * started from the intercept-only solution. Converged when the largest Newton step is at
     * most {@code tolerance}; that step is taken, so the result is a further step closer.
     */
    static Fit logistic(double[][] a, double[] y, double l2, int maxIterations, double tolerance,
                        Consumer<String> progress) {
        int n = a.length;
        int p = a[0].length;
        double positives = 0;
        for (double v : y) {
            positives += v;
        }
        double[] beta = new double[p];
        beta[0] = StrictMath.log(positives / (n - positives));
        double f = logisticObjective(a, y, l2, beta);
        double[] eta = new double[n];
        double[] weights = new double[n];
        for (int iteration = 1; iteration <= maxIterations; iteration++) {
            double[] gradient = new double[p];
            for (int i = 0; i < n; i++) {
                eta[i] = dot(a[i], beta);
                double prob = sigmoid(eta[i]);
                weights[i] = prob * (1 - prob);
                double residual = prob - y[i];
                for (int c = 0; c < p; c++) {
                    gradient[c] += a[i][c] * residual;
                }
            }
            for (int c = 1; c < p; c++) {
                gradient[c] += l2 * beta[c];
            }
            double[][] hessian = gram(a, weights);
            for (int c = 1; c < p; c++) {
                hessian[c][c] += l2;
            }
            double[] step = cholesky(hessian, "the classes are separable or the features collinear; set l2 > 0")
                    .solve(new ArrayRealVector(gradient, false)).toArray();
            double largest = 0;
            double slope = 0;
            for (int c = 0; c < p; c++) {
                largest = Math.max(largest, Math.abs(step[c]));
                slope += gradient[c] * step[c];
            }
            if (largest <= tolerance) {
                for (int c = 0; c < p; c++) {
                    beta[c] -= step[c];
                }
                f = logisticObjective(a, y, l2, beta);
                progress.accept(String.format(Locale.ROOT,
                        "newton iteration %d: objective %.12g, largest step %.3e: converged", iteration, f, largest));
                return new Fit(beta, iteration, true, f);
            }
            double t = 1.0;
            double[] candidate = new double[p];
            double fc;
            while (true) {
                for (int c = 0; c < p; c++) {
                    candidate[c] = beta[c] - t * step[c];
                }
                fc = logisticObjective(a, y, l2, candidate);
                // Armijo, with an allowance for rounding: near the optimum the true decrease is
                // below what a sum of n terms can resolve, and the full Newton step must be taken
                if (fc <= f - 1e-4 * t * slope + 1e-12 * Math.max(1.0, Math.abs(f))) {
                    break;
                }
                t *= 0.5;
                if (t < 1e-12) {
                    progress.accept(String.format(Locale.ROOT, "newton iteration %d: the line search found no "
                            + "decrease (largest step %.3e); stopping unconverged", iteration, largest));
                    return new Fit(beta, iteration, false, f);
                }
            }
            beta = candidate;
            f = fc;
            progress.accept(String.format(Locale.ROOT, "newton iteration %d: objective %.12g, largest step %.3e",
                    iteration, f, t * largest));
        }
        progress.accept("newton: no convergence within " + maxIterations + " iterations");
        return new Fit(beta, maxIterations, false, f);
    }

    /** Σ[log(1 + e^η) − y·η] + l2/2·‖w‖², computed without overflow. */
    static double logisticObjective(double[][] a, double[] y, double l2, double[] beta) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double eta = dot(a[i], beta);
            sum += softplus(eta) - y[i] * eta;
        }
        return sum + 0.5 * l2 * penalty(beta);
    }

    static double sigmoid(double eta) {
        if (eta >= 0) {
            return 1.0 / (1.0 + StrictMath.exp(-eta));
        }
        double e = StrictMath.exp(eta);
        return e / (1.0 + e);
    }

    private static double softplus(double eta) {
        return Math.max(eta, 0) + StrictMath.log1p(StrictMath.exp(-Math.abs(eta)));
    }

    private static double penalty(double[] beta) {
        double sum = 0;
        for (int c = 1; c < beta.length; c++) {
            sum += beta[c] * beta[c];
        }
        return sum;
    }

    private static double dot(double[] row, double[] beta) {
        double sum = 0;
        for (int c = 0; c < row.length; c++) {
            sum += row[c] * beta[c];
        }
        return sum;
    }

    /** aᵀ·diag(w)·a (w = null for all ones), symmetric by construction. */
    private static double[][] gram(double[][] a, double[] w) {
        int p = a[0].length;
        double[][] m = new double[p][p];
        for (int i = 0; i < a.length; i++) {
            double[] row = a[i];
            double wi = w == null ? 1.0 : w[i];
            for (int r = 0; r < p; r++) {
                double x = wi * row[r];
                if (x == 0) {
                    continue;
                }
                double[] out = m[r];
                for (int c = r; c < p; c++) {
                    out[c] += x * row[c];
                }
            }
        }
        for (int r = 0; r < p; r++) {
            for (int c = 0; c < r; c++) {
                m[r][c] = m[c][r];
            }
        }
        return m;
    }

    private static DecompositionSolver cholesky(double[][] m, String why) {
        try {
            return new CholeskyDecomposition(MatrixUtils.createRealMatrix(m)).getSolver();
        } catch (NonPositiveDefiniteMatrixException | NonSymmetricMatrixException e) {
            throw new IllegalArgumentException("cannot fit: the system is singular: " + why);
        }
    }
}
