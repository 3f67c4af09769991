package io.sparseretrain.backend.cpu;

import io.sparseretrain.core.DType;
import io.sparseretrain.core.ShapeException;
import io.sparseretrain.core.Shapes;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.ops.DenseOps;
import io.sparseretrain.nativebridge.NativeBf16Gemm;
import io.sparseretrain.nativebridge.NativeContext;
import io.sparseretrain.nativebridge.TensorChecks;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.factory.Nd4j;

/** Dense math on CPU tensors through ND4J's BLAS (OpenBLAS): the GEMM writes into C's own buffer. */
final class CpuDenseOps implements DenseOps {
    private final CpuBackend backend;
    private final NativeContext ctx;

    CpuDenseOps(CpuBackend backend, NativeContext ctx) {
        this.backend = backend;
        this.ctx = ctx;
    }

    /** The native host reference (double accumulation): a reference for the bf16 mode, not a fast path. */
    @Override
    public void gemmBf16(boolean transA, boolean transB, long m, long n, long k, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        NativeBf16Gemm.run(ctx, backend, transA, transB, m, n, k, alpha, a, b, beta, c);
    }

    @Override
    public void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        String op = "GEMM";
        CpuTensor ta = (CpuTensor) TensorChecks.live(a, backend, op, "A", DType.F32);
        CpuTensor tb = (CpuTensor) TensorChecks.live(b, backend, op, "B", DType.F32);
        CpuTensor tc = (CpuTensor) TensorChecks.live(c, backend, op, "C", DType.F32);
        require2d(a, "A");
        require2d(b, "B");
        require2d(c, "C");
        long[] sa = a.shape(), sb = b.shape(), sc = c.shape();
        // op(A) is [M,K], op(B) is [K,N], C is [M,N].
        long m = transA ? sa[1] : sa[0];
        long k = transA ? sa[0] : sa[1];
        long kb = transB ? sb[1] : sb[0];
        long n = transB ? sb[0] : sb[1];
        if (k != kb) {
            throw new ShapeException(op + ": op(A) of '" + a.name() + "' " + Shapes.format(sa) + (transA ? "^T" : "")
                    + " is [" + m + ", " + k + "] but op(B) of '" + b.name() + "' " + Shapes.format(sb) + (transB ? "^T" : "")
                    + " is [" + kb + ", " + n + "]: reduction dimensions differ");
        }
        if (sc[0] != m || sc[1] != n) {
            throw new ShapeException(op + ": C '" + c.name() + "' has shape " + Shapes.format(sc) + " but op(A)·op(B) is ["
                    + m + ", " + n + "]");
        }
        if (m == 0 || n == 0) return;
        if (k == 0) {
            tc.array().muli(beta);
            return;
        }
        Nd4j.gemm(ta.array(), tb.array(), tc.array(), transA, transB, alpha, beta);
    }

    /**
     * Explicit-dimension GEMM straight into OpenBLAS's cblas_sgemm (the BLAS that ND4J itself loads)
     * on the tensors' memory: the training engine's activations are reused buffers of the largest
     * batch, addressed as a prefix, which ND4J views would have to re-create every call.
     */
    @Override
    public void gemm(boolean transA, boolean transB, long m, long n, long k, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        String op = "GEMM";
        CpuTensor ta = (CpuTensor) TensorChecks.live(a, backend, op, "A", DType.F32);
        CpuTensor tb = (CpuTensor) TensorChecks.live(b, backend, op, "B", DType.F32);
        CpuTensor tc = (CpuTensor) TensorChecks.live(c, backend, op, "C", DType.F32);
        if (m < 0 || n < 0 || k < 0 || m > Integer.MAX_VALUE || n > Integer.MAX_VALUE || k > Integer.MAX_VALUE) {
            throw new ShapeException(op + ": M=" + m + " N=" + n + " K=" + k + " must be in [0, 2^31)");
        }
        requireElements(a, m * k, "A", m, n, k);
        requireElements(b, k * n, "B", m, n, k);
        requireElements(c, m * n, "C", m, n, k);
        if (m == 0 || n == 0) return;
        // Row-major: lda = columns of A as stored ([M,K] → K; [K,M] when transposed → M), likewise B.
        int lda = (int) (transA ? m : k);
        int ldb = (int) (transB ? k : n);
        openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor,
                transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                (int) m, (int) n, (int) k, alpha, new FloatPointer(ta.pointer()), lda, new FloatPointer(tb.pointer()), ldb, beta,
                new FloatPointer(tc.pointer()), (int) n);
    }

    private static void requireElements(Tensor t, long needed, String role, long m, long n, long k) {
        if (t.numel() < needed) {
            throw new ShapeException("GEMM (M=" + m + ", N=" + n + ", K=" + k + "): " + role + " '" + t.name() + "' "
                    + Shapes.format(t.shape()) + " has " + t.numel() + " elements, needs " + needed);
        }
    }

    private static void require2d(Tensor t, String role) {
        if (t.shape().length != 2) {
            throw new ShapeException("GEMM: " + role + " '" + t.name() + "' has shape " + Shapes.format(t.shape())
                    + "; GEMM needs 2-D tensors");
        }
    }
}
