package io.sparseretrain.nativebridge;

import io.sparseretrain.core.DType;
import io.sparseretrain.core.ShapeException;
import io.sparseretrain.core.Shapes;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.TensorStateException;
import io.sparseretrain.core.ops.SparseGemmOp;
import io.sparseretrain.core.ops.SparseGemmPlan;

/**
 * An {@code sr_sparse_gemm} plan on one context: freed by {@link #close()} exactly once (later calls do
 * nothing), before its context. Errors are {@link io.sparseretrain.core.NativeCallException}s carrying the
 * context's last error message. Not thread-safe, as its context.
 */
public final class NativeSparseGemmPlan implements SparseGemmPlan {
    private final NativeContext ctx;
    private final Object owner;
    private final long m;
    private final long n;
    private final long k;
    private final SparseGemmOp op;
    private SrNative.sr_sparse_gemm handle;

    NativeSparseGemmPlan(NativeContext ctx, Object owner, SrNative.sr_sparse_gemm handle, long m, long n, long k, SparseGemmOp op) {
        this.ctx = ctx;
        this.owner = owner;
        this.handle = handle;
        this.m = m;
        this.n = n;
        this.k = k;
        this.op = op;
    }

    @Override
    public long m() {
        return m;
    }

    @Override
    public long n() {
        return n;
    }

    @Override
    public long k() {
        return k;
    }

    @Override
    public SparseGemmOp op() {
        return op;
    }

    @Override
    public void compress(Tensor weightBf16, boolean checkPattern) {
        NativeTensor w = TensorChecks.live(weightBf16, owner, "sparse gemm compress", "weight", DType.BF16);
        requireElements(weightBf16, n * k, "weight W [n, k]");
        ctx.check(SrNative.sr_sparse_gemm_compress(ctx.handle(), live(), w.pointer(), checkPattern ? 1 : 0),
                "sr_sparse_gemm_compress", weightBf16);
    }

    @Override
    public void run(Tensor x, Tensor y, float alpha, float beta) {
        NativeTensor xt = TensorChecks.live(x, owner, "sparse gemm run", "x", DType.BF16);
        NativeTensor yt = TensorChecks.live(y, owner, "sparse gemm run", "y", DType.BF16);
        boolean fwd = op == SparseGemmOp.FORWARD;
        requireElements(x, m * (fwd ? k : n), fwd ? "x = X [m, k]" : "x = dY [m, n]");
        requireElements(y, m * (fwd ? n : k), fwd ? "y = Y [m, n]" : "y = dX [m, k]");
        ctx.check(SrNative.sr_sparse_gemm_run(ctx.handle(), live(), xt.pointer(), yt.pointer(), alpha, beta),
                "sr_sparse_gemm_run", x, y);
    }

    private void requireElements(Tensor t, long need, String role) {
        if (t.numel() < need) {
            throw new ShapeException("sparse gemm " + op + " [m=" + m + ", n=" + n + ", k=" + k + "]: " + role + " needs " + need
                    + " elements, tensor '" + t.name() + "' " + Shapes.format(t.shape()) + " has " + t.numel());
        }
    }

    private SrNative.sr_sparse_gemm live() {
        if (handle == null) throw new TensorStateException("sparse gemm plan " + this + " is closed");
        if (ctx.isClosed()) throw new TensorStateException("sparse gemm plan " + this + ": its context is closed");
        return handle;
    }

    @Override
    public boolean isClosed() {
        return handle == null;
    }

    @Override
    public void close() {
        if (handle == null) return;
        // After the context is gone the plan's memory went with the process's host/device state; a CUDA
        // plan must be destroyed before its context (the owners close plans first), so this is the usual path.
        SrNative.sr_sparse_gemm_destroy(handle);
        handle = null;
    }

    @Override
    public String toString() {
        return op + " [m=" + m + ", n=" + n + ", k=" + k + "]";
    }
}
