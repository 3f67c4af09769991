package io.sparseretrain.core.experiment;

import io.sparseretrain.core.algo.CycleResult;
import java.util.List;

/** One grid cell of one seed: the algorithm's cycles and the final accuracy. */
public record CellResult(long seed, String schedule, double sparsity, double retrainEpochs, double denseAccuracy,
                         List<CycleResult> cycles, double seconds) {
    public CycleResult last() {
        return cycles.get(cycles.size() - 1);
    }

    public double finalAccuracy() {
        return last().accuracyAfterRetrain();
    }

    /** Directory name of the cell under the seed's folder. */
    public static String key(String schedule, double sparsity, double retrainEpochs) {
        return String.format(java.util.Locale.ROOT, "%s-s%.4f-e%.3f", schedule, sparsity, retrainEpochs);
    }
}
