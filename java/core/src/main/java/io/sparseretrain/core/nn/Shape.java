package io.sparseretrain.core.nn;

import java.util.Arrays;

/**
 * Per-example activation shape: {@code [features]} for flat activations or {@code [h, w, c]} for
 * NHWC feature maps (the batch dimension is not part of it).
 */
public record Shape(int... dims) {
    public Shape {
        dims = dims.clone();
        if (dims.length != 1 && dims.length != 3) {
            throw new IllegalArgumentException("activation shape " + Arrays.toString(dims) + " is neither [features] nor [h, w, c]");
        }
        for (int d : dims) if (d <= 0) throw new IllegalArgumentException("activation shape " + Arrays.toString(dims) + " has a non-positive dimension");
    }

    public static Shape flat(int features) {
        return new Shape(features);
    }

    public static Shape map(int h, int w, int c) {
        return new Shape(h, w, c);
    }

    public boolean isMap() {
        return dims.length == 3;
    }

    public int height() {
        return isMap() ? dims[0] : 1;
    }

    public int width() {
        return isMap() ? dims[1] : 1;
    }

    /** Channels of a map, features of a flat shape: the per-row width of the activation matrix. */
    public int channels() {
        return isMap() ? dims[2] : dims[0];
    }

    public long elements() {
        long n = 1;
        for (int d : dims) n *= d;
        return n;
    }

    /** Rows of the activation matrix per example: h·w for maps, 1 for flat. */
    public int rowsPerExample() {
        return height() * width();
    }

    @Override
    public int[] dims() {
        return dims.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
