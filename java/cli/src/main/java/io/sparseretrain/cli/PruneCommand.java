package io.sparseretrain.cli;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.Backends;
import io.sparseretrain.core.io.Checkpoint;
import io.sparseretrain.core.nn.Model;
import io.sparseretrain.core.nn.ModelSpec;
import io.sparseretrain.core.prune.PruneReport;
import io.sparseretrain.core.prune.PruneSpec;
import io.sparseretrain.core.prune.Pruner;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sparseretrain prune}: a checkpoint to a target sparsity (or pattern), saved as a new checkpoint. */
@Command(name = "prune", mixinStandardHelpOptions = true,
        description = "Prune a checkpoint (no retraining): magnitude or random, global or layer-wise, unstructured, N:M or "
                + "transposable 2:4. Masks only shrink; the input file is never modified.")
final class PruneCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "model file, e.g. models/lenet-300-100.yaml")
    Path model;

    @Option(names = "--checkpoint", required = true, description = "input checkpoint")
    Path checkpoint;

    @Option(names = "--out", required = true, description = "output checkpoint (must differ from the input)")
    Path out;

    @Option(names = "--sparsity", defaultValue = "0.9", description = "target for unstructured pruning (default: ${DEFAULT-VALUE})")
    double sparsity;

    @Option(names = "--criterion", defaultValue = "magnitude", description = "magnitude or random (default: ${DEFAULT-VALUE})")
    String criterion;

    @Option(names = "--scope", defaultValue = "global", description = "global or layerwise (default: ${DEFAULT-VALUE})")
    String scope;

    @Option(names = "--allocation", defaultValue = "uniform", description = "layer-wise: uniform, uniform+ or erk (default: ${DEFAULT-VALUE})")
    String allocation;

    @Option(names = "--granularity", defaultValue = "unstructured", description = "unstructured, nm or transposable24 (default: ${DEFAULT-VALUE})")
    String granularity;

    @Option(names = "--n", defaultValue = "2", description = "N of N:M (default: ${DEFAULT-VALUE})")
    int n;

    @Option(names = "--m", defaultValue = "4", description = "M of N:M (default: ${DEFAULT-VALUE})")
    int m;

    @Option(names = "--seed", defaultValue = "0", description = "random criterion's seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--backend", description = "cpu, cuda or cuda:N")
    String backend;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        if (Files.exists(out) && Files.isSameFile(out, checkpoint)) {
            throw new IllegalArgumentException("--out " + out + " is the input checkpoint; write the pruned model to a new file");
        }
        PruneSpec ps = new PruneSpec(enumOf(PruneSpec.Criterion.class, criterion, "--criterion"), enumOf(PruneSpec.Scope.class, scope, "--scope"),
                granularity(), allocation(), n, m, Set.of(), Map.of(), Set.of());
        try (Backend b = backend == null ? Backends.createDefault() : Backends.create(backend);
             Model mdl = ModelSpec.load(model).build(b, 0)) {
            Map<String, String> meta = Checkpoint.load(checkpoint, mdl, null);
            PruneReport r = new Pruner(ps).prune(mdl, ps.isPatterned() ? 0.5 : sparsity, seed);
            java.util.Map<String, String> outMeta = new java.util.LinkedHashMap<>(meta);
            outMeta.remove("sparseretrain.crc32c");
            outMeta.put("pruned_from", checkpoint.toString());
            outMeta.put("pruning", ps.criterion() + " " + ps.scope() + " " + ps.granularity());
            Checkpoint.save(out, mdl, null, outMeta);
            w.printf("pruned %s: kept %,d of %,d prunable weights (sparsity %.4f, this prune removed %.2f%% of the live ones)%n",
                    checkpoint, r.keptAfter(), r.prunable(), r.sparsity(), 100 * r.fractionPruned());
            ModelSummary.print(w, mdl);
            w.println("saved " + out);
        }
        return 0;
    }

    private PruneSpec.Granularity granularity() {
        return switch (granularity.toLowerCase(Locale.ROOT)) {
            case "unstructured" -> PruneSpec.Granularity.UNSTRUCTURED;
            case "nm" -> PruneSpec.Granularity.NM;
            case "transposable24" -> PruneSpec.Granularity.TRANSPOSABLE_24;
            default -> throw new IllegalArgumentException("--granularity '" + granularity + "' is not one of [unstructured, nm, transposable24]");
        };
    }

    private PruneSpec.Allocation allocation() {
        return switch (allocation.toLowerCase(Locale.ROOT)) {
            case "uniform" -> PruneSpec.Allocation.UNIFORM;
            case "uniform+" -> PruneSpec.Allocation.UNIFORM_PLUS;
            case "erk" -> PruneSpec.Allocation.ERK;
            default -> throw new IllegalArgumentException("--allocation '" + allocation + "' is not one of [uniform, uniform+, erk]");
        };
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String value, String option) {
        for (E e : type.getEnumConstants()) if (e.name().equalsIgnoreCase(value)) return e;
        throw new IllegalArgumentException(option + " '" + value + "' is not one of " + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT));
    }
}
