package io.sparseretrain.core;

/** Where a tensor's memory lives: the host ({@code cpu}) or a CUDA device with an ordinal. */
public record Device(Kind kind, int ordinal) {
    public enum Kind { CPU, CUDA }

    public static final Device CPU = new Device(Kind.CPU, 0);

    public Device {
        if (kind == null) throw new IllegalArgumentException("device kind is null");
        if (ordinal < 0) throw new IllegalArgumentException("device ordinal " + ordinal + " is negative");
    }

    public static Device cuda(int ordinal) {
        return new Device(Kind.CUDA, ordinal);
    }

    @Override
    public String toString() {
        return kind == Kind.CPU ? "cpu" : "cuda:" + ordinal;
    }
}
