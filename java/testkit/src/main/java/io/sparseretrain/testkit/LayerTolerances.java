package io.sparseretrain.testkit;

import io.sparseretrain.core.DType;

/**
 * Tolerances of the layer tests (float32 engine vs float64 reference or PyTorch float32), built on
 * {@link Tolerances#reductionRelative}: an output that sums K terms may be off by about
 * 2·K·u·Σ|terms|. Layers do not expose Σ|terms| per entry, and a single entry of a reference can be
 * tiny by cancellation while its float32 error is set by the terms, so the bound is taken relative
 * to the tensor's largest magnitude. {@code SAFETY} covers the few extra roundings of a layer
 * (bias add, 1/√var, erf) that the GEMM bound does not count.
 */
final class LayerTolerances {
    static final double SAFETY = 4;

    private LayerTolerances() {}

    /** Allowed |got − ref| for every entry of a tensor whose largest |ref| is {@code maxAbs}. */
    static double layer(long k, double maxAbs) {
        return SAFETY * Tolerances.reductionRelative(DType.F32, k) * maxAbs + Float.MIN_NORMAL;
    }

    /**
     * Against PyTorch: both sides round in float32, each with its own summation order, so twice the
     * single-side bound.
     */
    static double golden(long k, double maxAbs) {
        return 2 * layer(k, maxAbs);
    }

    static double maxAbs(float[] a) {
        double m = 0;
        for (float v : a) m = Math.max(m, Math.abs(v));
        return m;
    }
}
