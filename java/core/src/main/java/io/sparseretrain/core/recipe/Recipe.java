package io.sparseretrain.core.recipe;

import io.sparseretrain.core.algo.RetrainOptions;
import io.sparseretrain.core.nn.KernelMode;
import io.sparseretrain.core.nn.Precision;
import io.sparseretrain.core.prune.PruneSpec;
import io.sparseretrain.core.prune.structured.InferenceTimer;
import io.sparseretrain.core.prune.structured.StructuredSpec;
import java.nio.file.Path;
import java.util.List;

/**
 * A validated experiment: data, model, dense pretraining, pruning, the algorithm and its grid
 * (sparsities × retraining budgets × schedules), and seeds. Built only by {@link RecipeParser}, which
 * rejects unknown or invalid fields before any work starts.
 */
public record Recipe(String name, Path source, Data data, Path model, Pretraining pretraining, PruneSpec pruning, Algorithm algorithm,
                     List<Long> seeds, Retraining retraining, Structured structured) {
    /** Without a {@code retraining} block (dense kernels) and without structured pruning. */
    public Recipe(String name, Path source, Data data, Path model, Pretraining pretraining, PruneSpec pruning, Algorithm algorithm,
                  List<Long> seeds) {
        this(name, source, data, model, pretraining, pruning, algorithm, seeds, Retraining.DENSE, null);
    }

    public Recipe withSeeds(List<Long> s) {
        return new Recipe(name, source, data, model, pretraining, pruning, algorithm, List.copyOf(s), retraining, structured);
    }

    /** granularity: structured — neurons/filters removed and the model compacted. */
    public boolean isStructured() {
        return structured != null;
    }

    /**
     * How retraining runs the Linear/Conv GEMMs after pruning: {@code kernels} dense | sparse24 | auto
     * (2:4 sparse GEMM in bf16; input gradient sparse too when {@code transposable}) and {@code precision}
     * fp32 | bf16 (bf16 operands, fp32 accumulation, F32 master weights).
     */
    public record Retraining(KernelMode kernels, Precision precision, boolean transposable, boolean cudaGraph) {
        public static final Retraining DENSE = new Retraining(KernelMode.DENSE, Precision.FP32, false);

        /** Without CUDA Graph replay ({@code cuda_graph: false}, the default). */
        public Retraining(KernelMode kernels, Precision precision, boolean transposable) {
            this(kernels, precision, transposable, false);
        }
    }

    /**
     * Structured pruning's options: {@code spec} carries norm, scope, layers and per-layer fractions
     * (its sparsity is a placeholder: the grid's sparsities replace it), {@code timing} the measured
     * CPU inference comparison of the dense and the compacted model (examples 0 = not measured).
     */
    public record Structured(StructuredSpec spec, InferenceTimer.Timing timing) {}

    public record Data(Path dir, int batchSize, double validationFraction) {}

    /** Dense pretraining; η warm-up 0→peak over warmupEpochs, then linear (or cosine) to end. */
    /** @param cudaGraph replay the pretraining steps (and BIMP/GMP's dense phase) from CUDA Graphs */
    public record Pretraining(int epochs, String optimizer, float momentum, boolean nesterov, float weightDecay, String schedule,
                              float peak, float end, double warmupEpochs, boolean cudaGraph) {
        public Pretraining(int epochs, String optimizer, float momentum, boolean nesterov, float weightDecay, String schedule,
                           float peak, float end, double warmupEpochs) {
            this(epochs, optimizer, momentum, nesterov, weightDecay, schedule, peak, end, warmupEpochs, false);
        }

        /**
         * What a pretrained checkpoint depends on, in the form checkpoints have carried since the first
         * release (so --resume keeps accepting them); how the steps were issued (cudaGraph) is not part of it.
         */
        public String fingerprint() {
            return "Pretraining[epochs=" + epochs + ", optimizer=" + optimizer + ", momentum=" + momentum + ", nesterov=" + nesterov
                    + ", weightDecay=" + weightDecay + ", schedule=" + schedule + ", peak=" + peak + ", end=" + end + ", warmupEpochs="
                    + warmupEpochs + "]";
        }
    }

    public enum Kind { ONE_SHOT, IMP, LTH, GMP, BIMP }

    /**
     * @param sparsities      targets (grid)
     * @param retrainEpochs   retraining budget per cycle in epochs (grid; fractional allowed); IMP may give
     *                        {@code retrainTotalEpochs} instead, split evenly with the remainder to the last cycle
     * @param schedules       retraining schedules (grid): ft, lrw, slr, clr, llr, allr
     * @param cycles          IMP cycles J (0 when fixedFraction is used)
     * @param fixedFraction   IMP per-cycle fraction q (0 when cycles is used)
     * @param rewindEpochs    LTH: θ_k at k = round(rewindEpochs · steps per epoch)
     * @param totalEpochs     BIMP / GMP: the whole budget T
     * @param denseEpochs     BIMP: T0; GMP: t0 (first prune)
     * @param gmpIntervalEpochs GMP: Δt
     * @param allrLastCycleOnly BIMP option
     */
    public record Algorithm(Kind kind, List<Double> sparsities, List<Double> retrainEpochs, double retrainTotalEpochs,
                            List<String> schedules, int cycles, double fixedFraction, RetrainOptions retrain, double rewindEpochs,
                            double totalEpochs, double denseEpochs, double gmpIntervalEpochs, boolean allrLastCycleOnly) {}
}
