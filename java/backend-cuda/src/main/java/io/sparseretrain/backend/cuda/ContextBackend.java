package io.sparseretrain.backend.cuda;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.DType;
import io.sparseretrain.core.DTypeException;
import io.sparseretrain.core.Device;
import io.sparseretrain.core.ShapeException;
import io.sparseretrain.core.Shapes;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.TensorStateException;
import io.sparseretrain.core.ops.DenseOps;
import io.sparseretrain.core.ops.MaskOps;
import io.sparseretrain.core.ops.NnOps;
import io.sparseretrain.core.ops.OptimizerOps;
import io.sparseretrain.nativebridge.NativeContext;
import io.sparseretrain.nativebridge.NativeMaskOps;
import io.sparseretrain.nativebridge.NativeNnOps;
import io.sparseretrain.nativebridge.NativeOptimizerOps;
import io.sparseretrain.nativebridge.NativeSparseGemmOps;
import io.sparseretrain.core.ops.SparseGemmOps;
import java.util.Optional;
import io.sparseretrain.nativebridge.NativeTensor;
import io.sparseretrain.nativebridge.SrNative;
import io.sparseretrain.nativebridge.TensorChecks;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.BiFunction;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.ShortPointer;

/**
 * A {@link Backend} over one {@code sr_context}: memory through sr_malloc/sr_free/sr_memcpy/
 * sr_memset_zero, masks, optimizer steps and layer kernels through the bridge's native ops. {@link CudaBackend} is
 * this over a CUDA context; {@link #hostReference()} is the same code over a host context, which the
 * GPU tests compare against (same C API, host reference implementations).
 */
class ContextBackend implements Backend {
    private final NativeContext ctx;
    private final Device device;
    private final String name;
    private final MaskOps masks;
    private final OptimizerOps optimizers;
    private final DenseOps dense;
    private final NnOps nn;
    private final SparseGemmOps sparseGemm;
    /** Open tensors, so that close() frees what callers left behind (never the GC). */
    private final Set<CudaTensor> open = Collections.newSetFromMap(new IdentityHashMap<>());

    ContextBackend(String name, NativeContext ctx, Device device, BiFunction<NativeContext, Backend, DenseOps> dense) {
        this.name = name;
        this.ctx = ctx;
        this.device = device;
        this.masks = new NativeMaskOps(ctx, this);
        this.optimizers = new NativeOptimizerOps(ctx, this);
        this.dense = dense.apply(ctx, this);
        this.nn = new NativeNnOps(ctx, this);
        this.sparseGemm = new NativeSparseGemmOps(ctx, this);
    }

    /** The host reference implementations behind the same API (for tests comparing CUDA against host). */
    static ContextBackend hostReference() {
        return new ContextBackend("host-reference", NativeContext.create(NativeContext.HOST, 0), Device.CPU, NativeGemm::new);
    }

