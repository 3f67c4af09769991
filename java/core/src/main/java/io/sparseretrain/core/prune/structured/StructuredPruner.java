package io.sparseretrain.core.prune.structured;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.nn.Conv2d;
import io.sparseretrain.core.nn.Layer;
import io.sparseretrain.core.nn.Linear;
import io.sparseretrain.core.nn.Model;
import io.sparseretrain.core.nn.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Structured pruning that compacts physically: ranks the output neurons/filters of every prunable
 * Linear and Conv2d ({@link ModelSurgery#prunableLayers}: not the classifier, whose outputs are the
 * classes; inside residual blocks conv1), or of the spec's {@code layers}, keeps the chosen number, and
 * returns a new, smaller model ({@link ModelSurgery}) with a report that puts the measured CPU
 * speedup beside the theoretical one. The original model is left untouched. Separate from
 * {@link io.sparseretrain.core.prune.Pruner}: masks keep shapes, this changes them.
 */
public final class StructuredPruner {
    private StructuredPruner() {}

    /** Layer-wise scope, default timing (1000 examples, batch 256, median of 11 after 3 warm-up). */
    public static StructuredResult compact(Model model, double sparsity, StructuredSpec.Norm norm) {
        return compact(model, StructuredSpec.layerwise(sparsity, norm), InferenceTimer.Timing.DEFAULT);
    }

    public static StructuredResult compact(Model model, StructuredSpec spec, InferenceTimer.Timing timing) {
        Map<String, int[]> kept = select(model, spec);
        Model small = ModelSurgery.compact(model, kept);
        try {
            List<StructuredReport.LayerWidth> widths = new ArrayList<>();
            for (Layer l : ModelSurgery.weightLayers(model)) {
                int total = l.outputShape().channels();
                int[] k = kept.get(l.name());
                widths.add(new StructuredReport.LayerWidth(l.name(), k == null ? total : k.length, total));
            }
            double msBefore = Double.NaN, msAfter = Double.NaN;
            if (timing.enabled()) {
                InferenceTimer.Medians m = InferenceTimer.compare(model, small, timing, 0x5eedL);
                msBefore = m.a();
                msAfter = m.b();
            }
            StructuredReport report = new StructuredReport(spec, widths, model.parameterCount(), small.parameterCount(),
                    model.denseMultiplyAdds(), small.denseMultiplyAdds(), timing, msBefore, msAfter);
            return new StructuredResult(small, kept, report);
        } catch (RuntimeException e) {
            small.close();
            throw e;
        }
    }

    /** Kept output indices (ascending) per pruned layer name, in model order; the classifier is absent. */
    public static Map<String, int[]> select(Model model, StructuredSpec spec) {
        List<Layer> layers = rankable(model, spec);
        Backend b = model.backend();
        List<double[]> norms = new ArrayList<>();
        for (Layer l : layers) {
            Parameter w = weight(l);
            int out = l.outputShape().channels();
            norms.add(NeuronRanking.rowNorms(b.copyToHostFloats(w.value()), out, fanIn(l), spec.norm()));
        }
        Map<String, int[]> kept = new LinkedHashMap<>();
        if (spec.scope() == StructuredSpec.Scope.GLOBAL) {
            long total = 0;
            for (double[] n : norms) total += n.length;
            int[][] k = NeuronRanking.keepTopGlobal(norms, Math.round(total * (1 - spec.sparsity())));
            for (int i = 0; i < layers.size(); i++) kept.put(layers.get(i).name(), k[i]);
        } else {
            for (int i = 0; i < layers.size(); i++) {
                double[] n = norms.get(i);
                kept.put(layers.get(i).name(), NeuronRanking.keepTop(n, StructuredSpec.keepCount(n.length, spec.sparsityOf(layers.get(i).name()))));
            }
        }
        return kept;
    }

    /**
     * The layers {@code spec} ranks, in model order: its {@code layers}, else every prunable one.
     * Checks, before anything is computed, that every named layer (in {@code layers} and
     * {@code fractions}) is prunable and that global scope ranks layers of one fan-in; errors name the
     * layer and list the prunable ones.
     */
    public static List<Layer> rankable(Model model, StructuredSpec spec) {
        List<Layer> all = ModelSurgery.prunableLayers(model);
        if (all.isEmpty()) {
            throw new IllegalArgumentException("model '" + model.name() + "' has no layer structured pruning can narrow (only its classifier, "
                    + "or layers whose width a residual add ties)");
        }
        List<String> names = all.stream().map(Layer::name).toList();
        for (String n : spec.layers()) requirePrunable(model, n, names, "layers");
        for (String n : spec.fractions().keySet()) {
            requirePrunable(model, n, names, "fractions");
            if (!spec.layers().isEmpty() && !spec.layers().contains(n)) {
                throw new IllegalArgumentException("fractions name layer '" + n + "', which is not among the layers to prune " + spec.layers());
            }
        }
        List<Layer> ls = all.stream().filter(l -> spec.layers().isEmpty() || spec.layers().contains(l.name())).toList();
        if (spec.scope() == StructuredSpec.Scope.GLOBAL) requireEqualFanIn(model, ls);
        return ls;
    }

    private static void requirePrunable(Model model, String name, List<String> names, String field) {
        if (!names.contains(name)) {
            throw new IllegalArgumentException(field + ": model '" + model.name() + "' has no structurally prunable layer '" + name + "' (prunable: "
                    + names + "; the classifier, layers feeding a residual block and a block's conv2/shortcut keep their width)");
        }
    }

    /**
     * Neuron norms sum over the fan-in, so they grow with it (an L2 row norm of i.i.d. weights ∝ √fan-in):
     * a global ranking across different fan-ins would prune the narrow-input layers by their shape,
     * not by their weights. Refused with the layers and fan-ins that differ.
     */
    private static void requireEqualFanIn(Model model, List<Layer> layers) {
        for (Layer l : layers) {
            if (fanIn(l) != fanIn(layers.get(0))) {
                throw new IllegalArgumentException("model '" + model.name() + "': global structured pruning across layers of different fan-in is invalid ('"
                        + layers.get(0).name() + "' has fan-in " + fanIn(layers.get(0)) + ", '" + l.name() + "' has " + fanIn(l)
                        + "): neuron norms grow with fan-in, so one global threshold ranks layers by shape, not by weight; use layer-wise scope");
            }
        }
    }

    private static Parameter weight(Layer l) {
        return l instanceof Linear lin ? lin.weight() : ((Conv2d) l).weight();
    }

    /** Entries per output neuron: in features (Linear), Cin·k·k (Conv). */
    static int fanIn(Layer l) {
        Parameter w = weight(l);
        return (int) (w.numel() / l.outputShape().channels());
    }
}
