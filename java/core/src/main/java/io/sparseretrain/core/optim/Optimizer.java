package io.sparseretrain.core.optim;

import io.sparseretrain.core.nn.Parameter;
import java.util.List;
import java.util.Map;

/**
 * Updates every parameter from its gradient through the backend's mask-aware step: a pruned weight
 * (mask 0) and its optimizer state stay exactly zero. The learning rate comes from a schedule, per step.
 */
public interface Optimizer extends AutoCloseable {
    /** "sgd" or "adamw". */
    String kind();

    void step(float lr);

    /**
     * One step with the learning rate (and AdamW's step) read from device-resident scalars when the
     * step runs, so that it can be captured in a CUDA Graph; the caller advances {@code scalars} first.
     * Results are bit-identical to {@link #step(float)} with the same lr. The host-side step count
     * advances as in {@link #step(float)}.
     */
    void step(DeviceStepScalars scalars);

    /** Steps taken since creation or the last {@link #reset()}. */
    long steps();

    /** Forgets all state (a fresh optimizer, e.g. for weight rewinding). */
    void reset();

    /** State tensors by checkpoint name suffix, per parameter: e.g. "momentum_buffer" → tensor. */
    Map<String, Map<String, io.sparseretrain.core.Tensor>> state();

    /** Sets the step count (resume). */
    void setSteps(long steps);

    List<Parameter> parameters();

    @Override
    void close();
}
