package io.sparseretrain.core.data;

/**
 * One mini-batch in host memory: {@code size} examples, features row-major [size, featuresPerExample]
 * and labels. Buffers are reused by the loader: copy what must outlive the next {@code next()}.
 */
public final class Batch {
    final float[] features;
    final int[] labels;
    int size;
    int index;

    Batch(int capacity, int featuresPerExample) {
        this.features = new float[capacity * featuresPerExample];
        this.labels = new int[capacity];
    }

    public float[] features() {
        return features;
    }

    public int[] labels() {
        return labels;
    }

    /** Examples in this batch (the last one may be short unless dropLast). */
    public int size() {
        return size;
    }

    /** Position of this batch in its epoch, from 0. */
    public int index() {
        return index;
    }
}
