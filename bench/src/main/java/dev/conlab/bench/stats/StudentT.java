package dev.conlab.bench.stats;

/**
 * Student's t distribution: CDF through the regularized incomplete beta function, quantiles by bisection.
 * Written here because the bench module depends on nothing but Jackson; tested against commons-math.
 */
public final class StudentT {

    private StudentT() {
    }

    /** P(T ≤ t) for {@code df} degrees of freedom. */
    public static double cdf(double t, double df) {
        double x = df / (df + t * t);
        double tail = 0.5 * regularizedBeta(x, df / 2, 0.5);
        return t >= 0 ? 1 - tail : tail;
    }

    /** Quantiles already computed for whole degrees of freedom (every cell's interval asks for the same few). */
    private static final java.util.concurrent.ConcurrentHashMap<String, Double> KNOWN = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The t such that P(T ≤ t) = p. For whole degrees of freedom up to 10,000 it is computed once and remembered: the
     * bisection takes a few dozen evaluations of the CDF, and storing a document asks for it once per cell.
     */
    public static double quantile(double p, double df) {
        if (df == Math.rint(df) && df >= 1 && df <= 10_000 && p > 0 && p < 1) {
            return KNOWN.computeIfAbsent(p + "|" + (long) df, k -> bisect(p, df));
        }
        return bisect(p, df);
    }

    private static double bisect(double p, double df) {
        if (p <= 0 || p >= 1) throw new IllegalArgumentException("p must be in (0, 1): " + p);
        if (p < 0.5) return -bisect(1 - p, df);
        double lo = 0, hi = 1;
        while (cdf(hi, df) < p) hi *= 2;
        for (int i = 0; i < 200 && hi - lo > 1e-12 * Math.max(1, hi); i++) {
            double mid = (lo + hi) / 2;
            if (cdf(mid, df) < p) lo = mid;
            else hi = mid;
        }
        return (lo + hi) / 2;
    }

    /** I_x(a, b) by the continued fraction (Lentz), as in Numerical Recipes' betai/betacf. */
    static double regularizedBeta(double x, double a, double b) {
        if (x <= 0) return 0;
        if (x >= 1) return 1;
        double front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
        if (x < (a + 1) / (a + b + 2)) return front * continuedFraction(x, a, b) / a;
        return 1 - front * continuedFraction(1 - x, b, a) / b;
    }

    private static double continuedFraction(double x, double a, double b) {
        final double tiny = 1e-300;
        double qab = a + b, qap = a + 1, qam = a - 1;
        double c = 1, d = 1 - qab * x / qap;
        if (Math.abs(d) < tiny) d = tiny;
        d = 1 / d;
        double h = d;
        for (int m = 1; m <= 10_000; m++) {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 + aa * d;
            if (Math.abs(d) < tiny) d = tiny;
            c = 1 + aa / c;
            if (Math.abs(c) < tiny) c = tiny;
            d = 1 / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 + aa * d;
            if (Math.abs(d) < tiny) d = tiny;
            c = 1 + aa / c;
            if (Math.abs(c) < tiny) c = tiny;
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < 1e-15) break;
        }
        return h;
    }

    /** ln Γ(x), Lanczos approximation (g = 7, n = 9), accurate to about 15 digits for x > 0. */
    static double logGamma(double x) {
        final double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
                -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
                1.5056327351493116e-7};
        if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        x -= 1;
        double sum = c[0];
        double t = x + 7.5;
        for (int i = 1; i < 9; i++) sum += c[i] / (x + i);
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(sum);
    }
}
