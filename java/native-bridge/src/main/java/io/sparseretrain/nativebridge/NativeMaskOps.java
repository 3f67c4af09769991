package io.sparseretrain.nativebridge;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.DType;
import io.sparseretrain.core.Shapes;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.ops.Compressed24;
import io.sparseretrain.core.ops.MaskOps;
import io.sparseretrain.core.ops.SelectReport;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/** {@link MaskOps} through the C API on the backend's context (host reference or CUDA kernels). */
public final class NativeMaskOps implements MaskOps {
    private final NativeContext ctx;
    private final Backend backend;

    public NativeMaskOps(NativeContext ctx, Backend backend) {
        this.ctx = ctx;
        this.backend = backend;
    }

    @Override
    public void apply(Tensor weight, Tensor mask) {
        NativeTensor w = TensorChecks.live(weight, backend, "apply mask", "weight", DType.F32, DType.BF16);
        NativeTensor m = TensorChecks.live(mask, backend, "apply mask", "mask", DType.U8);
        Shapes.requireSameShape(weight, mask);
        ctx.check(SrNative.sr_apply_mask(ctx.handle(), weight.dtype().code(), w.pointer(), new BytePointer(m.pointer()),
                weight.numel()), "sr_apply_mask", weight, mask);
    }

    @Override
    public long countNonzero(Tensor x) {
        return countNonzero(List.of(x))[0];
    }

    @Override
    public long[] countNonzero(List<Tensor> xs) {
        if (xs.isEmpty()) return new long[0];
        DType dtype = xs.get(0).dtype();
        List<NativeTensor> ts = new ArrayList<>(xs.size());
        for (Tensor x : xs) {
            NativeTensor nt = TensorChecks.live(x, backend, "count nonzero", "input", dtype);
            ts.add(nt);
        }
        long[] out = new long[xs.size()];
        try (PointerPointer<Pointer> pp = NativeContext.addresses(ts); LongPointer sizes = sizes(xs);
             LongPointer per = new LongPointer(xs.size())) {
            ctx.check(SrNative.sr_count_nonzero_many(ctx.handle(), dtype.code(), xs.size(), pp, sizes, per, null),
                    "sr_count_nonzero_many", xs.toArray(new Tensor[0]));
            per.get(out);
        }
        return out;
    }

    @Override
    public SelectReport pruneMagnitudeGlobal(List<Tensor> weights, List<Tensor> masks, long keep) {
        DType dtype = weightsDType(weights, "global magnitude pruning");
        List<NativeTensor> ms = TensorChecks.masksFor(weights, masks, backend, "global magnitude pruning");
        List<NativeTensor> ws = weightsOf(weights, dtype, "global magnitude pruning");
        try (PointerPointer<Pointer> wp = NativeContext.addresses(ws); PointerPointer<Pointer> mp = NativeContext.addresses(ms);
             LongPointer sizes = sizes(weights); SrNative.sr_select_report report = new SrNative.sr_select_report()) {
            ctx.check(SrNative.sr_prune_magnitude_global(ctx.handle(), dtype.code(), weights.size(), wp, mp, sizes, keep, report),
                    "sr_prune_magnitude_global", weights.toArray(new Tensor[0]));
            return toReport(report);
        }
    }

    @Override
    public void pruneMagnitudeLayerwise(List<Tensor> weights, List<Tensor> masks, long[] keep) {
        DType dtype = weightsDType(weights, "layer-wise magnitude pruning");
        requireKeepLength(keep, weights.size(), "layer-wise magnitude pruning");
        List<NativeTensor> ms = TensorChecks.masksFor(weights, masks, backend, "layer-wise magnitude pruning");
        List<NativeTensor> ws = weightsOf(weights, dtype, "layer-wise magnitude pruning");
        try (PointerPointer<Pointer> wp = NativeContext.addresses(ws); PointerPointer<Pointer> mp = NativeContext.addresses(ms);
             LongPointer sizes = sizes(weights); LongPointer k = new LongPointer(keep)) {
            ctx.check(SrNative.sr_prune_magnitude_layerwise(ctx.handle(), dtype.code(), weights.size(), wp, mp, sizes, k),
                    "sr_prune_magnitude_layerwise", weights.toArray(new Tensor[0]));
        }
    }

