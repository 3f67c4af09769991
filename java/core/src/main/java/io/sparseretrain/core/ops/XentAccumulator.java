package io.sparseretrain.core.ops;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.DType;
import io.sparseretrain.core.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The 32-byte sr_xent_acc struct (sparseretrain.h, "accumulating softmax cross-entropy") in a
 * backend's memory: {@link NnOps#softmaxCrossEntropyAcc} adds each batch's loss sum, correct count
 * and rows to it without a host round trip; {@link #read()} is the one copy back (it synchronizes).
 */
public final class XentAccumulator implements AutoCloseable {
    /** Flags of {@link Totals#error()}, as SR_XENT_ACC_BAD_LABEL / SR_XENT_ACC_NONFINITE. */
    public static final int BAD_LABEL = 1, NONFINITE = 2;
    public static final int BYTES = 32;

    private final Backend backend;
    private final Tensor acc;
    private boolean closed;

    /** What the struct holds: sums over valid rows, and the sticky OR of the error flags. */
    public record Totals(double lossSum, long correct, long rows, int error) {}

    public XentAccumulator(Backend backend) {
        this.backend = backend;
        this.acc = backend.zeros("xent_acc", DType.U8, BYTES);
    }

    /** The struct's tensor, for {@link NnOps#softmaxCrossEntropyAcc}. */
    public Tensor tensor() {
        if (closed) throw new IllegalStateException("xent accumulator is closed");
        return acc;
    }

    /** Back to zero sums and no flags. */
    public void zero() {
        backend.copyFromHost(new byte[BYTES], tensor());
    }

    /** Copies the struct to the host (after the work queued before it). */
    public Totals read() {
        ByteBuffer b = ByteBuffer.wrap(backend.copyToHostBytes(tensor())).order(ByteOrder.nativeOrder());
        return new Totals(b.getDouble(0), b.getLong(8), b.getLong(16), b.getInt(24));
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        acc.close();
    }
}
