package io.sparseretrain.core.algo;

import io.sparseretrain.core.schedule.RetrainMethod;
import io.sparseretrain.core.schedule.WarmupKind;

/**
 * How each retraining cycle sets its learning rate, and ALLR's options: {@code allrNorm} picks θ for
 * ‖θ‖ and ‖θ − θ_p‖ (ALL parameters by default, as the paper's code; or only the PRUNABLE weights),
 * {@code allrS} picks s (the fraction pruned in this CYCLE by default, or the TARGET sparsity).
 * {@code recalibrateBatchNorm}: batches of training data to re-estimate BN statistics after each prune
 * (0 = off).
 */
public record RetrainOptions(RetrainMethod method, WarmupKind warmup, AllrNorm allrNorm, AllrS allrS, int recalibrateBatchNorm) {
    public enum AllrNorm { ALL, PRUNABLE }

    public enum AllrS { CYCLE, TARGET }

    public static RetrainOptions of(RetrainMethod method) {
        return new RetrainOptions(method, WarmupKind.LINEAR, AllrNorm.ALL, AllrS.CYCLE, 0);
    }

    public RetrainOptions withMethod(RetrainMethod m) {
        return new RetrainOptions(m, warmup, allrNorm, allrS, recalibrateBatchNorm);
    }
}
