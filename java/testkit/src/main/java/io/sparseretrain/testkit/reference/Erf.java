package io.sparseretrain.testkit.reference;

/**
 * erf in float64 (java.lang.Math has none). Series erf(x) = 2/√π·e^(−x²)·Σ 2ⁿx^(2n+1)/(1·3·…·(2n+1)):
 * all terms positive, so no cancellation, accurate to a few ulps; |x| ≥ 6 rounds to ±1 in double.
 */
final class Erf {
    private Erf() {}

    static double erf(double x) {
        double a = Math.abs(x);
        if (a >= 6) return Math.signum(x);
        double term = a, sum = a;
        for (int n = 1; term > 1e-17 * sum; n++) {
            term *= 2 * a * a / (2 * n + 1);
            sum += term;
        }
        return Math.copySign(2 / Math.sqrt(Math.PI) * Math.exp(-a * a) * sum, x);
    }
}
