package io.sparseretrain.core.prune;

/** One parameter after a prune: its size, kept entries and sparsity. */
public record LayerStat(String name, long size, long kept) {
    public double sparsity() {
        return size == 0 ? 0 : 1.0 - (double) kept / size;
    }
}
