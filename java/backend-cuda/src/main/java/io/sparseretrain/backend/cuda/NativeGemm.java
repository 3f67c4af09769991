package io.sparseretrain.backend.cuda;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.ops.DenseOps;
import io.sparseretrain.nativebridge.NativeBf16Gemm;
import io.sparseretrain.nativebridge.NativeContext;
import io.sparseretrain.nativebridge.NativeTensor;
import io.sparseretrain.nativebridge.SrNative;
import org.bytedeco.javacpp.FloatPointer;

/** GEMM through our C API's sr_gemm_f32: cuBLAS inside libsparseretrain_cuda, or the host reference. */
final class NativeGemm implements DenseOps {
    private final NativeContext ctx;
    private final Backend backend;

    NativeGemm(NativeContext ctx, Backend backend) {
        this.ctx = ctx;
        this.backend = backend;
    }

    @Override
    public void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        GemmShape s = GemmShape.of(backend, transA, transB, a, b, c);
        run(transA, transB, s, alpha, a, b, beta, c);
    }

    @Override
    public void gemm(boolean transA, boolean transB, long m, long n, long k, float alpha, Tensor a, Tensor b, float beta,
                     Tensor c) {
        run(transA, transB, GemmShape.explicit(backend, m, n, k, a, b, c), alpha, a, b, beta, c);
    }

    /** sr_gemm_bf16: cuBLAS GemmEx (bf16 operands, fp32 compute) on CUDA, the host reference on a host context. */
    @Override
    public void gemmBf16(boolean transA, boolean transB, long m, long n, long k, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        NativeBf16Gemm.run(ctx, backend, transA, transB, m, n, k, alpha, a, b, beta, c);
    }

    private void run(boolean transA, boolean transB, GemmShape s, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        ctx.check(SrNative.sr_gemm_f32(ctx.handle(), transA ? 1 : 0, transB ? 1 : 0, s.m(), s.n(), s.k(), alpha,
                new FloatPointer(((NativeTensor) a).pointer()), new FloatPointer(((NativeTensor) b).pointer()), beta,
                new FloatPointer(((NativeTensor) c).pointer())), "sr_gemm_f32", a, b, c);
    }
}
