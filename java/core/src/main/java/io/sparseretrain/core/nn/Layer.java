package io.sparseretrain.core.nn;

import io.sparseretrain.core.Tensor;
import java.util.List;

/**
 * One layer: forward and backward side by side. Activation buffers are allocated once for the
 * largest batch ({@link #allocate}); a step only reads and writes them, using the first
 * {@code batch} examples. {@link #forward} keeps what {@link #backward} needs until the next forward.
 */
public interface Layer extends AutoCloseable {
    /** Prefix of this layer's parameter names ("" for layers without state). */
    String name();

    Shape inputShape();

    Shape outputShape();

    /** Allocates activation and gradient buffers for batches of up to {@code maxBatch} examples. */
    void allocate(int maxBatch);

    /** Output for the first {@code batch} examples of x. */
    Tensor forward(Tensor x, int batch, boolean training);

    /** dx for dy (the gradient w.r.t. the output); fills parameter gradients. */
    Tensor backward(Tensor dy, int batch);

    /** The first layer's input gradient is never used: let it skip that work. */
    default void skipInputGradient() {}

    default List<Parameter> parameters() {
        return List.of();
    }

    default List<StateBuffer> buffers() {
        return List.of();
    }

    /** Multiply-adds per example of the dense layer (Conv and Linear; 0 elsewhere). */
    default long denseMultiplyAdds() {
        return 0;
    }

    /** Multiply-adds per example over the weight entries that are nonzero. */
    default long sparseMultiplyAdds() {
        return 0;
    }

    @Override
    void close();
}
