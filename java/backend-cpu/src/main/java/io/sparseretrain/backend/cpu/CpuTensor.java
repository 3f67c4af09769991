package io.sparseretrain.backend.cpu;

import io.sparseretrain.core.DType;
import io.sparseretrain.core.Device;
import io.sparseretrain.core.TensorStateException;
import io.sparseretrain.nativebridge.NativeTensor;
import java.util.function.Consumer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A CPU tensor: an ND4J {@link INDArray} (c-order, not a view) whose off-heap buffer the native host
 * ops address directly through {@link #pointer()} — dense math (ND4J) and sparse ops (native) work on
 * the same memory, no copies. {@link #close()} frees the ND4J buffer at once; idempotent.
 */
public final class CpuTensor implements NativeTensor {
    private final String name;
    private final long[] shape;
    private final DType dtype;
    private final CpuBackend owner;
    private final Consumer<CpuTensor> onClose;
    private INDArray array;

    CpuTensor(String name, long[] shape, DType dtype, INDArray array, CpuBackend owner, Consumer<CpuTensor> onClose) {
        this.name = name;
        this.shape = shape.clone();
        this.dtype = dtype;
        this.array = array;
        this.owner = owner;
        this.onClose = onClose;
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
        return Device.CPU;
    }

    @Override
    public synchronized boolean isClosed() {
        return array == null;
    }

    /** The ND4J array sharing this tensor's memory (throws if closed). Do not close it directly. */
    public synchronized INDArray array() {
        if (array == null) throw new TensorStateException("tensor '" + name + "' is closed");
        return array;
    }

    /**
     * Address of element 0: the buffer's address plus the array's element offset. The returned
     * Pointer has position 0, so JavaCPP passes exactly this address to the native call.
     */
    @Override
    public Pointer pointer() {
        INDArray a = array();
        Pointer base = a.data().addressPointer();
        long address = base.address() + base.position() * Math.max(1, base.sizeof()) + a.offset() * dtype.byteSize();
        return new AddressPointer(address, byteSize());
    }

    @Override
    public Object owner() {
        return owner;
    }

    @Override
    public void close() {
        INDArray a;
        synchronized (this) {
            a = array;
            array = null;
        }
        if (a == null) return;
        // Frees the off-heap buffer now instead of waiting for ND4J's GC-driven deallocator.
        if (a.closeable()) a.close();
        else if (!a.data().wasClosed()) a.data().close();
        onClose.accept(this);
    }

    @Override
    public String toString() {
        return describe();
    }

    /** A non-owning pointer to a fixed address (JavaCPP sets the address only through subclasses). */
    private static final class AddressPointer extends Pointer {
        AddressPointer(long address, long bytes) {
            this.address = address;
            this.limit = bytes;
            this.capacity = bytes;
        }
    }
}
