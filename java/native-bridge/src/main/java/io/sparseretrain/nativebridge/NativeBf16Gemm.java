package io.sparseretrain.nativebridge;

import io.sparseretrain.core.DType;
import io.sparseretrain.core.ShapeException;
import io.sparseretrain.core.Tensor;
import org.bytedeco.javacpp.FloatPointer;

/**
 * sr_gemm_bf16 for the backends' {@link io.sparseretrain.core.ops.DenseOps#gemmBf16}: BF16 A and B, F32
 * C, fp32 accumulation (cuBLAS GemmEx on CUDA, the host reference on a host context).
 */
public final class NativeBf16Gemm {
    private NativeBf16Gemm() {}

    public static void run(NativeContext ctx, Object owner, boolean transA, boolean transB, long m, long n, long k, float alpha,
                           Tensor a, Tensor b, float beta, Tensor c) {
        String op = "bf16 GEMM";
        NativeTensor ta = TensorChecks.live(a, owner, op, "A", DType.BF16);
        NativeTensor tb = TensorChecks.live(b, owner, op, "B", DType.BF16);
        NativeTensor tc = TensorChecks.live(c, owner, op, "C", DType.F32);
        if (m < 0 || n < 0 || k < 0) throw new ShapeException(op + ": M=" + m + " N=" + n + " K=" + k + " has a negative dimension");
        need(a, m * k, op, "A", m, n, k);
        need(b, k * n, op, "B", m, n, k);
        need(c, m * n, op, "C", m, n, k);
        ctx.check(SrNative.sr_gemm_bf16(ctx.handle(), transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, ta.pointer(), tb.pointer(), beta,
                new FloatPointer(tc.pointer())), "sr_gemm_bf16", a, b, c);
    }

    private static void need(Tensor t, long elements, String op, String role, long m, long n, long k) {
        if (t.numel() < elements) {
            throw new ShapeException(op + " [M=" + m + ", N=" + n + ", K=" + k + "]: " + role + " needs " + elements + " elements, "
                    + t.describe() + " has " + t.numel());
        }
    }
}
