package io.sparseretrain.core.nn;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.DType;
import io.sparseretrain.core.NativeCallException;
import io.sparseretrain.core.SparseRetrainException;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.ops.SparseGemmOp;
import io.sparseretrain.core.ops.SparseGemmOps;
import io.sparseretrain.core.ops.SparseGemmPlan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One layer's 2:4 GEMMs: Y[m,n] = X[m,k]·Wᵀ (FORWARD) and dX[m,k] = dY[m,n]·W (INPUT_GRAD, transposable
 * masks only) on bf16 operands with fp32 accumulation; W stays fp32 (master) in its Parameter, is cast
 * to bf16 once per step ({@link #weightsChanged}) and compressed at most once per op per step, into the
 * plan used by that step (a plan per batch-row count m, made once and cached). A forward/backward
 * returns false when this call must run dense (shape the plan cannot take, AUTO chose dense, or the
 * op is not enabled); the reason is logged once.
 *
 * <p>Conv weights [Cout, Cin, kh, kw] have their 2:4 groups along Cin at each (kh, kw), i.e. at stride
 * kh·kw in im2col's column order (ci·kk + p). The sparse GEMM needs the groups along consecutive k, so
 * both operands are permuted to (p·Cin + ci) order ([n, kk, Cin]); the product is the same sum.
 */
final class Sparse24Gemm implements AutoCloseable {
    private static final int TIMING_WARMUP = 2;
    private static final int TIMING_RUNS = 5;

    private final Sparse24Runtime rt;
    private final Backend backend;
    private final String layer;
    private final Parameter weight;
    private final int n;
    private final int cin;
    private final int kk;
    private final long k;
    private final List<Tensor> owned = new ArrayList<>();
    private final Map<String, Entry> entries = new HashMap<>();
    private Tensor wPerm;    // F32 [n, kk, cin] (conv only)
    private Tensor wBf16;    // BF16 [n, k] in the GEMM's column order
    private Tensor permF32;  // F32 [rows, k] (conv only): permuted im2col columns / dX before un-permuting
    private Tensor inBf16;   // BF16 [rows, k]: X for the forward, dX out of the input gradient
    private Tensor outBf16;  // BF16 [rows, n]: Y out of the forward, dY into the input gradient
    private long maxRows;
    private long version;    // bumped by weightsChanged; a plan recompresses when it is behind

    /** A cached plan and the weight version it holds; plan == null: this (op, m) runs dense. */
    private static final class Entry {
        final SparseGemmPlan plan;
        long version = -1;

        Entry(SparseGemmPlan plan) {
            this.plan = plan;
        }
    }

    Sparse24Gemm(Sparse24Runtime rt, String layer, Parameter weight, int n, int cin, int kk) {
        this.rt = rt;
        this.backend = rt.backend();
        this.layer = layer;
        this.weight = weight;
        this.n = n;
        this.cin = cin;
        this.kk = kk;
        this.k = (long) cin * kk;
        this.wBf16 = own(backend.zeros(weight.name() + ".bf16", DType.BF16, n, k));
        if (kk > 1) this.wPerm = own(backend.zeros(weight.name() + ".perm", DType.F32, n, k));
        weightsChanged();
    }

    private Tensor own(Tensor t) {
        owned.add(t);
        return t;
    }

    /** Buffers for up to {@code rows} GEMM rows (batch for Linear, batch·OH·OW for Conv); grows only. */
    void allocate(long rows) {
        if (rows <= maxRows) return;
        for (Tensor t : new Tensor[] {permF32, inBf16, outBf16}) {
            if (t != null) {
                owned.remove(t);
                t.close();
            }
        }
        maxRows = rows;
        inBf16 = own(backend.zeros(layer + ".sparse24.in", DType.BF16, rows * k));
        outBf16 = own(backend.zeros(layer + ".sparse24.out", DType.BF16, rows * n));
        if (kk > 1) permF32 = own(backend.zeros(layer + ".sparse24.perm", DType.F32, rows * k));
    }

    /** W (fp32 master, pruned entries 0) → bf16 in the GEMM's column order; plans recompress lazily. */
    void weightsChanged() {
        Tensor w = weight.value();
        if (kk > 1) {
            backend.nn().permuteNhwc(w, wPerm, n, 1, kk, cin, false);  // [n, cin, kk] as NCHW → [n, kk, cin]
            w = wPerm;
        }
        backend.cast(w, wBf16, (long) n * k);
        version++;
    }

    /** y[rows, n] (F32) = x[rows, k] (F32) · Wᵀ on the 2:4 path, or false: run dense. */
    boolean forward(Tensor x, long rows, Tensor y) {
        Entry e = entry(SparseGemmOp.FORWARD, rows, x, y);
        if (e == null) return false;
        backend.cast(permuted(x, rows), inBf16, rows * k);
        compress(e);
        e.plan.run(inBf16, outBf16, 1f, 0f);
        backend.cast(outBf16, y, rows * n);
        return true;
    }

    /** dx[rows, k] (F32) = dy[rows, n] (F32) · W on the 2:4 path, or false: run dense. */
    boolean inputGrad(Tensor dy, long rows, Tensor dx) {
        if (!rt.transposable()) return false;
        Entry e = entry(SparseGemmOp.INPUT_GRAD, rows, dy, dx);
        if (e == null) return false;
        backend.cast(dy, outBf16, rows * n);
        compress(e);
        e.plan.run(outBf16, inBf16, 1f, 0f);
        if (kk > 1) {
            backend.cast(inBf16, permF32, rows * k);
            backend.nn().permuteNhwc(permF32, dx, rows, 1, kk, cin, true);  // [rows, kk, cin] → [rows, cin, kk]
        } else {
            backend.cast(inBf16, dx, rows * k);
        }
        return true;
    }

    private Tensor permuted(Tensor x, long rows) {
        if (kk == 1) return x;
        backend.nn().permuteNhwc(x, permF32, rows, 1, kk, cin, false);
        return permF32;
    }

    private void compress(Entry e) {
        if (e.version == version) return;
        boolean first = e.version < 0;
        try {
            // The pattern is checked once per plan: masks are fixed while retraining and the masked
            // optimizer step keeps pruned weights at exactly zero, so later steps cannot break it.
            e.plan.compress(wBf16, first);
        } catch (NativeCallException ex) {
            if ("SR_ERR_PATTERN".equals(ex.status())) {
                throw new SparseRetrainException("layer '" + layer + "': kernels " + rt.mode().word() + " needs W 2:4 along "
                        + (e.plan.op() == SparseGemmOp.FORWARD ? "its input features (an N:M 2:4 mask)"
                        : "its output features too (a transposable 2:4 mask)") + ", but " + ex.getMessage(), ex);
            }
            throw ex;
        }
        e.version = version;
        rt.countCompression();
    }

    /**
     * Decides every op of this layer for {@code rows} GEMM rows now — the plan, its pattern check (the
     * first compression) and, in AUTO, the timed sparse-vs-dense choice — so that no training or eval
     * step pays for them (and none happens inside a captured step). {@code scratchK} [rows, k] and
     * {@code scratchN} [rows, n] are F32 buffers whose contents the AUTO timing overwrites.
     */
    void prepare(long rows, boolean inputGrad, Tensor scratchK, Tensor scratchN) {
        Entry f = entry(SparseGemmOp.FORWARD, rows, scratchK, scratchN);
        if (f != null) compress(f);
        if (!inputGrad || !rt.transposable()) return;
        Entry g = entry(SparseGemmOp.INPUT_GRAD, rows, scratchN, scratchK);
        if (g != null) compress(g);
    }

    /** The cached entry for (op, rows), deciding it on first use; null = dense for this call. */
    private Entry entry(SparseGemmOp op, long rows, Tensor in, Tensor out) {
        String key = op + ":" + rows;
        Entry e = entries.get(key);
        if (e == null) {
            rt.requireNotCapturing(layer, op, rows);
            e = decide(op, rows, in, out);
            entries.put(key, e);
        }
        return e.plan == null ? null : e;
    }

    private Entry decide(SparseGemmOp op, long rows, Tensor in, Tensor out) {
        Optional<SparseGemmOps> ops = rt.ops();
        if (ops.isEmpty()) return new Entry(null);
        String kept = rt.keptDenseReason(weight.name());
        if (kept != null) {
            rt.note(layer, "runs dense: " + kept);
            return new Entry(null);
        }
        Optional<String> why = ops.get().unsupportedReason(DType.BF16, rows, n, k, op);
        if (why.isPresent()) {
            rt.note(layer, op + " runs dense for " + rows + " rows: " + why.get());
            return new Entry(null);
        }
        if (rows > maxRows) allocate(rows);
        Entry e;
        try {
            e = new Entry(rt.createPlan(rows, n, k, op));
        } catch (NativeCallException ex) {
            // a shape the rules accept but the library refuses at plan time (an undocumented limit, a
            // configuration this GPU lacks): this layer and row count run dense, the reason said once
            rt.note(layer, op + " runs dense for " + rows + " rows: the sparse GEMM plan could not be made: " + ex.getMessage());
            return new Entry(null);
        }
        if (rt.mode() == KernelMode.AUTO && !autoPrefersSparse(e, op, rows, in, out)) {
            e.plan.close();
            return new Entry(null);
        }
        return e;
    }

    /**
     * AUTO: median of a few timed runs, sparse (one re-compression + the product) vs bf16 dense (casts
     * included on both sides), per shape, cached model-wide.
     */
    private boolean autoPrefersSparse(Entry e, SparseGemmOp op, long rows, Tensor in, Tensor out) {
        String shape = Sparse24Runtime.shapeKey(op, rows, n, k);
        Boolean cached = rt.autoChoice(shape);
        if (cached == null) {
            compress(e);
            boolean fwd = op == SparseGemmOp.FORWARD;
            // both write `out`, which the real product overwrites right after. The sparse side pays its
            // per-step re-compression too (a training step compresses each op once after the update):
            // a sparse product that only wins without it would cost the user time.
            double sparse = medianSeconds(() -> {
                e.plan.compress(wBf16, false);
                if (fwd) forwardWith(e, in, rows, out);
                else inputGradWith(e, in, rows, out);
            });
            // the alternative is the bf16 dense GEMM the layer falls back to (casts included, as above)
            double dense = medianSeconds(() -> {
                if (fwd) {
                    backend.cast(in, inBf16, rows * k);
                    backend.dense().gemmBf16(false, true, rows, n, k, 1f, inBf16, wBf16, 0f, out);
                } else {
                    backend.cast(in, outBf16, rows * n);
                    backend.dense().gemmBf16(false, false, rows, k, n, 1f, outBf16, wBf16, 0f, out);
                }
            });
            cached = sparse < dense;
            rt.recordAutoChoice(shape, cached);
            rt.note(layer, String.format("auto: %s %s for %d rows (sparse %.3f ms, dense %.3f ms)", op,
                    cached ? "sparse" : "dense", rows, sparse * 1e3, dense * 1e3));
        }
        return cached;
    }

    private void forwardWith(Entry e, Tensor x, long rows, Tensor y) {
        backend.cast(permuted(x, rows), inBf16, rows * k);
        e.plan.run(inBf16, outBf16, 1f, 0f);
        backend.cast(outBf16, y, rows * n);
    }

    private void inputGradWith(Entry e, Tensor dy, long rows, Tensor dx) {
        backend.cast(dy, outBf16, rows * n);
        e.plan.run(outBf16, inBf16, 1f, 0f);
        backend.cast(inBf16, kk > 1 ? permF32 : dx, rows * k);
    }

    private double medianSeconds(Runnable r) {
        for (int i = 0; i < TIMING_WARMUP; i++) r.run();
        double[] t = new double[TIMING_RUNS];
        for (int i = 0; i < TIMING_RUNS; i++) {
            backend.synchronize();
            long t0 = System.nanoTime();
            r.run();
            backend.synchronize();
            t[i] = (System.nanoTime() - t0) / 1e9;
        }
        java.util.Arrays.sort(t);
        return t[TIMING_RUNS / 2];
    }

    String describe() {
        List<String> sparse = new ArrayList<>();
        for (Map.Entry<String, Entry> e : entries.entrySet()) if (e.getValue().plan != null) sparse.add(e.getKey());
        java.util.Collections.sort(sparse);
        return layer + " [n=" + n + ", k=" + k + "]: sparse " + (sparse.isEmpty() ? "none" : String.join(", ", sparse));
    }

    @Override
    public void close() {
        for (Entry e : entries.values()) if (e.plan != null) e.plan.close();
        entries.clear();
        for (Tensor t : owned) t.close();
        owned.clear();
    }
}
