package io.sparseretrain.core.nn;

import java.util.Locale;

/**
 * Which GEMM the Linear/Conv layers run while retraining (recipe {@code retraining.kernels}).
 * DENSE: the F32 GEMM on masked weights (default). SPARSE24: the 2:4 sparse GEMM (bf16) wherever the
 * shape allows, dense per layer elsewhere with the reason logged once. AUTO: like SPARSE24, but each
 * shape is timed sparse vs dense at its first use and the faster one kept, so a slower sparse GEMM is
 * never paid for.
 */
public enum KernelMode {
    DENSE, SPARSE24, AUTO;

    /** "dense" | "sparse24" | "auto"; anything else names the allowed words. */
    public static KernelMode parse(String word) {
        for (KernelMode k : values()) if (k.word().equals(word)) return k;
        throw new IllegalArgumentException("kernels '" + word + "' is not one of dense, sparse24, auto");
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
