package io.sparseretrain.core.prune;

import java.util.Map;
import java.util.Set;

/**
 * How to prune: criterion × scope × granularity, the layer-wise allocation, and per-layer overrides.
 *
 * @param dense       parameter names kept dense (e.g. "fc1.weight")
 * @param caps        maximal sparsity per parameter name (e.g. the classifier at 0.8)
 * @param prunable    parameter names to prune; empty = every Linear and Conv weight
 * @param n           N of N:M
 * @param m           M of N:M
 */
public record PruneSpec(Criterion criterion, Scope scope, Granularity granularity, Allocation allocation, int n, int m,
                        Set<String> dense, Map<String, Double> caps, Set<String> prunable) {
    public enum Criterion { MAGNITUDE, RANDOM }

    public enum Scope { GLOBAL, LAYERWISE }

    /**
     * STRUCTURED removes whole neurons/filters and compacts the model
     * ({@link io.sparseretrain.core.prune.structured.StructuredPruner}); masks cannot express it, so
     * {@link Pruner} refuses it.
     */
    public enum Granularity { UNSTRUCTURED, NM, TRANSPOSABLE_24, STRUCTURED }

    /** Layer-wise sparsity allocation (unstructured, layer-wise scope). */
    public enum Allocation {
        /** Every layer at the target sparsity. */
        UNIFORM,
        /** First layer dense, last layer capped at 80 %, the rest uniform at the sparsity that meets the target. */
        UNIFORM_PLUS,
        /** Erdős–Rényi-Kernel (Evci et al.): density ∝ (Σ dims)/(Π dims), scaled to meet the target. */
        ERK
    }

    public PruneSpec {
        dense = Set.copyOf(dense);
        caps = Map.copyOf(caps);
        prunable = Set.copyOf(prunable);
        if (granularity == Granularity.NM && !(n > 0 && n < m && m <= 16)) {
            throw new IllegalArgumentException("N:M = " + n + ":" + m + " is not supported (need 0 < N < M <= 16)");
        }
        for (Map.Entry<String, Double> e : caps.entrySet()) {
            if (!(e.getValue() >= 0 && e.getValue() < 1)) {
                throw new IllegalArgumentException("sparsity cap " + e.getValue() + " of '" + e.getKey() + "' is not in [0, 1)");
            }
        }
    }

    public static PruneSpec globalMagnitude() {
        return new PruneSpec(Criterion.MAGNITUDE, Scope.GLOBAL, Granularity.UNSTRUCTURED, Allocation.UNIFORM, 2, 4, Set.of(), Map.of(), Set.of());
    }

    public static PruneSpec nm(int n, int m) {
        return new PruneSpec(Criterion.MAGNITUDE, Scope.LAYERWISE, Granularity.NM, Allocation.UNIFORM, n, m, Set.of(), Map.of(), Set.of());
    }

    /** Transposable 2:4 masks on every prunable weight except those named in {@code dense}. */
    public static PruneSpec transposable24(Set<String> dense) {
        return new PruneSpec(Criterion.MAGNITUDE, Scope.LAYERWISE, Granularity.TRANSPOSABLE_24, Allocation.UNIFORM, 2, 4, dense, Map.of(),
                Set.of());
    }

    /** N:M and transposable 2:4 fix the sparsity by the pattern: one prune, no cycles. */
    public boolean isPatterned() {
        return granularity == Granularity.NM || granularity == Granularity.TRANSPOSABLE_24;
    }
}
