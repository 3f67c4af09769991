package io.sparseretrain.core.io;

import io.sparseretrain.core.Shapes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A named tensor in host memory, little-endian, as it is stored in a checkpoint. The buffer is
 * owned (read-only views are handed out).
 */
public final class HostTensor {
    private final String name;
    private final StoredDType dtype;
    private final long[] shape;
    private final ByteBuffer data;

    public HostTensor(String name, StoredDType dtype, long[] shape, ByteBuffer data) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("tensor name is empty");
        long expected = Shapes.numel(shape) * dtype.byteSize();
        if (data.remaining() != expected) {
            throw new IllegalArgumentException("tensor '" + name + "' " + Arrays.toString(shape) + " " + dtype + " needs "
                    + expected + " bytes, got " + data.remaining());
        }
        this.name = name;
        this.dtype = dtype;
        this.shape = shape.clone();
        this.data = data.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    public static HostTensor ofFloats(String name, float[] values, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return new HostTensor(name, StoredDType.F32, shape, b);
    }

    public static HostTensor ofBytes(String name, byte[] values, long... shape) {
        return new HostTensor(name, StoredDType.U8, shape, ByteBuffer.wrap(values.clone()));
    }

    public static HostTensor ofLongs(String name, long[] values, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return new HostTensor(name, StoredDType.I64, shape, b);
    }

    public String name() {
        return name;
    }

    public StoredDType dtype() {
        return dtype;
    }

    public long[] shape() {
        return shape.clone();
    }

    public long numel() {
        return Shapes.numel(shape);
    }

    /** A read-only little-endian view of the bytes. */
    public ByteBuffer data() {
        return data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    public float[] toFloats() {
        if (dtype != StoredDType.F32) throw new IllegalStateException("tensor '" + name + "' is " + dtype + ", not F32");
        float[] out = new float[(int) numel()];
        data().asFloatBuffer().get(out);
        return out;
    }

    public byte[] toBytes() {
        byte[] out = new byte[data.remaining()];
        data().get(out);
        return out;
    }
}
