package io.sparseretrain.core;

/**
 * A dense, row-major tensor owned by one {@link Backend}: shape, dtype, device and memory that is
 * freed by {@link #close()} (exactly once; later calls do nothing). Host↔device copies are never
 * hidden: they happen only through {@link Backend#copyFromHost} / {@link Backend#copyToHost}.
 */
public interface Tensor extends AutoCloseable {
    /** Name for messages, e.g. {@code fc1.weight}. */
    String name();

    /** A copy of the shape. */
    long[] shape();

    DType dtype();

    Device device();

    default long numel() {
        return Shapes.numel(shape());
    }

    default long byteSize() {
        return numel() * dtype().byteSize();
    }

    boolean isClosed();

    /** Frees the memory; idempotent. */
    @Override
    void close();

    /** "name [d0, d1] F32 on cpu", for messages. */
    default String describe() {
        return "'" + name() + "' " + Shapes.format(shape()) + " " + dtype() + " on " + device();
    }
}
