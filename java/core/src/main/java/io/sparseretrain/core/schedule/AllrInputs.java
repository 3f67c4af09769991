package io.sparseretrain.core.schedule;

/**
 * What a pruning step did, as ALLR needs it: normBefore = ‖θ‖₂ before the prune, normRemoved =
 * ‖θ − θ_p‖₂ (the norm of the weights set to zero), fractionPruned = s. Which θ and which s is the
 * caller's choice (options allr.norm: all|prunable and allr.s: cycle|target): by default, as the
 * paper's reference code, θ = all parameters and s = the fraction pruned in this cycle; in one-shot
 * pruning the cycle fraction and the target sparsity agree.
 */
public record AllrInputs(double normBefore, double normRemoved, double fractionPruned) {
    public AllrInputs {
        if (!(normBefore > 0) || Double.isInfinite(normBefore)) throw new IllegalArgumentException("normBefore = ‖θ‖₂ must be finite and > 0, got " + normBefore);
        if (!(normRemoved >= 0) || normRemoved > normBefore) {
            throw new IllegalArgumentException("normRemoved = ‖θ − θ_p‖₂ must lie in [0, normBefore = " + normBefore + "], got " + normRemoved);
        }
        if (!(fractionPruned > 0 && fractionPruned <= 1)) throw new IllegalArgumentException("fractionPruned s must lie in (0, 1], got " + fractionPruned);
    }
}
