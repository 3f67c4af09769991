package io.sparseretrain.core.prune;

import java.util.List;

/**
 * What a prune did. Norms are over the parameters ALLR's option {@code allr.norm} names (all
 * parameters by default, as the paper's code), before and after the prune: ‖θ‖₂ and ‖θ − θ_p‖₂.
 *
 * @param fractionPruned s of this cycle: entries pruned now / live entries before (over the prunable set)
 */
public record PruneReport(double targetSparsity, long prunable, long keptBefore, long keptAfter, List<LayerStat> layers,
                          double normBefore, double normRemoved, double normBeforePrunable, double normRemovedPrunable,
                          double fractionPruned) {
    /** Sparsity of the prunable set after the prune. */
    public double sparsity() {
        return prunable == 0 ? 0 : 1.0 - (double) keptAfter / prunable;
    }
}
