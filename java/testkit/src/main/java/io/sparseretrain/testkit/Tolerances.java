package io.sparseretrain.testkit;

import io.sparseretrain.core.DType;

/**
 * Every tolerance the conformance suite uses, written once as a function of dtype and reduction
 * length K.
 *
 * <ul>
 *   <li><b>GEMM, F32</b>: a dot product of length K accumulated in float has a worst-case rounding
 *   error of about K·u·Σ|a·b| (u = 2^-24, unit roundoff); blocked/FMA BLAS kernels do much better, so
 *   we allow {@code 2·K·u} relative to the magnitude sum Σ|α·a·b| + |β·c| (never relative to the
 *   possibly cancelling result), plus one float ulp of slack.</li>
 *   <li><b>BF16</b>: 8 significant bits, round to nearest: half an ulp is 2^-9 ≈ 2e-3 per rounding; we
 *   allow 1e-2 relative, the usual bf16 budget.</li>
 *   <li><b>Optimizer steps, F32</b>: element-wise, a few roundings per step; a backend may fuse
 *   multiply-adds or use a different sqrt/division order, so per step we allow 8·u relative to the
 *   magnitudes involved (|w| + lr·|update|) with an absolute floor of 1e-7; after {@code steps}
 *   steps the budget grows linearly.</li>
 * </ul>
 * Selection, masks, counts, casts and the 2:4 layout are exact and compared exactly.
 */
public final class Tolerances {
    /** Unit roundoff of float32 (2^-24). */
    public static final double F32_UNIT_ROUNDOFF = 0x1p-24;
    public static final double BF16_RELATIVE = 1e-2;

    private Tolerances() {}

    /** Relative bound of a K-length reduction in {@code dtype}, applied to Σ|terms|. */
    public static double reductionRelative(DType dtype, long k) {
        return switch (dtype) {
            case F32 -> 2.0 * Math.max(1, k) * F32_UNIT_ROUNDOFF + 0x1p-23;
            case BF16 -> BF16_RELATIVE;
            case U8 -> 0.0;
            default -> throw new IllegalArgumentException("no tolerance for dtype " + dtype);
        };
    }

    /** Allowed |got − ref| for one GEMM output whose terms have magnitude sum {@code absSum}. */
    public static double gemm(DType dtype, long k, double absSum) {
        return reductionRelative(dtype, k) * absSum + Float.MIN_NORMAL;
    }

    /** Allowed |got − ref| for an optimizer state after {@code steps} steps, for values of size {@code scale}. */
    public static double optimizer(int steps, double scale) {
        return Math.max(1e-7, 8 * F32_UNIT_ROUNDOFF * scale) * Math.max(1, steps);
    }

    /** Allowed |got − ref| against the PyTorch golden fixture (PyTorch may vectorise / fuse differently). */
    public static double golden(int steps, double scale) {
        return 4 * optimizer(steps, scale);
    }
}
