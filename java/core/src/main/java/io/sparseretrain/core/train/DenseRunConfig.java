package io.sparseretrain.core.train;

import io.sparseretrain.core.nn.Precision;
import java.nio.file.Path;

/**
 * A dense training run (the paper's pretraining phase). Defaults are the standard dense recipe:
 * 20 epochs, batch 128, SGD with Nesterov momentum 0.9, weight decay 1e-4, LR warm-up 0→0.1 over the
 * first epoch then linear to 1e-3 at the last step.
 *
 * @param checkpointEvery epochs between checkpoints (the last epoch is always saved)
 * @param precision       GEMM precision: FP32, or BF16 operands with fp32 accumulation (master weights F32)
 * @param cudaGraph       replay each step from CUDA Graphs (CUDA backend only; Trainer#useCudaGraphs)
 */
public record DenseRunConfig(Path modelFile, Path dataDir, Path outDir, int epochs, int batchSize, String optimizer,
                             float lr, float lrEnd, double warmupEpochs, float momentum, boolean nesterov, float weightDecay,
                             long seed, int checkpointEvery, boolean resume, Precision precision, boolean cudaGraph) {
    /** Steps not replayed from CUDA Graphs. */
    public DenseRunConfig(Path modelFile, Path dataDir, Path outDir, int epochs, int batchSize, String optimizer, float lr, float lrEnd,
                          double warmupEpochs, float momentum, boolean nesterov, float weightDecay, long seed, int checkpointEvery,
                          boolean resume, Precision precision) {
        this(modelFile, dataDir, outDir, epochs, batchSize, optimizer, lr, lrEnd, warmupEpochs, momentum, nesterov, weightDecay, seed,
                checkpointEvery, resume, precision, false);
    }

    /** FP32 GEMMs. */
    public DenseRunConfig(Path modelFile, Path dataDir, Path outDir, int epochs, int batchSize, String optimizer, float lr, float lrEnd,
                          double warmupEpochs, float momentum, boolean nesterov, float weightDecay, long seed, int checkpointEvery,
                          boolean resume) {
        this(modelFile, dataDir, outDir, epochs, batchSize, optimizer, lr, lrEnd, warmupEpochs, momentum, nesterov, weightDecay, seed,
                checkpointEvery, resume, Precision.FP32);
    }

    public DenseRunConfig {
        if (precision == null) throw new IllegalArgumentException("precision is null (fp32 or bf16)");
        if (epochs <= 0) throw new IllegalArgumentException("epochs = " + epochs + " must be positive");
        if (batchSize <= 0) throw new IllegalArgumentException("batch size = " + batchSize + " must be positive");
        if (!optimizer.equals("sgd") && !optimizer.equals("adamw")) {
            throw new IllegalArgumentException("optimizer '" + optimizer + "' is not one of [sgd, adamw]");
        }
        if (!(lr > 0) || !(lrEnd >= 0)) throw new IllegalArgumentException("lr = " + lr + " must be > 0 and lr-end = " + lrEnd + " >= 0");
        if (!(warmupEpochs >= 0) || warmupEpochs >= epochs) {
            throw new IllegalArgumentException("warm-up of " + warmupEpochs + " epochs does not fit " + epochs + " epochs");
        }
        if (checkpointEvery <= 0) throw new IllegalArgumentException("checkpoint interval " + checkpointEvery + " must be positive");
    }

    public static DenseRunConfig standard(Path modelFile, Path outDir) {
        return new DenseRunConfig(modelFile, null, outDir, 20, 128, "sgd", 0.1f, 1e-3f, 1.0, 0.9f, true, 1e-4f, 0, 1, false);
    }

    public DenseRunConfig withEpochs(int e) {
        return new DenseRunConfig(modelFile, dataDir, outDir, e, batchSize, optimizer, lr, lrEnd, Math.min(warmupEpochs, e - 0.5),
                momentum, nesterov, weightDecay, seed, checkpointEvery, resume, precision, cudaGraph);
    }
}
