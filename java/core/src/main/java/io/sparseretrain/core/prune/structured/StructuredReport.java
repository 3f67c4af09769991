package io.sparseretrain.core.prune.structured;

import java.util.List;
import java.util.Locale;

/**
 * What structured pruning did: per-layer widths, parameters and dense multiply-adds per example
 * before/after, the theoretical speedup (MACs before / after) and, beside it, the measured CPU
 * eval-forward speedup of the compacted model (NaN when not measured).
 */
public record StructuredReport(StructuredSpec spec, List<LayerWidth> layers, long paramsBefore, long paramsAfter, long macsBefore,
                               long macsAfter, InferenceTimer.Timing timing, double msBefore, double msAfter) {
    /** One Linear/Conv layer (residual blocks' inner ones too): output neurons (filters) kept of total; layers not pruned keep all. */
    public record LayerWidth(String name, int kept, int total) {}

    public StructuredReport {
        layers = List.copyOf(layers);
    }

    public double theoreticalSpeedup() {
        return macsAfter == 0 ? Double.NaN : (double) macsBefore / macsAfter;
    }

    public double measuredSpeedup() {
        return msAfter > 0 ? msBefore / msAfter : Double.NaN;
    }

    /** A plain-text table for logs and the CLI. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "structured pruning: sparsity %.3f, %s norm, %s scope%s%s%n", spec.sparsity(), spec.norm(),
                spec.scope().name().toLowerCase(Locale.ROOT), spec.layers().isEmpty() ? "" : ", layers " + spec.layers(),
                spec.fractions().isEmpty() ? "" : ", fractions " + spec.fractions()));
        sb.append(String.format(Locale.ROOT, "%-16s %8s %8s%n", "layer", "kept", "total"));
        for (LayerWidth w : layers) sb.append(String.format(Locale.ROOT, "%-16s %8d %8d%n", w.name(), w.kept(), w.total()));
        sb.append(String.format(Locale.ROOT, "parameters      %,d → %,d%n", paramsBefore, paramsAfter));
        sb.append(String.format(Locale.ROOT, "MACs/example    %,d → %,d  (theoretical speedup %.2fx)%n", macsBefore, macsAfter, theoreticalSpeedup()));
        if (timing.enabled()) {
            sb.append(String.format(Locale.ROOT,
                    "measured CPU eval forward: %.2f ms → %.2f ms  (speedup %.2fx; %d examples, batch %d, median of %d after %d warm-up)%n",
                    msBefore, msAfter, measuredSpeedup(), timing.examples(), timing.batch(), timing.runs(), timing.warmup()));
        } else {
            sb.append("measured CPU eval forward: not measured\n");
        }
        return sb.toString();
    }
}
