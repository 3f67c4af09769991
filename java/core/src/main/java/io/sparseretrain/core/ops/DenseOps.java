package io.sparseretrain.core.ops;

import io.sparseretrain.core.Tensor;

/** Dense math (ND4J on CPU, cuBLAS on CUDA). */
public interface DenseOps {
    /**
     * C = alpha·op(A)·op(B) + beta·C on 2-D F32 tensors; op(A) is [M,K] (A is [K,M] when transA),
     * op(B) is [K,N] (B is [N,K] when transB), C is [M,N].
     */
    void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c);

    /**
     * The same with explicit dimensions, for buffers that serve several shapes (e.g. an NHWC
     * activation [B,H,W,C] used as [B·H·W, C]): A holds m·k, B k·n and C m·n elements.
     */
    void gemm(boolean transA, boolean transB, long m, long n, long k, float alpha, Tensor a, Tensor b, float beta, Tensor c);

    /**
     * The bf16 compute mode's GEMM: C (F32, m·n elements) = alpha·op(A)·op(B) + beta·C with A and B BF16
     * (operands rounded by the caller), products accumulated in fp32 (sparseretrain.h, sr_gemm_bf16).
     */
    default void gemmBf16(boolean transA, boolean transB, long m, long n, long k, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no bf16 GEMM");
    }
}