    @Override
    public SelectReport pruneRandomGlobal(List<Tensor> masks, long keep, long seed) {
        List<NativeTensor> ms = masksOnly(masks, "global random pruning");
        try (PointerPointer<Pointer> mp = NativeContext.addresses(ms); LongPointer sizes = sizes(masks);
             SrNative.sr_select_report report = new SrNative.sr_select_report()) {
            ctx.check(SrNative.sr_prune_random_global(ctx.handle(), masks.size(), mp, sizes, keep, seed, report),
                    "sr_prune_random_global", masks.toArray(new Tensor[0]));
            return toReport(report);
        }
    }

    @Override
    public void pruneRandomLayerwise(List<Tensor> masks, long[] keep, long seed) {
        requireKeepLength(keep, masks.size(), "layer-wise random pruning");
        List<NativeTensor> ms = masksOnly(masks, "layer-wise random pruning");
        try (PointerPointer<Pointer> mp = NativeContext.addresses(ms); LongPointer sizes = sizes(masks);
             LongPointer k = new LongPointer(keep)) {
            ctx.check(SrNative.sr_prune_random_layerwise(ctx.handle(), masks.size(), mp, sizes, k, seed),
                    "sr_prune_random_layerwise", masks.toArray(new Tensor[0]));
        }
    }

    @Override
    public void maskNM(Tensor weight, Tensor mask, int n, int m) {
        NativeTensor w = TensorChecks.live(weight, backend, "N:M mask", "weight", DType.F32, DType.BF16);
        NativeTensor mk = TensorChecks.live(mask, backend, "N:M mask", "mask", DType.U8);
        Shapes.requireSameShape(weight, mask);
        long[] v = Shapes.reductionView(weight);
        ctx.check(SrNative.sr_mask_nm(ctx.handle(), weight.dtype().code(), w.pointer(), new BytePointer(mk.pointer()),
                v[0], v[1], v[2], n, m), "sr_mask_nm", weight, mask);
    }

    @Override
    public void maskTransposable24(Tensor weight, Tensor mask) {
        NativeTensor w = TensorChecks.live(weight, backend, "transposable 2:4 mask", "weight", DType.F32, DType.BF16);
        NativeTensor mk = TensorChecks.live(mask, backend, "transposable 2:4 mask", "mask", DType.U8);
        Shapes.requireSameShape(weight, mask);
        long[] v = Shapes.reductionView(weight);
        ctx.check(SrNative.sr_mask_transposable_24(ctx.handle(), weight.dtype().code(), w.pointer(),
                new BytePointer(mk.pointer()), v[0], v[1], v[2]), "sr_mask_transposable_24", weight, mask);
    }

    @Override
    public long countNMViolations(Tensor x, int n, int m) {
        NativeTensor nt = TensorChecks.live(x, backend, "N:M check", "input", DType.F32, DType.BF16, DType.U8);
        long[] v = Shapes.reductionView(x);
        long[] out = new long[1];
        ctx.check(SrNative.sr_check_nm(ctx.handle(), x.dtype().code(), nt.pointer(), v[0], v[1], v[2], n, m, out),
                "sr_check_nm", x);
        return out[0];
    }

