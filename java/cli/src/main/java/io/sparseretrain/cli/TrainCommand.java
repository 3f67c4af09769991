package io.sparseretrain.cli;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.Backends;
import io.sparseretrain.core.nn.Precision;
import io.sparseretrain.core.train.DenseRun;
import io.sparseretrain.core.train.DenseRunConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sparseretrain train}: dense training (pretraining) with the standard recipe's defaults. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Dense training on Fashion-MNIST; defaults are the standard dense recipe (LeNet-300-100, 20 epochs, "
                + "batch 128, SGD Nesterov 0.9, wd 1e-4, warm-up 0→0.1 over epoch 1, then linear to 1e-3).")
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", description = "model file (default: ${DEFAULT-VALUE})", defaultValue = "models/lenet-300-100.yaml")
    Path model;

    @Option(names = "--data", description = "Fashion-MNIST folder (default: $SPARSERETRAIN_FASHION_MNIST or /usr/share/datasets/fashion-mnist)")
    Path data;

    @Option(names = "--out", description = "run folder (default: ${DEFAULT-VALUE})", defaultValue = "runs/train")
    Path out;

    @Option(names = "--backend", description = "cpu, cuda or cuda:N (default: the best available)")
    String backend;

    @Option(names = "--epochs", defaultValue = "20", description = "(default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--batch", defaultValue = "128", description = "(default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--optimizer", defaultValue = "sgd", description = "sgd or adamw (default: ${DEFAULT-VALUE})")
    String optimizer;

    @Option(names = "--lr", defaultValue = "0.1", description = "peak learning rate (default: ${DEFAULT-VALUE})")
    float lr;

    @Option(names = "--lr-end", defaultValue = "0.001", description = "learning rate at the last step (default: ${DEFAULT-VALUE})")
    float lrEnd;

    @Option(names = "--warmup-epochs", defaultValue = "1", description = "linear warm-up from 0 (default: ${DEFAULT-VALUE})")
    double warmup;

    @Option(names = "--momentum", defaultValue = "0.9", description = "(default: ${DEFAULT-VALUE})")
    float momentum;

    @Option(names = "--nesterov", defaultValue = "true", negatable = true, description = "(default: ${DEFAULT-VALUE})")
    boolean nesterov;

    @Option(names = "--weight-decay", defaultValue = "1e-4", description = "(default: ${DEFAULT-VALUE})")
    float weightDecay;

    @Option(names = "--seed", defaultValue = "0", description = "(default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--checkpoint-every", defaultValue = "1", description = "epochs between checkpoints (default: ${DEFAULT-VALUE})")
    int checkpointEvery;

    @Option(names = "--precision", defaultValue = "fp32",
            description = "fp32, or bf16: GEMM operands rounded to bf16, fp32 accumulation, fp32 master weights (default: ${DEFAULT-VALUE})")
    private String precision;

    @Option(names = "--cuda-graph", description = "replay each training step from CUDA Graphs (CUDA backend only; "
            + "refused on the CPU backend; dense fp32 models without dropout)")
    boolean cudaGraph;

    @Option(names = "--resume", description = "continue from <out>/last.safetensors")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        DenseRunConfig c;
        try {
            c = new DenseRunConfig(model, data, out, epochs, batch, optimizer, lr, lrEnd, warmup, momentum, nesterov, weightDecay, seed,
                    checkpointEvery, resume, Precision.parse(precision), cudaGraph);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        try (Backend b = backend == null ? Backends.createDefault() : Backends.create(backend)) {
            w.printf("backend %s, model %s, %d epochs, batch %d, %s lr %.4g→%.4g, seed %d, out %s%n", b.name(), model, epochs, batch,
                    optimizer, lr, lrEnd, seed, out);
            DenseRun.Result r = DenseRun.run(b, c, w);
            w.printf("test accuracy %.2f%% (loss %.4f); median epoch %.2f s; checkpoint %s%n", 100 * r.test().accuracy(), r.test().loss(),
                    r.medianEpochSeconds(), out.resolve("last.safetensors"));
            r.model().close();
        }
        return 0;
    }
}
