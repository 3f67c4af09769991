package io.sparseretrain.core.train;

/** Told after every optimizer step (progress bars, LR recording). */
@FunctionalInterface
public interface StepListener {
    StepListener NONE = (epoch, batch, batches, globalStep, lr, loss) -> { };

    /** @param loss mean loss of this batch; NaN for a step replayed from a CUDA Graph (its loss stays on the device) */
    void afterStep(int epoch, int batch, int batches, long globalStep, float lr, double loss);
}
