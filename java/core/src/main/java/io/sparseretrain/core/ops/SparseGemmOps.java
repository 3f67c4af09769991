package io.sparseretrain.core.ops;

import io.sparseretrain.core.DType;
import java.util.Optional;

/**
 * 2:4 structured-sparse GEMM plans (sparseretrain.h, {@code sr_sparse_gemm_*}): cuSPARSELt on CUDA, the
 * host reference on CPU. An optional backend capability ({@code Backend.sparseGemm()}). BF16 only: for
 * float32, cuSPARSELt's 50% sparsity is 1:2, not the 2:4 our masks produce.
 */
public interface SparseGemmOps {
    /** Empty when {@link #create} would succeed for this shape; else the reason (shape rules, dtype, device). */
    Optional<String> unsupportedReason(DType dtype, long m, long n, long k, SparseGemmOp op);

    /** A plan for Y[m,n] = X[m,k]·Wᵀ (FORWARD) or dX[m,k] = dY[m,n]·W (INPUT_GRAD); caller closes it. */
    SparseGemmPlan create(DType dtype, long m, long n, long k, SparseGemmOp op);
}
