package io.sparseretrain.core.prune.structured;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Norms of output neurons and the choice of which to keep. Ties rank the lower index first, so with
 * equal norms the lower index is kept; the kept indices are returned ascending (the order of the rows
 * in the compacted layer, so the surviving neurons keep their relative order).
 */
public final class NeuronRanking {
    private NeuronRanking() {}

    /** norm[o] = ‖W[o, :]‖ over the fanIn entries of row o of a row-major W[out, fanIn] (Conv: fanIn = Cin·k·k). */
    public static double[] rowNorms(float[] w, int out, int fanIn, StructuredSpec.Norm norm) {
        if ((long) out * fanIn != w.length) {
            throw new IllegalArgumentException("weight has " + w.length + " entries, expected out " + out + " × fan-in " + fanIn);
        }
        double[] n = new double[out];
        for (int o = 0; o < out; o++) {
            double s = 0;
            for (int i = o * fanIn, end = i + fanIn; i < end; i++) s += norm == StructuredSpec.Norm.L1 ? Math.abs(w[i]) : (double) w[i] * w[i];
            n[o] = norm == StructuredSpec.Norm.L1 ? s : Math.sqrt(s);
        }
        return n;
    }

    /** The {@code keep} highest-norm indices, ascending. */
    public static int[] keepTop(double[] norms, int keep) {
        if (keep < 1 || keep > norms.length) throw new IllegalArgumentException("keep " + keep + " of " + norms.length + " neurons");
        Integer[] order = new Integer[norms.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -norms[i]).thenComparingInt(i -> i));
        int[] kept = new int[keep];
        for (int i = 0; i < keep; i++) kept[i] = order[i];
        Arrays.sort(kept);
        return kept;
    }

    /**
     * Global ranking over layers (same fan-in, checked by the caller): keeps {@code goal} neurons in
     * all, each layer's best one reserved first so no layer is emptied, the rest by norm across layers
     * (ties: lower layer, then lower index).
     */
    public static int[][] keepTopGlobal(List<double[]> norms, long goal) {
        int layers = norms.size();
        goal = Math.max(goal, layers);
        List<long[]> rest = new ArrayList<>();  // {layer, index}
        boolean[][] kept = new boolean[layers][];
        for (int l = 0; l < layers; l++) {
            double[] n = norms.get(l);
            kept[l] = new boolean[n.length];
            kept[l][keepTop(n, 1)[0]] = true;
            for (int i = 0; i < n.length; i++) if (!kept[l][i]) rest.add(new long[] {l, i});
        }
        rest.sort(Comparator.<long[]>comparingDouble(e -> -norms.get((int) e[0])[(int) e[1]])
                .thenComparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
        for (int j = 0; j < goal - layers; j++) kept[(int) rest.get(j)[0]][(int) rest.get(j)[1]] = true;
        int[][] out = new int[layers][];
        for (int l = 0; l < layers; l++) {
            boolean[] k = kept[l];
            out[l] = java.util.stream.IntStream.range(0, k.length).filter(i -> k[i]).toArray();
        }
        return out;
    }
}
