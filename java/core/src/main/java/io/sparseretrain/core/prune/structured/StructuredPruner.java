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
 * Structured pruning that compacts physically: ranks the output neurons/filters of every Linear and
 * Conv2d but the last (the classifier: its outputs are the classes), keeps the chosen number, and
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
            for (Layer l : rankable(model, true)) {
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
        ModelSurgery.requireSupported(model);
        List<Layer> layers = rankable(model, false);
        Backend b = model.backend();
        List<double[]> norms = new ArrayList<>();
        for (Layer l : layers) {
            Parameter w = weight(l);
            int out = l.outputShape().channels();
            norms.add(NeuronRanking.rowNorms(b.copyToHostFloats(w.value()), out, fanIn(l), spec.norm()));
        }
        Map<String, int[]> kept = new LinkedHashMap<>();
        if (spec.scope() == StructuredSpec.Scope.GLOBAL) {
            requireEqualFanIn(model, layers);
            long total = 0;
            for (double[] n : norms) total += n.length;
            int[][] k = NeuronRanking.keepTopGlobal(norms, Math.round(total * (1 - spec.sparsity())));
            for (int i = 0; i < layers.size(); i++) kept.put(layers.get(i).name(), k[i]);
        } else {
            for (int i = 0; i < layers.size(); i++) {
                double[] n = norms.get(i);
                kept.put(layers.get(i).name(), NeuronRanking.keepTop(n, spec.keepCount(n.length)));
            }
        }
        return kept;
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

    /** Top-level Linear and Conv2d layers in model order, the last one (classifier) only if asked. */
    static List<Layer> rankable(Model model, boolean withClassifier) {
        List<Layer> ls = new ArrayList<>();
        for (Layer l : model.layers()) if (l instanceof Linear || l instanceof Conv2d) ls.add(l);
        if (ls.isEmpty()) throw new IllegalArgumentException("model '" + model.name() + "' has no Linear or Conv2d layer");
        if (!withClassifier) ls.remove(ls.size() - 1);
        if (!withClassifier && ls.isEmpty()) {
            throw new IllegalArgumentException("model '" + model.name() + "' has only its classifier: nothing to prune structurally");
        }
        return ls;
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
