package io.sparseretrain.testkit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Plain-Java brute-force references for the ops of sparseretrain.h, written for clarity, not speed:
 * sorting instead of radix select, enumeration instead of search. Arrays are row-major; weight
 * tensors are viewed as [outer, K, inner] (element (o, k, i) at (o*K + k)*inner + i).
 */
public final class Reference {
    private Reference() {}

    // ------------------------------------------------------------------ bf16

    /** bf16 bits of a float, round to nearest even; NaN stays NaN (quiet bit set). */
    public static short toBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) return (short) ((bits >>> 16) | 0x40);
        int rounding = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    public static float fromBf16(short b) {
        return Float.intBitsToFloat((b & 0xFFFF) << 16);
    }

    // ------------------------------------------------------------------ top-k selection

    /** Selection key of |w|: its float bits (-0.0 → +0.0), so larger magnitude ⇔ larger key. */
    public static int magnitudeKey(float w) {
        return Float.floatToIntBits(Math.abs(w));
    }

    private record Entry(int tensor, int index, int key) {}

    /**
     * Global top-k over live entries by key (larger first; ties: lower tensor, then lower index).
     * Returns new masks; entries already pruned stay pruned. keys[t][i] are unsigned-compared.
     */
    public static byte[][] topkGlobal(int[][] keys, byte[][] masks, long keep) {
        List<Entry> live = new ArrayList<>();
        for (int t = 0; t < keys.length; t++)
            for (int i = 0; i < keys[t].length; i++)
                if (masks[t][i] != 0) live.add(new Entry(t, i, keys[t][i]));
        if (keep < 0 || keep > live.size()) throw new IllegalArgumentException("keep " + keep + " of " + live.size());
        live.sort(Comparator.comparingInt((Entry e) -> e.key).reversed().thenComparingInt(e -> e.tensor)
                .thenComparingInt(e -> e.index));
        // Magnitude keys are non-negative floats' bits, so signed int order equals unsigned order.
        byte[][] out = new byte[masks.length][];
        for (int t = 0; t < masks.length; t++) out[t] = new byte[masks[t].length];
        for (int j = 0; j < keep; j++) out[live.get(j).tensor][live.get(j).index] = 1;
        return out;
    }

    /** Magnitude keys of float weights. */
    public static int[][] magnitudeKeys(float[][] w) {
        int[][] k = new int[w.length][];
        for (int t = 0; t < w.length; t++) {
            k[t] = new int[w[t].length];
            for (int i = 0; i < w[t].length; i++) k[t][i] = magnitudeKey(w[t][i]);
        }
        return k;
    }

    /** Global magnitude pruning; the threshold is the |w| of the last kept entry (0 for keep = 0). */
    public static byte[][] pruneMagnitudeGlobal(float[][] w, byte[][] masks, long keep) {
        return topkGlobal(magnitudeKeys(w), masks, keep);
    }

    public static byte[][] pruneMagnitudeLayerwise(float[][] w, byte[][] masks, long[] keep) {
        byte[][] out = new byte[w.length][];
        for (int t = 0; t < w.length; t++) {
            out[t] = pruneMagnitudeGlobal(new float[][] {w[t]}, new byte[][] {masks[t]}, keep[t])[0];
        }
        return out;
    }

    /** The smallest kept |w| (threshold of a global magnitude selection). */
    public static float keptMinimum(float[][] w, byte[][] kept) {
        float min = Float.POSITIVE_INFINITY;
        for (int t = 0; t < w.length; t++)
            for (int i = 0; i < w[t].length; i++) if (kept[t][i] != 0) min = Math.min(min, Math.abs(w[t][i]));
        return min;
    }

    // ------------------------------------------------------------------ N:M

    /** N:M along K: each group of M keeps its N live entries of largest |w| (ties: lower k). */
    public static byte[] maskNM(float[] w, byte[] mask, int outer, int k, int inner, int n, int m) {
        byte[] out = new byte[mask.length];
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
                for (int g = 0; g < k; g += m) {
                    List<Integer> live = new ArrayList<>();
                    for (int j = g; j < g + m; j++) if (mask[at(o, j, i, k, inner)] != 0) live.add(j);
                    final int oo = o, ii = i;
                    live.sort(Comparator.comparingDouble((Integer j) -> -Math.abs(w[at(oo, j, ii, k, inner)]))
                            .thenComparingInt(j -> j));
                    for (int r = 0; r < Math.min(n, live.size()); r++) out[at(o, live.get(r), i, k, inner)] = 1;
                }
        return out;
    }

    /** Groups of M along K holding more than N nonzero entries. */
    public static long countNMViolations(float[] x, int outer, int k, int inner, int n, int m) {
        long v = 0;
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
                for (int g = 0; g < k; g += m) {
                    int nz = 0;
                    for (int j = g; j < g + m; j++) if (x[at(o, j, i, k, inner)] != 0f) nz++;
                    if (nz > n) v++;
                }
        return v;
    }

    /** The 90 transposable 2:4 block masks in ascending numeric order (bit r*4+c = row r, column c). */
    public static int[] transposablePatterns() {
        int[] p = new int[90];
        int count = 0;
        for (int bits = 0; bits < 1 << 16; bits++) {
            boolean ok = true;
            for (int r = 0; r < 4 && ok; r++) ok = Integer.bitCount((bits >> (4 * r)) & 0xF) == 2;
            for (int c = 0; c < 4 && ok; c++) {
                int col = 0;
                for (int r = 0; r < 4; r++) col += (bits >> (4 * r + c)) & 1;
                ok = col == 2;
            }
            if (ok) p[count++] = bits;
        }
        if (count != 90) throw new AssertionError("expected 90 transposable patterns, found " + count);
        return p;
    }

    /**
     * Transposable 2:4: per 4x4 block (4 outer rows x 4 k at fixed inner) the pattern of largest
     * float sum of live |w| (summed in ascending bit order), lowest index on ties; output = pattern AND mask.
     */
    public static byte[] maskTransposable24(float[] w, byte[] mask, int outer, int k, int inner) {
        int[] patterns = transposablePatterns();
        byte[] out = new byte[mask.length];
        for (int o = 0; o < outer; o += 4)
            for (int g = 0; g < k; g += 4)
                for (int i = 0; i < inner; i++) {
                    float[] a = new float[16];
                    for (int b = 0; b < 16; b++) {
                        int idx = at(o + b / 4, g + b % 4, i, k, inner);
                        a[b] = mask[idx] != 0 ? Math.abs(w[idx]) : 0f;
                    }
                    int best = 0;
                    float bestScore = -1f;
                    for (int p = 0; p < 90; p++) {
                        float s = 0f;
                        for (int b = 0; b < 16; b++) s += ((patterns[p] >> b) & 1) != 0 ? a[b] : 0f;
                        if (s > bestScore) {
                            bestScore = s;
                            best = p;
                        }
                    }
                    for (int b = 0; b < 16; b++) {
                        int idx = at(o + b / 4, g + b % 4, i, k, inner);
                        if (((patterns[best] >> b) & 1) != 0 && mask[idx] != 0) out[idx] = 1;
                    }
                }
        return out;
    }

    // ------------------------------------------------------------------ 2:4 portable layout

    /** values [outer, K/2, inner] and meta [outer, K/4, inner] of sr_compress_24 (floats; bf16 widened). */
    public record Compressed(float[] values, byte[] meta) {}

    public static Compressed compress24(float[] w, byte[] mask, int outer, int k, int inner) {
        float[] values = new float[outer * (k / 2) * inner];
        byte[] meta = new byte[outer * (k / 4) * inner];
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
                for (int g = 0; g < k / 4; g++) {
                    int[] idx = new int[2];
                    int found = 0;
                    for (int j = 0; j < 4; j++) if (mask[at(o, 4 * g + j, i, k, inner)] != 0) {
                        if (found == 2) throw new IllegalArgumentException("more than 2 kept in group " + g);
                        idx[found++] = j;
                    }
                    // Fewer than 2 kept: fill with the lowest unused indices (their value is 0).
                    for (int j = 0; found < 2 && j < 4; j++) {
                        if (found == 1 && idx[0] == j) continue;
                        idx[found++] = j;
                    }
                    java.util.Arrays.sort(idx);
                    for (int s = 0; s < 2; s++) {
                        int src = at(o, 4 * g + idx[s], i, k, inner);
                        values[at(o, 2 * g + s, i, k / 2, inner)] = mask[src] != 0 ? w[src] : 0f;
                    }
                    meta[at(o, g, i, k / 4, inner)] = (byte) (idx[0] | idx[1] << 2);
                }
        return new Compressed(values, meta);
    }

    public static float[] decompress24(Compressed c, int outer, int k, int inner) {
        float[] w = new float[outer * k * inner];
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
                for (int g = 0; g < k / 4; g++) {
                    int meta = c.meta()[at(o, g, i, k / 4, inner)];
                    w[at(o, 4 * g + (meta & 3), i, k, inner)] = c.values()[at(o, 2 * g, i, k / 2, inner)];
                    w[at(o, 4 * g + ((meta >> 2) & 3), i, k, inner)] = c.values()[at(o, 2 * g + 1, i, k / 2, inner)];
                }
        return w;
    }

    // ------------------------------------------------------------------ dense

    /** C = alpha·op(A)·op(B) + beta·C, row-major, accumulated in double. */
    public static float[] gemm(boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, float[] b,
                               float beta, float[] c) {
        float[] out = c.clone();
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    float av = ta ? a[p * m + i] : a[i * k + p];
                    float bv = tb ? b[j * k + p] : b[p * n + j];
                    s += (double) av * bv;
                }
                out[i * n + j] = (float) (alpha * s + beta * (double) c[i * n + j]);
            }
        return out;
    }

    static int at(int o, int k, int i, int kDim, int inner) {
        return (o * kDim + k) * inner + i;
    }
}
