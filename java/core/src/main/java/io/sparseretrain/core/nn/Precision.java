package io.sparseretrain.core.nn;

import java.util.Locale;

/**
 * Compute precision of the Linear/Conv GEMMs (recipe {@code retraining.precision}). Master weights,
 * gradients and optimizer state are F32 either way. FP32: F32 GEMMs. BF16: GEMM operands rounded to
 * bf16, products accumulated in fp32 (the 2:4 kernels always run so; dense layers through
 * {@link io.sparseretrain.core.ops.DenseOps#gemmBf16}).
 */
public enum Precision {
    FP32, BF16;

    public static Precision parse(String word) {
        for (Precision p : values()) if (p.word().equals(word)) return p;
        throw new IllegalArgumentException("precision '" + word + "' is not one of fp32, bf16");
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
