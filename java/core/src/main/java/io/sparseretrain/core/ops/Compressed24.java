package io.sparseretrain.core.ops;

import io.sparseretrain.core.Tensor;

/**
 * A 2:4 weight in the portable export layout (sparseretrain.h, sr_compress_24): {@code values}
 * [outer, K/2, inner] in the weight's dtype and {@code meta} [outer, K/4, inner] uint8 (bits 0-1 and
 * 2-3: the ascending indices of the two kept values of each group of 4 along K).
 */
public record Compressed24(Tensor values, Tensor meta, long[] denseShape) implements AutoCloseable {
    @Override
    public void close() {
        values.close();
        meta.close();
    }
}
