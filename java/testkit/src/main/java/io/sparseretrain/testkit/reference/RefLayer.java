package io.sparseretrain.testkit.reference;

import java.util.List;

/**
 * A float64 layer with the engine's semantics (NHWC maps, flat [batch, features] activations),
 * forward and backward side by side. Arrays hold the whole batch; backward overwrites the parameter
 * gradients and returns dx for the last forward.
 */
public interface RefLayer {
    double[] forward(double[] x, int batch);

    /** dx for dy = ∂L/∂y of the last forward; fills {@link RefParam#grad}. */
    double[] backward(double[] dy);

    /** In the engine's parameters() order. */
    default List<RefParam> params() {
        return List.of();
    }
}
