package io.sparseretrain.testkit.reference;

import java.util.SplittableRandom;

/**
 * Checks a reference layer's backward against central finite differences in float64, for the scalar
 * loss L = Σ y·r with random r (so ∂L/∂y = r). Step 1e-5: truncation error ~h²·L''' and rounding
 * ~1e-16·|L|/h both stay near 1e-10, far below the 1e-6 relative tolerance.
 */
public final class FiniteDifferences {
    private static final double H = 1e-5;
    /** Relative to |analytic|, plus a floor relative to the tensor's largest gradient entry. */
    public static final double RELATIVE = 1e-6;

    private FiniteDifferences() {}

    /** Returns nothing; throws AssertionError naming the layer, tensor, index and difference. */
    public static void check(String what, RefLayer layer, double[] x, int batch, long seed) {
        double[] y = layer.forward(x, batch);
        double[] r = new double[y.length];
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < r.length; i++) r[i] = rnd.nextDouble() * 2 - 1;
        double[] dx = layer.backward(r);
        compare(what, "input grad", dx, numeric(layer, x, x, batch, r));
        for (RefParam p : layer.params()) {
            double[] analytic = p.grad.clone();
            compare(what, p.name + " grad", analytic, numeric(layer, x, p.value, batch, r));
        }
    }

    /** ∂L/∂v[i] by central differences, perturbing v in place (v is x or a parameter). */
    private static double[] numeric(RefLayer layer, double[] x, double[] v, int batch, double[] r) {
        double[] g = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            double keep = v[i];
            v[i] = keep + H;
            double plus = loss(layer.forward(x, batch), r);
            v[i] = keep - H;
            double minus = loss(layer.forward(x, batch), r);
            v[i] = keep;
            g[i] = (plus - minus) / (2 * H);
        }
        return g;
    }

    private static double loss(double[] y, double[] r) {
        double s = 0;
        for (int i = 0; i < y.length; i++) s += y[i] * r[i];
        return s;
    }

    private static void compare(String what, String tensor, double[] analytic, double[] numeric) {
        double scale = 0;
        for (double a : analytic) scale = Math.max(scale, Math.abs(a));
        if (scale == 0) throw new AssertionError(what + ": " + tensor + " is all zero: comparing it proves nothing");
        for (int i = 0; i < analytic.length; i++) {
            double d = Math.abs(analytic[i] - numeric[i]);
            double tol = RELATIVE * (Math.abs(analytic[i]) + 1e-2 * scale);
            if (!(d <= tol)) {
                throw new AssertionError(what + ": " + tensor + "[" + i + "] backward " + analytic[i] + " vs finite difference "
                        + numeric[i] + " (difference " + d + " > tolerance " + tol + ")");
            }
        }
    }
}
