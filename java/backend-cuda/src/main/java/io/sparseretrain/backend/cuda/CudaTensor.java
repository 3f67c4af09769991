package io.sparseretrain.backend.cuda;

import io.sparseretrain.core.DType;
import io.sparseretrain.core.Device;
import io.sparseretrain.core.TensorStateException;
import io.sparseretrain.nativebridge.NativeContext;
import io.sparseretrain.nativebridge.NativeTensor;
import io.sparseretrain.nativebridge.SrNative;
import org.bytedeco.javacpp.Pointer;

/**
 * A tensor in the memory of its backend's context: device memory from sr_malloc (cudaMalloc) on a
 * CUDA context, host memory on the host reference context the tests compare against. Freed by
 * {@link #close()} exactly once, or by the backend's close; never by the garbage collector (the
 * Pointer is a bare address with no deallocator).
 */
final class CudaTensor implements NativeTensor {
    private final String name;
    private final long[] shape;
    private final DType dtype;
    private final ContextBackend owner;
    private Pointer address;

    CudaTensor(String name, long[] shape, DType dtype, ContextBackend owner, Pointer address) {
        this.name = name;
        this.shape = shape.clone();
        this.dtype = dtype;
        this.owner = owner;
        this.address = address;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public Device device() {
        return owner.device();
    }

    @Override
    public boolean isClosed() {
        return address == null;
    }

    @Override
    public Pointer pointer() {
        if (address == null) throw new TensorStateException("tensor '" + name + "' is closed");
        return address;
    }

    @Override
    public Object owner() {
        return owner;
    }

    /** Frees the memory once; a second call does nothing. */
    @Override
    public void close() {
        if (address == null) return;
        Pointer p = address;
        address = null;
        owner.release(this, p);
    }

    /** Called by the backend's close for tensors left open: frees without unregistering. */
    void freeOnBackendClose(NativeContext ctx) {
        if (address == null) return;
        Pointer p = address;
        address = null;
        SrNative.sr_free(ctx.handle(), p);
    }

    @Override
    public String toString() {
        return describe();
    }
}
