package io.sparseretrain.core.algo;

import io.sparseretrain.core.data.BatchLoader;
import io.sparseretrain.core.data.LabeledImages;
import io.sparseretrain.core.nn.Model;
import io.sparseretrain.core.optim.Optimizer;
import io.sparseretrain.core.prune.Pruner;
import io.sparseretrain.core.train.DataCursor;
import io.sparseretrain.core.train.StepListener;
import io.sparseretrain.core.train.Trainer;

/**
 * What an algorithm works with: the model and its optimizer inside a trainer, the training stream
 * (loader + cursor), the evaluation set, the pruner, the seed, and hooks for progress and
 * checkpoints. Algorithms compose these; they never call the backend directly.
 */
public record SparseContext(Trainer trainer, BatchLoader loader, DataCursor cursor, LabeledImages eval, Pruner pruner, long seed,
                            StepListener listener, CycleHook hook) {
    /** Called around every prune (checkpoints "before"/"after", reports). */
    public interface CycleHook {
        CycleHook NONE = new CycleHook() { };

        default void beforePrune(int cycle) {}

        default void afterPrune(int cycle) {}

        default void afterCycle(CycleResult result) {}
    }

    public Model model() {
        return trainer.model();
    }

    public Optimizer optimizer() {
        return trainer.optimizer();
    }

    public long stepsPerEpoch() {
        return loader.batchesPerEpoch();
    }
}
