package io.sparseretrain.core;

/** Base of every error SparseRetrain raises; unchecked, with a message that names what was wrong. */
public class SparseRetrainException extends RuntimeException {
    public SparseRetrainException(String message) {
        super(message);
    }

    public SparseRetrainException(String message, Throwable cause) {
        super(message, cause);
    }
}
