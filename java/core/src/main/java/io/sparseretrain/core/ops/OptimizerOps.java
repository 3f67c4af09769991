package io.sparseretrain.core.ops;

import io.sparseretrain.core.Tensor;

/**
 * Mask-aware optimizer steps on F32 tensors (master weights). After a step every pruned weight
 * (mask 0) and its momentum / Adam moments are exactly zero, whatever the gradient says.
 */
public interface OptimizerOps {
    /**
     * torch.optim.SGD semantics; {@code momentumBuffer} may be null only when momentum is 0,
     * {@code mask} may be null (dense). {@code firstStep} initialises the buffer to the update, as PyTorch.
     */
    void sgdStep(Tensor weight, Tensor grad, Tensor momentumBuffer, Tensor mask, SgdConfig config, float lr,
                 boolean firstStep);

    /** torch.optim.AdamW semantics; {@code step} is 1-based. */
    void adamwStep(Tensor weight, Tensor grad, Tensor m, Tensor v, Tensor mask, AdamWConfig config, float lr, long step);

    // Device-resident step scalars (sparseretrain/step_scalars.h): the learning rate and AdamW's step
    // are read from {@code scalars} (a 16-byte I32[4] tensor: F32 lr bits, I32 step, I32 table cursor,
    // 0) when the step RUNS, so a captured CUDA Graph follows a schedule. See optim.DeviceStepScalars.
    // Backends without them refuse with UnsupportedOperationException.

    /** Next step: step + 1, lr = the table's entry at the cursor (the last one past the end). */
    default void advanceStepScalars(Tensor scalars, Tensor lrTable) {
        throw new UnsupportedOperationException("this backend has no device-resident step scalars");
    }

    /** {@link #sgdStep} with lr from {@code scalars}. */
    default void sgdStep(Tensor weight, Tensor grad, Tensor momentumBuffer, Tensor mask, SgdConfig config,
                         Tensor scalars, boolean firstStep) {
        throw new UnsupportedOperationException("this backend has no device-resident step scalars");
    }

    /** {@link #adamwStep} with lr and step from {@code scalars}. */
    default void adamwStep(Tensor weight, Tensor grad, Tensor m, Tensor v, Tensor mask, AdamWConfig config,
                           Tensor scalars) {
        throw new UnsupportedOperationException("this backend has no device-resident step scalars");
    }
}
