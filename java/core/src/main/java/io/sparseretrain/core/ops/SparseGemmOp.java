package io.sparseretrain.core.ops;

/**
 * The two products of a Linear/Conv layer that run with a 2:4 weight W [n, k] = [out, in]; {@link #code()}
 * is the native {@code sr_sparse_gemm_op}.
 */
public enum SparseGemmOp {
    /** Y[m,n] = alpha·X[m,k]·Wᵀ + beta·Y; W must be 2:4 along k (an N:M mask serves). */
    FORWARD(0),
    /** dX[m,k] = alpha·dY[m,n]·W + beta·dX; the reduction runs over n, so W must be 2:4 along n too (transposable). */
    INPUT_GRAD(1);

    private final int code;

    SparseGemmOp(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
