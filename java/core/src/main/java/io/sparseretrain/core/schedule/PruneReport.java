package io.sparseretrain.core.schedule;

/**
 * What a pruning step did, as ALLR needs it: normBefore = ‖θ‖₂ (all weights before pruning),
 * normRemoved = ‖θ − θ_p‖₂ (the norm of the weights set to zero), fractionPruned = s, the model
 * sparsity after pruning (the paper's target sparsity; fraction of prunable weights that are zero).
 */
public record PruneReport(double normBefore, double normRemoved, double fractionPruned) {
    public PruneReport {
        if (!(normBefore > 0) || Double.isInfinite(normBefore)) throw new IllegalArgumentException("normBefore = ‖θ‖₂ must be finite and > 0, got " + normBefore);
        if (!(normRemoved >= 0) || normRemoved > normBefore) {
            throw new IllegalArgumentException("normRemoved = ‖θ − θ_p‖₂ must lie in [0, normBefore = " + normBefore + "], got " + normRemoved);
        }
        if (!(fractionPruned > 0 && fractionPruned <= 1)) throw new IllegalArgumentException("fractionPruned s must lie in (0, 1], got " + fractionPruned);
    }
}
