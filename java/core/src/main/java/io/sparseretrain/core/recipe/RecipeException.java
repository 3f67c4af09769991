package io.sparseretrain.core.recipe;

import io.sparseretrain.core.SparseRetrainException;

/** A recipe that cannot run; the message names the file, the field and the allowed values. */
public class RecipeException extends SparseRetrainException {
    public RecipeException(String message) {
        super(message);
    }
}
