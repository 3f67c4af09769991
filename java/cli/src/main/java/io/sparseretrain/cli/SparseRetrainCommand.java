package io.sparseretrain.cli;

import picocli.CommandLine.Command;

/** The top-level {@code sparseretrain} command: prints usage; the work is in its subcommands. */
@Command(name = "sparseretrain", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Prune neural networks and retrain them sparsity-aware (CPU and CUDA).",
        subcommands = {InfoCommand.class, RunCommand.class, TrainCommand.class, PruneCommand.class, EvalCommand.class, DemoPruneCommand.class})
final class SparseRetrainCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
