package io.sparseretrain.core.nn;

import io.sparseretrain.core.SparseRetrainException;

/** A model file that cannot be built; the message names the file, the layer and the field. */
public class ModelSpecException extends SparseRetrainException {
    public ModelSpecException(String message) {
        super(message);
    }
}