    NativeContext context() {
        return ctx;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public Tensor zeros(String tensorName, DType dtype, long... shape) {
        long bytes = Shapes.numel(shape) * dtype.byteSize();
        // sr_malloc(0) may return NULL; keep one byte so every live tensor has a real address.
        long alloc = Math.max(bytes, 1);
        Pointer p;
        try (PointerPointer<Pointer> out = new PointerPointer<>(1)) {
            ctx.check(SrNative.sr_malloc(ctx.handle(), alloc, out), "sr_malloc(" + alloc + " bytes) for '" + tensorName + "'");
            p = out.get(0);
        }
        CudaTensor t = new CudaTensor(tensorName, shape, dtype, this, p);
        open.add(t);
        try {
            ctx.check(SrNative.sr_memset_zero(ctx.handle(), p, alloc), "sr_memset_zero", t);
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
        return t;
    }

    /** Frees a tensor's memory (CudaTensor.close). */
    void release(CudaTensor t, Pointer p) {
        open.remove(t);
        if (ctx.isClosed()) return; // the context already freed everything it owned
        ctx.check(SrNative.sr_free(ctx.handle(), p), "sr_free", t);
    }

    @Override
    public void copyFromHost(float[] src, Tensor dst) {
        NativeTensor d = hostCopyTarget(dst, DType.F32, src.length);
        try (FloatPointer h = new FloatPointer(src)) {
            copy(d.pointer(), h, (long) src.length * 4, SrNative.SR_COPY_HOST_TO_DEVICE, dst);
        }
    }

    @Override
    public void copyFromHost(byte[] src, Tensor dst) {
        NativeTensor d = hostCopyTarget(dst, DType.U8, src.length);
        try (BytePointer h = new BytePointer(src)) {
            copy(d.pointer(), h, src.length, SrNative.SR_COPY_HOST_TO_DEVICE, dst);
        }
    }

    @Override
    public void copyFromHost(int[] src, Tensor dst) {
        NativeTensor d = hostCopyTarget(dst, DType.I32, src.length);
        try (IntPointer h = new IntPointer(src)) {
            copy(d.pointer(), h, (long) src.length * 4, SrNative.SR_COPY_HOST_TO_DEVICE, dst);
        }
    }

    @Override
    public float[] copyToHostFloats(Tensor src) {
        NativeTensor s = TensorChecks.live(src, this, "copy to host", "source", DType.F32);
        int n = hostLength(src);
        float[] out = new float[n];
        try (FloatPointer h = new FloatPointer(n)) {
            copy(h, s.pointer(), (long) n * 4, SrNative.SR_COPY_DEVICE_TO_HOST, src);
            h.get(out);
        }
        return out;
    }

    @Override
    public byte[] copyToHostBytes(Tensor src) {
        NativeTensor s = TensorChecks.live(src, this, "copy to host", "source", DType.U8);
        int n = hostLength(src);
        byte[] out = new byte[n];
        try (BytePointer h = new BytePointer(n)) {
            copy(h, s.pointer(), n, SrNative.SR_COPY_DEVICE_TO_HOST, src);
            h.get(out);
        }
        return out;
    }

    @Override
    public short[] copyToHostBf16(Tensor src) {
        NativeTensor s = TensorChecks.live(src, this, "copy to host", "source", DType.BF16);
        int n = hostLength(src);
        short[] out = new short[n];
        try (ShortPointer h = new ShortPointer(n)) {
            copy(h, s.pointer(), (long) n * 2, SrNative.SR_COPY_DEVICE_TO_HOST, src);
            h.get(out);
        }
        return out;
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        NativeTensor s = TensorChecks.live(src, this, "copy", "source");
        NativeTensor d = TensorChecks.live(dst, this, "copy", "destination", src.dtype());
        TensorChecks.sameNumel(src, dst, "copy");
        copy(d.pointer(), s.pointer(), src.byteSize(), SrNative.SR_COPY_DEVICE_TO_DEVICE, src, dst);
    }

    @Override
    public void cast(Tensor src, Tensor dst) {
        NativeTensor s = TensorChecks.live(src, this, "cast", "source", DType.F32, DType.BF16);
        NativeTensor d = TensorChecks.live(dst, this, "cast", "destination", DType.F32, DType.BF16);
        TensorChecks.sameNumel(src, dst, "cast");
        ctx.check(SrNative.sr_cast(ctx.handle(), src.dtype().code(), s.pointer(), dst.dtype().code(), d.pointer(),
                src.numel()), "sr_cast", src, dst);
    }

    @Override
    public void cast(Tensor src, Tensor dst, long n) {
        NativeTensor s = (NativeTensor) TensorChecks.live(src, this, "cast", "source", DType.F32, DType.BF16);
        NativeTensor d = (NativeTensor) TensorChecks.live(dst, this, "cast", "destination", DType.F32, DType.BF16);
        if (n < 0 || n > src.numel() || n > dst.numel()) {
            throw new ShapeException("cast: n = " + n + " elements outside " + src.describe() + " or " + dst.describe());
        }
        ctx.check(SrNative.sr_cast(ctx.handle(), src.dtype().code(), s.pointer(), dst.dtype().code(), d.pointer(), n),
                "sr_cast", src, dst);
    }

    @Override
    public MaskOps masks() {
        return masks;
    }

    @Override
    public OptimizerOps optimizers() {
        return optimizers;
    }

    @Override
    public DenseOps dense() {
        return dense;
    }

    @Override
    public NnOps nn() {
        return nn;
    }

    /** cuSPARSELt plans on a CUDA context, the host reference on a host one (same C API). */
    @Override
    public Optional<SparseGemmOps> sparseGemm() {
        return Optional.of(sparseGemm);
    }

    /** nativebridge.CudaGraph on a CUDA context; none on the host-reference context (nothing to record). */
    @Override
    public Optional<io.sparseretrain.core.ops.StepGraphs> stepGraphs() {
        if (ctx.deviceKind() != NativeContext.CUDA) return Optional.empty();
        return Optional.of(body -> {
            io.sparseretrain.nativebridge.CudaGraph g = io.sparseretrain.nativebridge.CudaGraph.capture(ctx, body);
            return new io.sparseretrain.core.ops.StepGraphs.Captured() {
                @Override
                public void launch() {
                    g.launch();
                }

                @Override
                public void close() {
                    g.close();
                }
            };
        });
    }

    @Override
    public void synchronize() {
        ctx.synchronize();
    }

    /** Tensors not yet closed (tests use it to check that nothing leaks). */
    int openTensorCount() {
        return open.size();
    }

    /** Frees tensors left open, then the context; idempotent. */
    @Override
    public void close() {
        if (ctx.isClosed()) return;
        for (CudaTensor t : open.toArray(new CudaTensor[0])) t.freeOnBackendClose(ctx);
        open.clear();
        ctx.close();
    }

    private NativeTensor hostCopyTarget(Tensor dst, DType dtype, long length) {
        NativeTensor d = TensorChecks.live(dst, this, "copy from host", "destination", dtype);
        if (length != dst.numel()) {
            throw new io.sparseretrain.core.ShapeException("copy from host: " + length + " host elements for tensor "
                    + dst.describe() + " of " + dst.numel() + " elements");
        }
        return d;
    }

    private static int hostLength(Tensor t) {
        if (t.numel() > Integer.MAX_VALUE - 8) {
            throw new DTypeException("copy to host: tensor " + t.describe() + " has more elements than a Java array holds");
        }
        return (int) t.numel();
    }

    private void copy(Pointer dst, Pointer src, long bytes, int kind, Tensor... tensors) {
        if (bytes == 0) return;
        if (ctx.isClosed()) throw new TensorStateException("backend '" + name + "' is closed");
        ctx.check(SrNative.sr_memcpy(ctx.handle(), dst, src, bytes, kind), "sr_memcpy", tensors);
    }
}
