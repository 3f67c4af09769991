package io.sparseretrain.core.prune.structured;

/**
 * What structured pruning removes: a fraction {@code sparsity} of the output neurons (Linear rows of
 * W[out, in]) or filters (Conv2d W[Cout, Cin, k, k]) of every prunable layer but the classifier,
 * ranked by the L1 or L2 norm of their weights.
 *
 * @param scope LAYERWISE keeps exactly round(out·(1−s)) (≥ 1) per layer; GLOBAL ranks all neurons
 *              together and is only valid when every ranked layer has the same fan-in
 */
public record StructuredSpec(double sparsity, Norm norm, Scope scope) {
    public enum Norm { L1, L2 }

    public enum Scope { LAYERWISE, GLOBAL }

    public StructuredSpec {
        if (!(sparsity >= 0 && sparsity < 1)) throw new IllegalArgumentException("structured sparsity " + sparsity + " is not in [0, 1)");
        if (norm == null || scope == null) throw new IllegalArgumentException("structured spec needs a norm and a scope");
    }

    public static StructuredSpec layerwise(double sparsity, Norm norm) {
        return new StructuredSpec(sparsity, norm, Scope.LAYERWISE);
    }

    /** Neurons a layer of {@code out} keeps under layer-wise scope: round(out·(1−s)), at least 1. */
    public int keepCount(int out) {
        return (int) Math.max(1, Math.min(out, Math.round(out * (1 - sparsity))));
    }
}
