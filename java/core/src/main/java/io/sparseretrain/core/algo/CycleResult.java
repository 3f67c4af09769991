package io.sparseretrain.core.algo;

import io.sparseretrain.core.schedule.AllrFactors;

/**
 * One prune-and-retrain cycle: sparsity reached, accuracy right after pruning (before retraining)
 * and after retraining, the retraining's LR curve, ALLR's factors when used, and wall time.
 */
public record CycleResult(int cycle, double targetSparsity, double sparsity, long kept, long prunable,
                          double accuracyAfterPrune, double lossAfterPrune, double accuracyAfterRetrain,
                          double lossAfterRetrain, double trainLoss, long retrainSteps, float[] lr, AllrFactors allr,
                          double seconds) {}
