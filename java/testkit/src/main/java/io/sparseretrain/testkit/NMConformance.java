package io.sparseretrain.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparseretrain.core.DType;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.ops.Compressed24;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Conformance of N:M, transposable 2:4, N:M checks and the 2:4 layout (part of {@link BackendConformanceSuite}). */
public abstract class NMConformance extends PruningConformance {

    private void checkNM(int n, int m, long[] shape, int outer, int k, int inner, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int size = outer * k * inner;
        float[] w = smallInts(rnd, size, 4);
        byte[] mask = randomMask(rnd, size, 0.85);
        Tensor tw = floats("w", w, shape), tm = bytes("w.mask", mask, shape);
        backend().masks().maskNM(tw, tm, n, m);
        byte[] got = hostBytes(tm);
        String what = n + ":" + m + " on " + java.util.Arrays.toString(shape);
        assertMaskEquals(Reference.maskNM(w, mask, outer, k, inner, n, m), got, what);
        float[] masked = w.clone();
        for (int i = 0; i < size; i++) if (got[i] == 0) masked[i] = 0f;
        assertEquals(0, backend().masks().countNMViolations(floats("w.masked", masked, shape), n, m), what + ": violations after masking");
    }

    @Test
    void nmOnLinearLayout() {
        checkNM(2, 4, new long[] {12, 32}, 12, 32, 1, 20);
        checkNM(1, 4, new long[] {5, 16}, 5, 16, 1, 21);
        checkNM(2, 8, new long[] {6, 24}, 6, 24, 1, 22);
    }

    @Test
    void nmOnConvLayoutGroupsAlongCin() {
        checkNM(2, 4, new long[] {6, 8, 3, 3}, 6, 8, 9, 23);
        checkNM(2, 8, new long[] {4, 16, 2, 2}, 4, 16, 4, 24);
    }

    @Test
    void transposable24SatisfiesBothDirectionsAndMatchesReference() {
        SplittableRandom rnd = new SplittableRandom(25);
        int out = 8, k = 12;
        float[] w = randomFloats(rnd, out * k);
        byte[] mask = ones(out * k);
        mask[5] = 0; // a pruned entry is never revived
        Tensor tw = floats("t.weight", w, out, k), tm = bytes("t.mask", mask, out, k);
        backend().masks().maskTransposable24(tw, tm);
        byte[] got = hostBytes(tm);
        assertMaskEquals(Reference.maskTransposable24(w, mask, out, k, 1), got, "transposable 2:4");
        assertEquals(0, got[5], "transposable 2:4 revived a pruned entry");
        float[] masked = new float[out * k];
        float[] maskedT = new float[out * k];
        for (int r = 0; r < out; r++)
            for (int c = 0; c < k; c++) {
                masked[r * k + c] = got[r * k + c];
                maskedT[c * out + r] = got[r * k + c];
            }
        assertEquals(0, backend().masks().countNMViolations(floats("rows", masked, out, k), 2, 4), "2:4 along K");
        assertEquals(0, backend().masks().countNMViolations(floats("cols", maskedT, k, out), 2, 4), "2:4 along out (transpose)");
    }

    @Test
    void countNMViolationsCountsGroups() {
        // Row 0: groups {1,1,1,0} (violation) and {1,0,0,0}; row 1: {1,1,0,0} and {1,1,1,1} (violation).
        byte[] x = {1, 1, 1, 0, 1, 0, 0, 0, 1, 1, 0, 0, 1, 1, 1, 1};
        assertEquals(2, backend().masks().countNMViolations(bytes("x", x, 2, 8), 2, 4), "2:4 violations of a hand-made U8 tensor");
        SplittableRandom rnd = new SplittableRandom(26);
        float[] f = randomFloats(rnd, 6 * 16);
        for (int i = 0; i < f.length; i++) if (rnd.nextDouble() < 0.4) f[i] = 0f;
        assertEquals(Reference.countNMViolations(f, 6, 16, 1, 2, 4),
                backend().masks().countNMViolations(floats("f", f, 6, 16), 2, 4), "2:4 violations of random F32");
    }

    @Test
    void compress24LayoutOnHandComputedExample() {
        // One row, K = 8: group 0 keeps k = 1, 3; group 1 keeps only k = 6 (filled with index 0, value 0).
        float[] w = {9, 1.5f, 9, -2.5f, 9, 9, 4, 9};
        byte[] mask = {0, 1, 0, 1, 0, 0, 1, 0};
        try (Compressed24 c = backend().masks().compress24(floats("w", w, 1, 8), bytes("m", mask, 1, 8))) {
            assertArrayEquals(new float[] {1.5f, -2.5f, 0f, 4f}, host(c.values()), "2:4 values");
            assertArrayEquals(new byte[] {(byte) (1 | 3 << 2), (byte) (0 | 2 << 2)}, hostBytes(c.meta()), "2:4 meta");
        }
    }

    @Test
    void compressDecompressIsIdentityF32AndBf16() {
        SplittableRandom rnd = new SplittableRandom(27);
        int out = 6, k = 16, inner = 4;
        float[] w = randomFloats(rnd, out * k * inner);
        byte[] mask = Reference.maskNM(w, ones(w.length), out, k, inner, 2, 4);
        for (int i = 0; i < w.length; i++) if (mask[i] == 0) w[i] = 0f;
        long[] shape = {out, k, 2, 2};
        Reference.Compressed ref = Reference.compress24(w, mask, out, k, inner);
        Tensor tw = floats("w", w, shape);
        try (Compressed24 c = backend().masks().compress24(tw, bytes("m", mask, shape))) {
            assertArrayEquals(ref.values(), host(c.values()), "2:4 values vs reference");
            assertArrayEquals(ref.meta(), hostBytes(c.meta()), "2:4 meta vs reference");
            Tensor back = zeros("w.back", DType.F32, shape);
            backend().masks().decompress24(c, back);
            assertArrayEquals(w, host(back), "decompress(compress(w)) F32");
        }
        Tensor w16 = bf16("w16", w, shape);
        try (Compressed24 c = backend().masks().compress24(w16, bytes("m16", mask, shape))) {
            Tensor back = zeros("w16.back", DType.BF16, shape);
            backend().masks().decompress24(c, back);
            assertArrayEquals(backend().copyToHostBf16(w16), backend().copyToHostBf16(back), "decompress(compress(w)) BF16");
        }
    }
}
