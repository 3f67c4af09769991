package io.sparseretrain.core;

import io.sparseretrain.core.ops.DenseOps;
import io.sparseretrain.core.ops.MaskOps;
import io.sparseretrain.core.ops.NnOps;
import io.sparseretrain.core.ops.OptimizerOps;
import io.sparseretrain.core.ops.SparseGemmOps;
import java.util.Optional;

/**
 * One device's tensor memory and every op on it. Obtained from {@link Backends}; closing it frees
 * its native context (tensors it made must be closed first; closing the backend closes any left).
 * Knows nothing of pruning policy or schedules.
 */
public interface Backend extends AutoCloseable {
    /** "cpu" or "cuda". */
    String name();

    Device device();

    /** A zero-filled tensor. */
    Tensor zeros(String name, DType dtype, long... shape);

    /** Copies host data into a tensor of the same element count (F32 tensors). */
    void copyFromHost(float[] src, Tensor dst);

    /** Copies host data into a tensor of the same element count (U8 tensors, e.g. masks). */
    void copyFromHost(byte[] src, Tensor dst);

    /** Copies host data into a tensor of the same element count (I32 tensors, e.g. labels). */
    void copyFromHost(int[] src, Tensor dst);

    /** Copies a F32 tensor's data to the host. */
    float[] copyToHostFloats(Tensor src);

    /** Copies a U8 tensor's data to the host. */
    byte[] copyToHostBytes(Tensor src);

    /** Copies a BF16 tensor's raw bits to the host. */
    short[] copyToHostBf16(Tensor src);

    /** dst = src (same dtype and element count, same device). */
    void copy(Tensor src, Tensor dst);

    /** dst = convert(src) between F32 and BF16 (round to nearest even). */
    void cast(Tensor src, Tensor dst);

    /**
     * The first n elements of dst = convert(the first n of src): buffers allocated for the largest batch
     * serve smaller ones. Backends override it; this default takes whole tensors only.
     */
    default void cast(Tensor src, Tensor dst, long n) {
        if (n != src.numel() || n != dst.numel()) {
            throw new UnsupportedOperationException("backend '" + name() + "' casts whole tensors only (n = " + n + ")");
        }
        cast(src, dst);
    }

    MaskOps masks();

    OptimizerOps optimizers();

    DenseOps dense();

    /** Layer kernels of the training engine. */
    NnOps nn();

    /**
     * 2:4 sparse GEMM plans, where this backend has them (CPU: the native host reference; CUDA:
     * cuSPARSELt). Empty by default: layers then stay on the dense GEMM.
     */
    default Optional<SparseGemmOps> sparseGemm() {
        return Optional.empty();
    }

    /** CUDA Graph capture of a training step (CUDA backend only; empty where ops run synchronously). */
    default Optional<io.sparseretrain.core.ops.StepGraphs> stepGraphs() {
        return Optional.empty();
    }

    /** Waits for queued work (no-op on CPU); surfaces asynchronous device errors. */
    void synchronize();

    /** Convenience: a F32 tensor holding {@code data}. */
    default Tensor fromFloats(String name, float[] data, long... shape) {
        Tensor t = zeros(name, DType.F32, shape);
        try {
            copyFromHost(data, t);
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
        return t;
    }

    /** Convenience: a U8 tensor (mask) holding {@code data}. */
    default Tensor fromBytes(String name, byte[] data, long... shape) {
        Tensor t = zeros(name, DType.U8, shape);
        try {
            copyFromHost(data, t);
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
        return t;
    }

    @Override
    void close();
}
