package io.sparseretrain.core.experiment;

import io.sparseretrain.core.algo.CycleResult;
import java.util.List;

/**
 * One grid cell of one seed: the algorithm's cycles and the final accuracy; {@code structured} (null
 * for mask pruning) holds the compacted model's widths, multiply-adds and measured inference speed.
 */
public record CellResult(long seed, String schedule, double sparsity, double retrainEpochs, double denseAccuracy,
                         List<CycleResult> cycles, double seconds, StructuredSummary structured) {
    public CellResult(long seed, String schedule, double sparsity, double retrainEpochs, double denseAccuracy, List<CycleResult> cycles,
                      double seconds) {
        this(seed, schedule, sparsity, retrainEpochs, denseAccuracy, cycles, seconds, null);
    }

    public CycleResult last() {
        return cycles.get(cycles.size() - 1);
    }

    public double finalAccuracy() {
        return last().accuracyAfterRetrain();
    }

    /**
     * Directory name of the cell under the seed's folder; it names the algorithm too, so runs of
     * different algorithms never mistake each other's cells.
     */
    public static String key(String algorithm, String schedule, double sparsity, double retrainEpochs) {
        return String.format(java.util.Locale.ROOT, "%s-%s-s%.4f-e%.3f", algorithm, schedule, sparsity, retrainEpochs);
    }
}
