package io.sparseretrain.core;

/** A dtype the operation does not take; the message names the tensor and the dtypes allowed. */
public class DTypeException extends SparseRetrainException {
    public DTypeException(String message) {
        super(message);
    }
}
