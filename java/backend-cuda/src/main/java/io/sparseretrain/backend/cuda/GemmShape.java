package io.sparseretrain.backend.cuda;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.DType;
import io.sparseretrain.core.ShapeException;
import io.sparseretrain.core.Shapes;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.nativebridge.TensorChecks;

/** Validated GEMM dimensions: C[M,N] = op(A)[M,K] · op(B)[K,N], checked before anything is launched. */
record GemmShape(long m, long n, long k) {
    static GemmShape of(Backend owner, boolean transA, boolean transB, Tensor a, Tensor b, Tensor c) {
        TensorChecks.live(a, owner, "gemm", "A", DType.F32);
        TensorChecks.live(b, owner, "gemm", "B", DType.F32);
        TensorChecks.live(c, owner, "gemm", "C", DType.F32);
        require2d(a, "A");
        require2d(b, "B");
        require2d(c, "C");
        long[] as = a.shape(), bs = b.shape(), cs = c.shape();
        long m = transA ? as[1] : as[0];
        long k = transA ? as[0] : as[1];
        long kb = transB ? bs[1] : bs[0];
        long n = transB ? bs[0] : bs[1];
        if (k != kb) {
            throw new ShapeException("gemm: op(A) of '" + a.name() + "' " + Shapes.format(as) + " has K = " + k
                    + " but op(B) of '" + b.name() + "' " + Shapes.format(bs) + " has K = " + kb);
        }
        if (cs[0] != m || cs[1] != n) {
            throw new ShapeException("gemm: C '" + c.name() + "' is " + Shapes.format(cs) + " but op(A)·op(B) is ["
                    + m + ", " + n + "]");
        }
        return new GemmShape(m, n, k);
    }

    /** Explicit dimensions: A holds exactly m·k, B k·n and C m·n elements (any shape). */
    static GemmShape explicit(Backend owner, long m, long n, long k, Tensor a, Tensor b, Tensor c) {
        TensorChecks.live(a, owner, "gemm", "A", DType.F32);
        TensorChecks.live(b, owner, "gemm", "B", DType.F32);
        TensorChecks.live(c, owner, "gemm", "C", DType.F32);
        if (m < 0 || n < 0 || k < 0) throw new ShapeException("gemm: negative dimension M=" + m + " N=" + n + " K=" + k);
        requireNumel(a, "A", m, k);
        requireNumel(b, "B", k, n);
        requireNumel(c, "C", m, n);
        return new GemmShape(m, n, k);
    }

    private static void requireNumel(Tensor t, String role, long rows, long cols) {
        if (t.numel() != Math.multiplyExact(rows, cols)) {
            throw new ShapeException("gemm: " + role + " '" + t.name() + "' " + Shapes.format(t.shape()) + " has "
                    + t.numel() + " elements but the dimensions need " + rows + "·" + cols + " = " + rows * cols);
        }
    }

    private static void require2d(Tensor t, String role) {
        if (t.shape().length != 2) {
            throw new ShapeException("gemm: " + role + " '" + t.name() + "' has shape " + Shapes.format(t.shape())
                    + "; a 2-D matrix is needed");
        }
    }
}
