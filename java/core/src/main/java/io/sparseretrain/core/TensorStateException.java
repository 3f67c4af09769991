package io.sparseretrain.core;

/** A closed tensor, or a tensor of another device or backend, given to an operation. */
public class TensorStateException extends SparseRetrainException {
    public TensorStateException(String message) {
        super(message);
    }
}
