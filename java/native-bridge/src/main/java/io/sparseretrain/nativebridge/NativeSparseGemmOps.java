package io.sparseretrain.nativebridge;

import io.sparseretrain.core.DType;
import io.sparseretrain.core.ops.SparseGemmOp;
import io.sparseretrain.core.ops.SparseGemmOps;
import io.sparseretrain.core.ops.SparseGemmPlan;
import java.util.Optional;

/** {@link SparseGemmOps} through the C API on the backend's context: cuSPARSELt (CUDA) or the host reference. */
public final class NativeSparseGemmOps implements SparseGemmOps {
    private final NativeContext ctx;
    private final Object owner;

    public NativeSparseGemmOps(NativeContext ctx, Object owner) {
        this.ctx = ctx;
        this.owner = owner;
    }

    @Override
    public Optional<String> unsupportedReason(DType dtype, long m, long n, long k, SparseGemmOp op) {
        byte[] reason = new byte[1024];
        int ok = SrNative.sr_sparse_gemm_supported(ctx.handle(), dtype.code(), m, n, k, op.code(), reason, reason.length);
        return ok == 1 ? Optional.empty() : Optional.of(NativeLibrary.cString(reason));
    }

    @Override
    public SparseGemmPlan create(DType dtype, long m, long n, long k, SparseGemmOp op) {
        SrNative.sr_sparse_gemm h = new SrNative.sr_sparse_gemm();
        int st = SrNative.sr_sparse_gemm_create(ctx.handle(), dtype.code(), m, n, k, op.code(), h);
        ctx.check(st, "sr_sparse_gemm_create(" + op + ", " + dtype + ", m=" + m + ", n=" + n + ", k=" + k + ")");
        return new NativeSparseGemmPlan(ctx, owner, h, m, n, k, op);
    }
}
