package io.sparseretrain.core.prune.structured;

/**
 * Source indices of the kept slice of a row-major tensor [d0, d1, inner…]: dimension 0 restricted
 * to {@code keep0}, dimension 1 to {@code keep1} (null keeps all), the inner block copied whole.
 * Linear W[out, in], Conv W[Cout, Cin, k, k], and 1-D [c] vectors (bias, BN) all fit this form.
 */
final class Gather {
    private Gather() {}

    static int[] indices(long[] shape, int[] keep0, int[] keep1) {
        int d0 = (int) shape[0];
        int d1 = shape.length > 1 ? (int) shape[1] : 1;
        if (shape.length == 1 && keep1 != null) throw new IllegalArgumentException("a 1-D tensor has no dimension 1 to slice");
        long inner = 1;
        for (int i = 2; i < shape.length; i++) inner *= shape[i];
        int[] r0 = keep0 != null ? keep0 : iota(d0);
        int[] r1 = keep1 != null ? keep1 : iota(d1);
        long n = (long) r0.length * r1.length * inner;
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("slice of " + n + " entries is too large for a host copy");
        int[] idx = new int[(int) n];
        int j = 0;
        for (int a : r0) {
            if (a < 0 || a >= d0) throw new IllegalArgumentException("index " + a + " outside dimension 0 of size " + d0);
            for (int c : r1) {
                if (c < 0 || c >= d1) throw new IllegalArgumentException("index " + c + " outside dimension 1 of size " + d1);
                long base = ((long) a * d1 + c) * inner;
                for (long e = 0; e < inner; e++) idx[j++] = (int) (base + e);
            }
        }
        return idx;
    }

    static float[] floats(float[] src, int[] idx) {
        float[] out = new float[idx.length];
        for (int i = 0; i < idx.length; i++) out[i] = src[idx[i]];
        return out;
    }

    static byte[] bytes(byte[] src, int[] idx) {
        byte[] out = new byte[idx.length];
        for (int i = 0; i < idx.length; i++) out[i] = src[idx[i]];
        return out;
    }

    static int[] iota(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = i;
        return r;
    }
}
