package io.sparseretrain.core;

/** The backend asked for cannot run here; the message carries the reason. */
public class BackendUnavailableException extends SparseRetrainException {
    public BackendUnavailableException(String message) {
        super(message);
    }
}
