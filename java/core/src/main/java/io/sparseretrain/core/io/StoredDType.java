package io.sparseretrain.core.io;

import io.sparseretrain.core.DType;

/** Element types a safetensors file can hold, by their header names. */
public enum StoredDType {
    F64(8), F32(4), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

    private final int byteSize;

    StoredDType(int byteSize) {
        this.byteSize = byteSize;
    }

    public int byteSize() {
        return byteSize;
    }

    /** The header name, e.g. "F32". */
    public String header() {
        return name();
    }

    public static StoredDType fromHeader(String s) {
        for (StoredDType d : values()) if (d.name().equals(s)) return d;
        return null;
    }

    public static StoredDType of(DType d) {
        return switch (d) {
            case F32 -> F32;
            case BF16 -> BF16;
            case U8 -> U8;
            case I32 -> I32;
        };
    }
}
