package io.sparseretrain.core.train;

import io.sparseretrain.core.SparseRetrainException;

/** The loss became NaN or Inf: training stops; the last good checkpoint is kept. */
public class DivergenceException extends SparseRetrainException {
    public DivergenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
