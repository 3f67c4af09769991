package io.sparseretrain.cli;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.Backends;
import io.sparseretrain.core.data.FashionMnist;
import io.sparseretrain.core.io.CompactedCheckpoint;
import io.sparseretrain.core.nn.Model;
import io.sparseretrain.core.train.Trainer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sparseretrain eval}: test loss and accuracy, sparsity and multiply-adds of a checkpoint. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a checkpoint on Fashion-MNIST's test set: loss, top-1 accuracy, per-layer and global sparsity, "
                + "dense and nonzero multiply-adds per example.")
final class EvalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", description = "model file, e.g. models/lenet-300-100.yaml (default: the model file the checkpoint "
            + "names, as structured pruning writes beside a compacted checkpoint)")
    Path model;

    @Option(names = "--checkpoint", required = true, description = "safetensors checkpoint (ours or a PyTorch state_dict)")
    Path checkpoint;

    @Option(names = "--data", description = "Fashion-MNIST folder")
    Path data;

    @Option(names = "--backend", description = "cpu, cuda or cuda:N")
    String backend;

    @Option(names = "--batch", defaultValue = "256", description = "(default: ${DEFAULT-VALUE})")
    int batch;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        FashionMnist.Split split = FashionMnist.load(data);
        try (Backend b = backend == null ? Backends.createDefault() : Backends.create(backend);
             Model m = CompactedCheckpoint.build(b, checkpoint, model)) {
            try (Trainer t = new Trainer(m, new io.sparseretrain.core.optim.Sgd(b, java.util.List.of(), io.sparseretrain.core.ops.SgdConfig.plain()), batch)) {
                Trainer.EvalStats s = t.evaluate(split.test());
                w.printf("%s on %s: test accuracy %.2f%%, loss %.4f over %,d examples%n", checkpoint, b.name(), 100 * s.accuracy(), s.loss(),
                        s.examples());
            }
            ModelSummary.print(w, m);
        }
        return 0;
    }
}
