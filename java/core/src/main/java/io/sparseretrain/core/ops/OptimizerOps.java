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
}
