package io.sparseretrain.backend.cpu;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.DType;
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
import io.sparseretrain.nativebridge.SrNative;
import io.sparseretrain.nativebridge.TensorChecks;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.ShortPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The CPU backend: tensors are ND4J arrays (dense math by ND4J/OpenBLAS), and the sparse ops — masks,
 * top-k selection, N:M, optimizer steps — run the native host reference on the same off-heap memory
 * through a host {@link NativeContext}. Closing the backend closes the tensors still open, then the
 * context.
 */
public final class CpuBackend implements Backend {
    private final NativeContext ctx;
    private final NativeMaskOps masks;
    private final NativeOptimizerOps optimizers;
    private final CpuDenseOps dense;
    private final NativeNnOps nn;
    private final NativeSparseGemmOps sparseGemm;
    private final Set<CpuTensor> open = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    private volatile boolean closed;

    /** Throws BackendUnavailableException with the reason when the native library cannot load. */
    public CpuBackend() {
        this.ctx = NativeContext.create(NativeContext.HOST, 0);
        this.masks = new NativeMaskOps(ctx, this);
        this.optimizers = new NativeOptimizerOps(ctx, this);
        this.dense = new CpuDenseOps(this, ctx);
        this.nn = new NativeNnOps(ctx, this);
        this.sparseGemm = new NativeSparseGemmOps(ctx, this);
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public Device device() {
        return Device.CPU;
    }

    @Override
    public Tensor zeros(String name, DType dtype, long... shape) {
        requireOpen();
        if (name == null) throw new IllegalArgumentException("tensor name is null");
        if (dtype == null) throw new IllegalArgumentException("dtype of tensor '" + name + "' is null");
        try {
            Shapes.numel(shape);
        } catch (ShapeException | ArithmeticException e) {
            throw new ShapeException("tensor '" + name + "': bad shape " + Shapes.format(shape) + ": " + e.getMessage());
        }
        // c-order, detached from any ND4J workspace: the tensor alone owns the buffer.
        CpuTensor t = new CpuTensor(name, shape, dtype, Nd4j.zeros(nd4jType(dtype), shape), this, open::remove);
        open.add(t);
        return t;
    }

    /** ND4J element type of a SparseRetrain dtype. */
    static DataType nd4jType(DType d) {
        return switch (d) {
            case F32 -> DataType.FLOAT;
            case BF16 -> DataType.BFLOAT16;
            case U8 -> DataType.UINT8;
            case I32 -> DataType.INT;
            default -> throw new io.sparseretrain.core.DTypeException("the cpu backend has no tensors of dtype " + d);
        };
    }

    @Override
    public void copyFromHost(float[] src, Tensor dst) {
        CpuTensor t = (CpuTensor) TensorChecks.live(dst, this, "copy from host", "destination", DType.F32);
        requireLength(src.length, dst, "copy from host");
        new FloatPointer(t.pointer()).capacity(src.length).put(src);
    }

    @Override
    public void copyFromHost(byte[] src, Tensor dst) {
        CpuTensor t = (CpuTensor) TensorChecks.live(dst, this, "copy from host", "destination", DType.U8);
        requireLength(src.length, dst, "copy from host");
        new BytePointer(t.pointer()).capacity(src.length).put(src);
    }

    @Override
    public void copyFromHost(int[] src, Tensor dst) {
        CpuTensor t = (CpuTensor) TensorChecks.live(dst, this, "copy from host", "destination", DType.I32);
        requireLength(src.length, dst, "copy from host");
        new org.bytedeco.javacpp.IntPointer(t.pointer()).capacity(src.length).put(src);
    }

    @Override
    public float[] copyToHostFloats(Tensor src) {
        CpuTensor t = (CpuTensor) TensorChecks.live(src, this, "copy to host", "source", DType.F32);
        float[] out = new float[hostLength(src)];
        new FloatPointer(t.pointer()).capacity(out.length).get(out);
        return out;
    }

    @Override
    public byte[] copyToHostBytes(Tensor src) {
        CpuTensor t = (CpuTensor) TensorChecks.live(src, this, "copy to host", "source", DType.U8);
        byte[] out = new byte[hostLength(src)];
        new BytePointer(t.pointer()).capacity(out.length).get(out);
        return out;
    }

    @Override
    public short[] copyToHostBf16(Tensor src) {
        CpuTensor t = (CpuTensor) TensorChecks.live(src, this, "copy to host", "source", DType.BF16);
        short[] out = new short[hostLength(src)];
        new ShortPointer(t.pointer()).capacity(out.length).get(out);
        return out;
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        CpuTensor s = (CpuTensor) TensorChecks.live(src, this, "copy", "source");
        CpuTensor d = (CpuTensor) TensorChecks.live(dst, this, "copy", "destination", src.dtype());
        TensorChecks.sameNumel(src, dst, "copy");
        if (s == d || src.numel() == 0) return;
        Pointer.memcpy(d.pointer(), s.pointer(), src.byteSize());
    }

    @Override
    public void cast(Tensor src, Tensor dst) {
        CpuTensor s = (CpuTensor) TensorChecks.live(src, this, "cast", "source", DType.F32, DType.BF16);
        CpuTensor d = (CpuTensor) TensorChecks.live(dst, this, "cast", "destination", DType.F32, DType.BF16);
        TensorChecks.sameNumel(src, dst, "cast");
        // The native cast rounds to nearest even, the same on host and CUDA (ND4J's cast may differ).
        ctx.check(SrNative.sr_cast(ctx.handle(), src.dtype().code(), s.pointer(), dst.dtype().code(), d.pointer(), src.numel()),
                "sr_cast", src, dst);
    }

    @Override
    public void cast(Tensor src, Tensor dst, long n) {
        CpuTensor s = (CpuTensor) TensorChecks.live(src, this, "cast", "source", DType.F32, DType.BF16);
        CpuTensor d = (CpuTensor) TensorChecks.live(dst, this, "cast", "destination", DType.F32, DType.BF16);
        if (n < 0 || n > src.numel() || n > dst.numel()) {
            throw new ShapeException("cast: n = " + n + " elements outside " + src.describe() + " or " + dst.describe());
        }
        ctx.check(SrNative.sr_cast(ctx.handle(), src.dtype().code(), s.pointer(), dst.dtype().code(), d.pointer(), n),
                "sr_cast", src, dst);
    }

    @Override
    public MaskOps masks() {
        requireOpen();
        return masks;
    }

    @Override
    public OptimizerOps optimizers() {
        requireOpen();
        return optimizers;
    }

    @Override
    public DenseOps dense() {
        requireOpen();
        return dense;
    }

    @Override
    public NnOps nn() {
        requireOpen();
        return nn;
    }

    /** The native host reference of the 2:4 sparse GEMM (same contract as cuSPARSELt; a reference, not a fast path). */
    @Override
    public Optional<SparseGemmOps> sparseGemm() {
        requireOpen();
        return Optional.of(sparseGemm);
    }

    @Override
    public void synchronize() {
        // Host ops are synchronous.
    }

    /** Tensors made by this backend and not yet closed. */
    public int openTensorCount() {
        return open.size();
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        List<CpuTensor> left;
        synchronized (open) {
            left = new ArrayList<>(open);
        }
        for (CpuTensor t : left) t.close();
        ctx.close();
    }

    private void requireOpen() {
        if (closed) throw new TensorStateException("the cpu backend is closed");
    }

    private static void requireLength(int length, Tensor t, String op) {
        if (length != t.numel()) {
            throw new ShapeException(op + ": " + length + " host elements for tensor '" + t.name() + "' of shape "
                    + Shapes.format(t.shape()) + " (" + t.numel() + " elements)");
        }
    }

    private static int hostLength(Tensor t) {
        if (t.numel() > Integer.MAX_VALUE - 8) {
            throw new ShapeException("copy to host: tensor '" + t.name() + "' of shape " + Shapes.format(t.shape())
                    + " has more elements than a Java array holds");
        }
        return (int) t.numel();
    }
}
