package io.sparseretrain.cli;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.Backends;
import io.sparseretrain.core.io.Checkpoint;
import io.sparseretrain.core.io.CompactedCheckpoint;
import io.sparseretrain.core.nn.Model;
import io.sparseretrain.core.prune.PruneReport;
import io.sparseretrain.core.prune.PruneSpec;
import io.sparseretrain.core.prune.Pruner;
import io.sparseretrain.core.prune.structured.InferenceTimer;
import io.sparseretrain.core.prune.structured.StructuredPruner;
import io.sparseretrain.core.prune.structured.StructuredResult;
import io.sparseretrain.core.prune.structured.StructuredSpec;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sparseretrain prune}: a checkpoint to a target sparsity (or pattern), saved as a new checkpoint;
 * {@code --granularity structured} removes whole neurons/filters and writes the compacted checkpoint with
 * its model file beside it.
 */
@Command(name = "prune", mixinStandardHelpOptions = true,
        description = "Prune a checkpoint (no retraining): magnitude or random, global or layer-wise, unstructured, N:M or "
                + "transposable 2:4 (masks only shrink), or structured: whole neurons/filters by L1/L2 norm, the model compacted and "
                + "its model file written beside --out (OUT.model.yaml, named in the checkpoint's metadata). The input file is never modified.")
