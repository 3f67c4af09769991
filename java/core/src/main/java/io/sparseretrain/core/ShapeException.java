package io.sparseretrain.core;

/** A shape that does not fit the operation; the message names the tensor and the dimension. */
public class ShapeException extends SparseRetrainException {
    public ShapeException(String message) {
        super(message);
    }
}
