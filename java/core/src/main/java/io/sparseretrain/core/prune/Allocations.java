package io.sparseretrain.core.prune;

import java.util.Arrays;

/**
 * Per-layer keep counts for layer-wise unstructured pruning at an overall target sparsity.
 * UNIFORM keeps round(Nᵢ(1−s)) in every layer not overridden. UNIFORM_PLUS and ERK solve for a
 * scale ε with densities dᵢ = min(1, max(1 − capᵢ, ε·rawᵢ)) (rawᵢ = 1 for uniform+, (Σ dims)/(Π dims)
 * for ERK; dense overrides fixed at 1) so that the kept total is round(N(1−s)), then fix the rounding
 * residue on the largest free layer, so the total is exact.
 */
public final class Allocations {
    private Allocations() {}

    /**
     * @param shapes     shapes of the prunable parameters, in order
     * @param fixedDense true where the layer stays dense (overrides, uniform+'s first layer)
     * @param caps       maximal sparsity per layer (1 = none)
     */
    public static long[] keepCounts(PruneSpec.Allocation allocation, long[][] shapes, boolean[] fixedDense, double[] caps,
                                    double target) {
        int L = shapes.length;
        long[] size = new long[L];
        long total = 0;
        for (int i = 0; i < L; i++) {
            size[i] = Arrays.stream(shapes[i]).reduce(1, (a, b) -> a * b);
            total += size[i];
        }
        long[] keep = new long[L];
        if (allocation == PruneSpec.Allocation.UNIFORM) {
            for (int i = 0; i < L; i++) {
                double s = fixedDense[i] ? 0 : Math.min(target, caps[i]);
                keep[i] = Math.round(size[i] * (1 - s));
            }
            return keep;
        }
        double[] raw = new double[L];
        for (int i = 0; i < L; i++) {
            if (allocation == PruneSpec.Allocation.ERK) {
                double sum = 0, prod = 1;
                for (long d : shapes[i]) {
                    sum += d;
                    prod *= d;
                }
                raw[i] = sum / prod;
            } else {
                raw[i] = 1;
            }
        }
        long goal = Math.round(total * (1 - target));
        double[] density = new double[L];
        boolean[] fixed = fixedDense.clone();
        for (int i = 0; i < L; i++) if (fixed[i]) density[i] = 1;
        // Fix layers that hit a bound (dense, or the cap's minimum density) and re-solve ε for the rest.
        for (int round = 0; round <= L; round++) {
            double fixedKeep = 0, freeRaw = 0;
            for (int i = 0; i < L; i++) {
                if (fixed[i]) fixedKeep += density[i] * size[i];
                else freeRaw += raw[i] * size[i];
            }
            double eps = freeRaw == 0 ? 0 : (goal - fixedKeep) / freeRaw;
            boolean changed = false;
            for (int i = 0; i < L; i++) {
                if (fixed[i]) continue;
                double d = eps * raw[i];
                double minDensity = 1 - caps[i];
                if (d >= 1) {
                    density[i] = 1;
                    fixed[i] = true;
                    changed = true;
                } else if (d < minDensity) {
                    density[i] = minDensity;
                    fixed[i] = true;
                    changed = true;
                } else {
                    density[i] = Math.max(0, d);
                }
            }
            if (!changed) break;
        }
        long sum = 0;
        int largestFree = -1;
        for (int i = 0; i < L; i++) {
            keep[i] = Math.min(size[i], Math.round(density[i] * size[i]));
            sum += keep[i];
            if (!fixed[i] && (largestFree < 0 || size[i] > size[largestFree])) largestFree = i;
        }
        if (largestFree >= 0) {
            keep[largestFree] = Math.max(0, Math.min(size[largestFree], keep[largestFree] + goal - sum));
        }
        return keep;
    }
}