final class PruneCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", description = "model file, e.g. models/lenet-300-100.yaml (default: the one the checkpoint names)")
    Path model;

    @Option(names = "--checkpoint", required = true, description = "input checkpoint")
    Path checkpoint;

    @Option(names = "--out", required = true, description = "output checkpoint (must differ from the input)")
    Path out;

    @Option(names = "--sparsity", defaultValue = "0.9", description = "target for unstructured pruning; structured: the fraction of "
            + "neurons/filters removed per layer (default: ${DEFAULT-VALUE})")
    double sparsity;

    @Option(names = "--criterion", defaultValue = "magnitude", description = "magnitude or random (default: ${DEFAULT-VALUE})")
    String criterion;

    @Option(names = "--scope", description = "global or layerwise (default: global; structured: layerwise)")
    String scope;

    @Option(names = "--allocation", defaultValue = "uniform", description = "layer-wise: uniform, uniform+ or erk (default: ${DEFAULT-VALUE})")
    String allocation;

    @Option(names = "--granularity", defaultValue = "unstructured", description = "unstructured, nm, transposable24 or structured "
            + "(default: ${DEFAULT-VALUE})")
    String granularity;

    @Option(names = "--norm", defaultValue = "l2", description = "structured: rank neurons by l1 or l2 norm (default: ${DEFAULT-VALUE})")
    String norm;

    @Option(names = "--layers", split = ",", description = "structured: layers to prune, e.g. fc1,fc2 (default: every prunable one)")
    java.util.List<String> layers;

    @Option(names = "--timing-examples", defaultValue = "1000", description = "structured: examples of the measured CPU inference "
            + "comparison, 0 to skip (default: ${DEFAULT-VALUE})")
    int timingExamples;

    @Option(names = "--n", defaultValue = "2", description = "N of N:M (default: ${DEFAULT-VALUE})")
    int n;

    @Option(names = "--m", defaultValue = "4", description = "M of N:M (default: ${DEFAULT-VALUE})")
    int m;

    @Option(names = "--dense", split = ",", description = "parameters kept dense, e.g. conv1.weight (an N:M or transposable 2:4 "
            + "pattern cannot take a layer with one input channel or a 10-way head)")
    java.util.List<String> dense;

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
        if (granularity.equalsIgnoreCase("structured")) return structured(w);
        String sc = scope == null ? "global" : scope;
        PruneSpec ps = new PruneSpec(enumOf(PruneSpec.Criterion.class, criterion, "--criterion"), enumOf(PruneSpec.Scope.class, sc, "--scope"),
                granularity(), allocation(), n, m, dense == null ? Set.of() : Set.copyOf(dense), Map.of(), Set.of());
        try (Backend b = backend == null ? Backends.createDefault() : Backends.create(backend);
             Model mdl = CompactedCheckpoint.build(b, checkpoint, model)) {
            Map<String, String> meta = io.sparseretrain.core.io.SafeTensors.read(checkpoint).metadata();
            new Pruner(ps).validate(mdl);  // names and N:M / 2:4 shapes, before anything is pruned or written
            PruneReport r = new Pruner(ps).prune(mdl, ps.isPatterned() ? 0.5 : sparsity, seed);
            java.util.Map<String, String> outMeta = new java.util.LinkedHashMap<>(meta);
            outMeta.remove("sparseretrain.crc32c");
            outMeta.remove(CompactedCheckpoint.SPEC_KEY);
            outMeta.put("pruned_from", checkpoint.toString());
            outMeta.put("pruning", ps.criterion() + " " + ps.scope() + " " + ps.granularity());
            if (meta.containsKey(CompactedCheckpoint.SPEC_KEY)) {
                requireOwnModelFile(out);
                CompactedCheckpoint.save(out, mdl, outMeta, List.of("Model file of " + out.getFileName() + " (pruned from " + checkpoint + ")"));
            } else {
                Checkpoint.save(out, mdl, null, outMeta);
            }
            w.printf("pruned %s: kept %,d of %,d prunable weights (sparsity %.4f, this prune removed %.2f%% of the live ones)%n",
                    checkpoint, r.keptAfter(), r.prunable(), r.sparsity(), 100 * r.fractionPruned());
            ModelSummary.print(w, mdl);
            w.println("saved " + out);
        }
        return 0;
    }

    /** Neurons/filters by norm, the model compacted, then checkpoint + model file written (model file first, each atomically). */
    private Integer structured(PrintWriter w) throws Exception {
        if (!criterion.equalsIgnoreCase("magnitude")) {
            throw new IllegalArgumentException("--criterion '" + criterion + "' with --granularity structured is not implemented: structured "
                    + "pruning ranks neurons by the norm of their weights (--norm l1|l2)");
        }
        if (!allocation.equalsIgnoreCase("uniform")) {
            throw new IllegalArgumentException("--allocation '" + allocation + "' does not apply to --granularity structured (it removes the "
                    + "same fraction of neurons from every layer it prunes; choose layers with --layers)");
        }
        if (!(sparsity >= 0 && sparsity < 1)) throw new IllegalArgumentException("--sparsity " + sparsity + " is not in [0, 1)");
        if (timingExamples < 0) throw new IllegalArgumentException("--timing-examples " + timingExamples + " is negative");
        StructuredSpec ss = new StructuredSpec(sparsity, enumOf(StructuredSpec.Norm.class, norm, "--norm"),
                enumOf(StructuredSpec.Scope.class, scope == null ? "layerwise" : scope, "--scope"),
                layers == null ? Set.of() : new java.util.HashSet<>(layers), Map.of());
        requireOwnModelFile(out);
        try (Backend b = backend == null ? Backends.createDefault() : Backends.create(backend);
             Model mdl = CompactedCheckpoint.build(b, checkpoint, model)) {
            Map<String, String> meta = io.sparseretrain.core.io.SafeTensors.read(checkpoint).metadata();
            InferenceTimer.Timing timing = timingExamples == 0 ? InferenceTimer.Timing.NONE
                    : new InferenceTimer.Timing(timingExamples, 256, 3, 11);
            try (StructuredResult r = StructuredPruner.compact(mdl, ss, timing)) {
                Map<String, String> outMeta = new java.util.LinkedHashMap<>(meta);
                outMeta.remove("sparseretrain.crc32c");
                outMeta.remove(CompactedCheckpoint.SPEC_KEY);
                outMeta.put("pruned_from", checkpoint.toString());
                outMeta.put("pruning", "structured " + ss.norm() + " " + ss.scope() + " sparsity " + sparsity
                        + (ss.layers().isEmpty() ? "" : " layers " + ss.layers()));
                Path specFile = CompactedCheckpoint.save(out, r.model(), outMeta, List.of("Model file of " + out.getFileName()
                        + ": " + mdl.name() + " structurally pruned from " + checkpoint + " (" + ss.norm() + " norm, sparsity " + sparsity + ")"));
                w.print(r.report().format());
                ModelSummary.print(w, r.model());
                w.println("saved " + out + " and its model file " + specFile);
            }
        }
        return 0;
    }

    /** The model file written beside --out must not be the input's model file. */
    private void requireOwnModelFile(Path o) throws java.io.IOException {
        Path specOut = CompactedCheckpoint.specPath(o);
        for (Path p : new Path[] {model, Files.exists(checkpoint) ? CompactedCheckpoint.specOf(checkpoint) : null}) {
            if (p != null && Files.exists(p) && Files.exists(specOut) && Files.isSameFile(p, specOut)) {
                throw new IllegalArgumentException("--out " + o + " would write its model file " + specOut + " over the input's model file; "
                        + "choose another --out");
            }
        }
    }

    private PruneSpec.Granularity granularity() {
        return switch (granularity.toLowerCase(Locale.ROOT)) {
            case "unstructured" -> PruneSpec.Granularity.UNSTRUCTURED;
            case "nm" -> PruneSpec.Granularity.NM;
            case "transposable24" -> PruneSpec.Granularity.TRANSPOSABLE_24;
            default -> throw new IllegalArgumentException("--granularity '" + granularity + "' is not one of [unstructured, nm, transposable24, structured]");
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
