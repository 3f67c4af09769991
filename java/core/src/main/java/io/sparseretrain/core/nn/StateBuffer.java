package io.sparseretrain.core.nn;

import io.sparseretrain.core.Tensor;

/** A non-trainable tensor saved in checkpoints, e.g. {@code bn1.running_mean}. */
public record StateBuffer(String name, Tensor value) {}
