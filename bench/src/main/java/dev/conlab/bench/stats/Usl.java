package dev.conlab.bench.stats;

/**
 * Gunther's Universal Scalability Law fitted to throughput measured at several concurrencies:
 * X(N) = λN ÷ (1 + σ(N − 1) + κN(N − 1)), with contention σ ≥ 0 and coherency κ ≥ 0. Least squares on X, as R's
 * {@code usl} package fits it: for given σ and κ the best λ has a closed form, and σ, κ are found by Nelder–Mead on
 * their square roots (so they stay non-negative), restarted until it no longer improves.
 *
 * @param lambda        throughput of one unit of concurrency, λ
 * @param sigma         contention, σ
 * @param kappa         coherency (crosstalk), κ
 * @param peak          the concurrency of the highest throughput, N* = √((1 − σ) ÷ κ); null when κ is 0 (below
 *                      {@value #KAPPA_ZERO}: no peak) or σ ≥ 1
 * @param rSquared      1 − SSE ÷ SST
 * @param residualError √(SSE ÷ (n − 3)), the residual standard error R reports
 * @param points        how many points the fit used
 */
public record Usl(double lambda, double sigma, double kappa, Double peak, double rSquared, double residualError, int points) {

    /** κ at or below this is zero: no coherency cost, no peak. */
    public static final double KAPPA_ZERO = 1e-9;

    /** Fewer points than parameters leave nothing to check the fit against. */
    public static final int MIN_POINTS = 4;

    /** The fitted throughput at concurrency n. */
    public double throughput(double n) {
        return lambda * n / (1 + sigma * (n - 1) + kappa * n * (n - 1));
    }

    /** A fit whose R² is below this is called poor. */
    public static final double POOR_R_SQUARED = 0.9;

    public boolean poor() {
        return rSquared < POOR_R_SQUARED;
    }

    /**
     * @param n concurrencies (≥ 1), at least {@link #MIN_POINTS} distinct ones
     * @param x throughputs at those concurrencies (positive)
     * @throws IllegalArgumentException with fewer points than the fit needs
     */
    public static Usl fit(double[] n, double[] x) {
        if (n.length != x.length) throw new IllegalArgumentException("as many throughputs as concurrencies, please");
        if (java.util.Arrays.stream(n).distinct().count() < MIN_POINTS) {
            throw new IllegalArgumentException("the USL has 3 parameters: it needs at least " + MIN_POINTS
                    + " distinct concurrencies to fit and check them, not " + java.util.Arrays.stream(n).distinct().count());
        }
        double[] best = {Math.sqrt(0.01), Math.sqrt(0.0001)};
        double bestSse = sse(n, x, best);
        // a coarse grid first, so that the simplex starts near the right valley
        for (double s = 1e-4; s < 1; s *= 2) {
            for (double k = 1e-7; k < 1; k *= 3) {
                double[] p = {Math.sqrt(s), Math.sqrt(k)};
                double e = sse(n, x, p);
                if (e < bestSse) {
                    bestSse = e;
                    best = p;
                }
            }
            double[] p = {Math.sqrt(s), 0};
            double e = sse(n, x, p);
            if (e < bestSse) {
                bestSse = e;
                best = p;
            }
        }
        for (int restart = 0; restart < 20; restart++) {
            double[] next = nelderMead(n, x, best);
            double e = sse(n, x, next);
            boolean improved = e < bestSse * (1 - 1e-12);
            if (e <= bestSse) {
                bestSse = e;
                best = next;
            }
            if (!improved) break;
        }
        double sigma = best[0] * best[0];
        double kappa = best[1] * best[1];
        double lambda = lambda(n, x, sigma, kappa);
        double mean = java.util.Arrays.stream(x).average().orElse(0);
        double sst = java.util.Arrays.stream(x).map(v -> (v - mean) * (v - mean)).sum();
        // κ is the square of a search variable: below 1e-9 it is the optimiser's zero, not a coherency cost (a "peak" at
        // N* = 50,000,000 would be an artefact of floating point, not a prediction)
        Double peak = kappa > KAPPA_ZERO && sigma < 1 ? Math.sqrt((1 - sigma) / kappa) : null;
        return new Usl(lambda, sigma, kappa, peak, sst == 0 ? 1 : 1 - bestSse / sst, Math.sqrt(bestSse / Math.max(1, n.length - 3)),
                n.length);
    }

