package io.sparseretrain.backend.cuda;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.ShapeException;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.ops.DenseOps;
import io.sparseretrain.nativebridge.NativeContext;
import io.sparseretrain.nativebridge.NativeTensor;
import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.FloatPointer;

/**
 * GEMM through cuBLAS from the org.bytedeco:cuda preset, on a handle bound to the context's stream
 * so it orders with our kernels. cuBLAS is column-major: row-major C[M,N] is column-major C^T[N,M],
 * so we compute C^T = op(B)^T · op(A)^T by swapping the operands (as native/src/cuda/gemm.cu).
 */
final class PresetGemm implements DenseOps, AutoCloseable {
    private final Backend backend;
    private cublasContext handle;
    private final FloatPointer alphaBeta = new FloatPointer(2); // host scalars (CUBLAS_POINTER_MODE_HOST)

    /** Creates and binds the handle; throws IllegalStateException naming the failing call. */
    PresetGemm(NativeContext ctx, int ordinal, Backend backend) {
        this.backend = backend;
        check(cudart.cudaSetDevice(ordinal), "cudaSetDevice(" + ordinal + ")", true);
        cublasContext h = new cublasContext();
        check(cublas.cublasCreate_v2(h), "cublasCreate", false);
        int st = cublas.cublasSetStream_v2(h, new CUstream_st(ctx.stream()));
        if (st != cublas.CUBLAS_STATUS_SUCCESS) {
            cublas.cublasDestroy_v2(h);
            throw new IllegalStateException("cublasSetStream failed with cublasStatus " + st);
        }
        this.handle = h;
    }

    @Override
    public void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        run(transA, transB, GemmShape.of(backend, transA, transB, a, b, c), alpha, a, b, beta, c);
    }

    @Override
    public void gemm(boolean transA, boolean transB, long m, long n, long k, float alpha, Tensor a, Tensor b, float beta,
                     Tensor c) {
        run(transA, transB, GemmShape.explicit(backend, m, n, k, a, b, c), alpha, a, b, beta, c);
    }

    private void run(boolean transA, boolean transB, GemmShape s, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        if (s.m() > Integer.MAX_VALUE || s.n() > Integer.MAX_VALUE || s.k() > Integer.MAX_VALUE) {
            throw new ShapeException("gemm: M=" + s.m() + " N=" + s.n() + " K=" + s.k() + " exceed cuBLAS's 32-bit limit");
        }
        if (handle == null) throw new IllegalStateException("cuBLAS handle is closed");
        int m = (int) s.m(), n = (int) s.n(), k = (int) s.k();
        if (m == 0 || n == 0) return;
        int lda = transA ? m : k; // row-major A is [M,K], or [K,M] when transposed
        int ldb = transB ? k : n; // row-major B is [K,N], or [N,K] when transposed
        alphaBeta.put(0, alpha).put(1, beta);
        int st = cublas.cublasSgemm_v2(handle, transB ? cublas.CUBLAS_OP_T : cublas.CUBLAS_OP_N,
                transA ? cublas.CUBLAS_OP_T : cublas.CUBLAS_OP_N, n, m, k, alphaBeta.getPointer(0),
                new FloatPointer(((NativeTensor) b).pointer()), ldb, new FloatPointer(((NativeTensor) a).pointer()), lda,
                alphaBeta.getPointer(1), new FloatPointer(((NativeTensor) c).pointer()), n);
        if (st != cublas.CUBLAS_STATUS_SUCCESS) {
            throw new io.sparseretrain.core.NativeCallException("cublasSgemm", "cublasStatus " + st,
                    "M=" + m + " N=" + n + " K=" + k, a.name() + ", " + b.name() + ", " + c.name(), c.shape());
        }
    }

    @Override
    public void close() {
        if (handle == null) return;
        cublas.cublasDestroy_v2(handle);
        handle = null;
        alphaBeta.close();
    }

    private static void check(int status, String call, boolean cudaRuntime) {
        if (status != 0) {
            throw new IllegalStateException(call + " failed with " + (cudaRuntime ? "cudaError " : "cublasStatus ") + status);
        }
    }
}
