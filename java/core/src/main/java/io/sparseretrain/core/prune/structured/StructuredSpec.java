package io.sparseretrain.core.prune.structured;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What structured pruning removes: a fraction {@code sparsity} of the output neurons (Linear rows of
 * W[out, in]) or filters (Conv2d W[Cout, Cin, k, k]) of every prunable layer but the classifier,
 * ranked by the L1 or L2 norm of their weights.
 *
 * @param scope     LAYERWISE keeps exactly round(out·(1−s)) (≥ 1) per layer; GLOBAL ranks all neurons
 *                  together and is only valid when every ranked layer has the same fan-in
 * @param layers    names of the Linear/Conv layers to prune (inside a residual block: "layer1.0.conv1");
 *                  empty = every prunable one
 * @param fractions per-layer sparsity replacing {@code sparsity} for that layer (layer-wise scope only)
 */
public record StructuredSpec(double sparsity, Norm norm, Scope scope, Set<String> layers, Map<String, Double> fractions) {
    public enum Norm { L1, L2 }

    public enum Scope { LAYERWISE, GLOBAL }

    public StructuredSpec {
        if (!(sparsity >= 0 && sparsity < 1)) throw new IllegalArgumentException("structured sparsity " + sparsity + " is not in [0, 1)");
        if (norm == null || scope == null) throw new IllegalArgumentException("structured spec needs a norm and a scope");
        layers = java.util.Collections.unmodifiableSet(new TreeSet<>(layers));
        fractions = java.util.Collections.unmodifiableMap(new TreeMap<>(fractions));
        for (Map.Entry<String, Double> e : fractions.entrySet()) {
            if (!(e.getValue() >= 0 && e.getValue() < 1)) {
                throw new IllegalArgumentException("structured fraction " + e.getValue() + " of layer '" + e.getKey() + "' is not in [0, 1)");
            }
        }
        if (scope == Scope.GLOBAL && !fractions.isEmpty()) {
            throw new IllegalArgumentException("per-layer fractions " + fractions + " need layer-wise scope: global scope ranks all layers "
                    + "together against one target");
        }
    }

    public StructuredSpec(double sparsity, Norm norm, Scope scope) {
        this(sparsity, norm, scope, Set.of(), Map.of());
    }

    public static StructuredSpec layerwise(double sparsity, Norm norm) {
        return new StructuredSpec(sparsity, norm, Scope.LAYERWISE);
    }

    public StructuredSpec withSparsity(double s) {
        return new StructuredSpec(s, norm, scope, layers, fractions);
    }

    /** The same spec with every target s (global and per-layer) mapped to 1 − (1 − s)^exponent: cycle c of J uses c/J. */
    public StructuredSpec atFraction(double exponent) {
        Map<String, Double> f = new LinkedHashMap<>();
        fractions.forEach((k, v) -> f.put(k, 1 - Math.pow(1 - v, exponent)));
        return new StructuredSpec(1 - Math.pow(1 - sparsity, exponent), norm, scope, layers, f);
    }

    /** The sparsity of layer {@code name}: its own fraction, else the spec's. */
    public double sparsityOf(String name) {
        return fractions.getOrDefault(name, sparsity);
    }

    /** Neurons a layer of {@code out} keeps under layer-wise scope: round(out·(1−s)), at least 1. */
    public int keepCount(int out) {
        return keepCount(out, sparsity);
    }

    /** round(out·(1−s)), at least 1 and at most out. */
    public static int keepCount(int out, double s) {
        return (int) Math.max(1, Math.min(out, Math.round(out * (1 - s))));
    }
}
