package io.sparseretrain.core.ops;

/** Summed softmax cross-entropy over a batch and how many rows were classified right. */
public record XentResult(double lossSum, long correct) {}
