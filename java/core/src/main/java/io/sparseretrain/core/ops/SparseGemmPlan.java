package io.sparseretrain.core.ops;

import io.sparseretrain.core.Tensor;

/**
 * One 2:4 sparse GEMM plan for a fixed (m, n, k, op) in bf16: descriptors, workspace and the compressed
 * weight made once by {@link SparseGemmOps#create}; {@link #compress} and {@link #run} allocate nothing.
 * Closed exactly once (idempotent); never left to the garbage collector.
 */
public interface SparseGemmPlan extends AutoCloseable {
    long m();

    long n();

    long k();

    SparseGemmOp op();

    /**
     * Compresses W (BF16, n·k elements, pruned entries 0) into the plan; after every optimizer step.
     * {@code checkPattern} first verifies the op's 2:4 pattern and fails (SR_ERR_PATTERN) compressing nothing.
     */
    void compress(Tensor weightBf16, boolean checkPattern);

    /** y = alpha·op(x, W) + beta·y with the last compressed W; x and y are BF16 and hold at least the op's sizes. */
    void run(Tensor x, Tensor y, float alpha, float beta);

    boolean isClosed();

    @Override
    void close();
}
