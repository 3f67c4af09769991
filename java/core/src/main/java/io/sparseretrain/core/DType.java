package io.sparseretrain.core;

/** Element types of tensors; {@link #code()} is the native {@code sr_dtype}. */
public enum DType {
    /** IEEE float32. */
    F32(0, 4),
    /** bfloat16 (upper 16 bits of a float32), round-to-nearest-even on conversion. */
    BF16(1, 2),
    /** Masks: 0 = pruned, 1 = kept. */
    U8(2, 1),
    /** Labels and pooling indices. */
    I32(3, 4);

    private final int code;
    private final int byteSize;

    DType(int code, int byteSize) {
        this.code = code;
        this.byteSize = byteSize;
    }

    public int code() {
        return code;
    }

    public int byteSize() {
        return byteSize;
    }

    public boolean isFloatingPoint() {
        return this == F32 || this == BF16;
    }
}