    @Override
    public Compressed24 compress24(Tensor weight, Tensor mask) {
        NativeTensor w = TensorChecks.live(weight, backend, "2:4 compress", "weight", DType.F32, DType.BF16);
        NativeTensor mk = TensorChecks.live(mask, backend, "2:4 compress", "mask", DType.U8);
        Shapes.requireSameShape(weight, mask);
        long[] v = Shapes.reductionView(weight);
        if (v[1] % 4 != 0) {
            throw new io.sparseretrain.core.ShapeException("2:4 compress: tensor '" + weight.name() + "' has K = " + v[1]
                    + " along its reduction dimension, not a multiple of 4");
        }
        Tensor values = backend.zeros(weight.name() + ".values", weight.dtype(), v[0], v[1] / 2, v[2]);
        Tensor meta = null;
        try {
            meta = backend.zeros(weight.name() + ".meta", DType.U8, v[0], v[1] / 4, v[2]);
            ctx.check(SrNative.sr_compress_24(ctx.handle(), weight.dtype().code(), w.pointer(), new BytePointer(mk.pointer()),
                    v[0], v[1], v[2], ((NativeTensor) values).pointer(), new BytePointer(((NativeTensor) meta).pointer())),
                    "sr_compress_24", weight, mask);
            return new Compressed24(values, meta, weight.shape());
        } catch (RuntimeException e) {
            values.close();
            if (meta != null) meta.close();
            throw e;
        }
    }

    @Override
    public void decompress24(Compressed24 c, Tensor out) {
        NativeTensor o = TensorChecks.live(out, backend, "2:4 decompress", "output", DType.F32, DType.BF16);
        NativeTensor values = TensorChecks.live(c.values(), backend, "2:4 decompress", "values", out.dtype());
        NativeTensor meta = TensorChecks.live(c.meta(), backend, "2:4 decompress", "meta", DType.U8);
        if (!java.util.Arrays.equals(c.denseShape(), out.shape())) {
            throw new io.sparseretrain.core.ShapeException("2:4 decompress: output '" + out.name() + "' has shape "
                    + Shapes.format(out.shape()) + " but the compressed weight is " + Shapes.format(c.denseShape()));
        }
        long[] v = Shapes.reductionView(out);
        if (c.values().numel() * 2 != out.numel() || c.meta().numel() * 4 != out.numel()) {
            throw new io.sparseretrain.core.ShapeException("2:4 decompress: values " + Shapes.format(c.values().shape())
                    + " / meta " + Shapes.format(c.meta().shape()) + " do not match dense shape " + Shapes.format(out.shape()));
        }
        ctx.check(SrNative.sr_decompress_24(ctx.handle(), out.dtype().code(), values.pointer(),
                new BytePointer(meta.pointer()), v[0], v[1], v[2], o.pointer()), "sr_decompress_24", out);
    }

    private List<NativeTensor> weightsOf(List<Tensor> weights, DType dtype, String op) {
        List<NativeTensor> out = new ArrayList<>(weights.size());
        for (Tensor w : weights) out.add(TensorChecks.live(w, backend, op, "weight", dtype));
        return out;
    }

    private List<NativeTensor> masksOnly(List<Tensor> masks, String op) {
        List<NativeTensor> out = new ArrayList<>(masks.size());
        for (Tensor m : masks) out.add(TensorChecks.live(m, backend, op, "mask", DType.U8));
        return out;
    }

    private static DType weightsDType(List<Tensor> weights, String op) {
        if (weights.isEmpty()) return DType.F32;
        DType d = weights.get(0).dtype();
        if (!d.isFloatingPoint()) {
            throw new io.sparseretrain.core.DTypeException(op + ": weight " + weights.get(0).describe() + " is not F32 or BF16");
        }
        return d;
    }

    private static void requireKeepLength(long[] keep, int count, String op) {
        if (keep.length != count) {
            throw new IllegalArgumentException(op + ": " + keep.length + " keep counts for " + count + " tensors");
        }
    }

    private static LongPointer sizes(List<Tensor> ts) {
        long[] s = new long[ts.size()];
        for (int i = 0; i < s.length; i++) s[i] = ts.get(i).numel();
        return new LongPointer(s);
    }

    private static SelectReport toReport(SrNative.sr_select_report r) {
        return new SelectReport(r.threshold_bits(), r.kept_above(), r.kept_ties(), r.live_before());
    }
}