    private static double shape(double n, double sigma, double kappa) {
        return n / (1 + sigma * (n - 1) + kappa * n * (n - 1));
    }

    /** The least-squares λ for given σ and κ. */
    private static double lambda(double[] n, double[] x, double sigma, double kappa) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < n.length; i++) {
            double f = shape(n[i], sigma, kappa);
            num += x[i] * f;
            den += f * f;
        }
        return num / den;
    }

    /** SSE at (√σ, √κ). */
    private static double sse(double[] n, double[] x, double[] roots) {
        double sigma = roots[0] * roots[0];
        double kappa = roots[1] * roots[1];
        double lambda = lambda(n, x, sigma, kappa);
        double sum = 0;
        for (int i = 0; i < n.length; i++) {
            double r = x[i] - lambda * shape(n[i], sigma, kappa);
            sum += r * r;
        }
        return sum;
    }

    /** Nelder–Mead in two dimensions from {@code start}, with a simplex scaled to it. */
    private static double[] nelderMead(double[] n, double[] x, double[] start) {
        double[][] p = {start.clone(), {start[0] * 1.1 + 1e-3, start[1]}, {start[0], start[1] * 1.1 + 1e-4}};
        double[] f = {sse(n, x, p[0]), sse(n, x, p[1]), sse(n, x, p[2])};
        for (int iteration = 0; iteration < 5000; iteration++) {
            // order: best, middle, worst
            for (int i = 0; i < 3; i++) {
                for (int j = i + 1; j < 3; j++) {
                    if (f[j] < f[i]) {
                        double t = f[i]; f[i] = f[j]; f[j] = t;
                        double[] q = p[i]; p[i] = p[j]; p[j] = q;
                    }
                }
            }
            if (Math.abs(f[2] - f[0]) <= 1e-15 * Math.max(1, Math.abs(f[0]))) break;
            double[] centroid = {(p[0][0] + p[1][0]) / 2, (p[0][1] + p[1][1]) / 2};
            double[] reflected = {centroid[0] + (centroid[0] - p[2][0]), centroid[1] + (centroid[1] - p[2][1])};
            double fr = sse(n, x, reflected);
            if (fr < f[0]) {
                double[] expanded = {centroid[0] + 2 * (centroid[0] - p[2][0]), centroid[1] + 2 * (centroid[1] - p[2][1])};
                double fe = sse(n, x, expanded);
                if (fe < fr) {
                    p[2] = expanded;
                    f[2] = fe;
                } else {
                    p[2] = reflected;
                    f[2] = fr;
                }
            } else if (fr < f[1]) {
                p[2] = reflected;
                f[2] = fr;
            } else {
                double[] contracted = {centroid[0] + 0.5 * (p[2][0] - centroid[0]), centroid[1] + 0.5 * (p[2][1] - centroid[1])};
                double fc = sse(n, x, contracted);
                if (fc < f[2]) {
                    p[2] = contracted;
                    f[2] = fc;
                } else {
                    for (int i = 1; i < 3; i++) {
                        p[i] = new double[] {p[0][0] + 0.5 * (p[i][0] - p[0][0]), p[0][1] + 0.5 * (p[i][1] - p[0][1])};
                        f[i] = sse(n, x, p[i]);
                    }
                }
            }
        }
        int best = f[0] <= f[1] && f[0] <= f[2] ? 0 : f[1] <= f[2] ? 1 : 2;
        return p[best];
    }
}
