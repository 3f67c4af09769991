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

    /** fp16 gradients underflow without dynamic loss scaling, which is not implemented: refused, saying so. */
    public static final String FP16_REFUSAL = "precision 'fp16' is not offered: fp16 training needs dynamic loss scaling "
            + "(its 5-bit exponent underflows small gradients), which SparseRetrain does not implement; use 'bf16' (fp32's "
            + "exponent range, no scaling needed; the same 2:4 tensor-core speed) or 'fp32'";

    public static Precision parse(String word) {
        for (Precision p : values()) if (p.word().equals(word)) return p;
        if ("fp16".equals(word)) throw new IllegalArgumentException(FP16_REFUSAL);
        throw new IllegalArgumentException("precision '" + word + "' is not one of fp32, bf16");
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
