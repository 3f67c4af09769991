package io.sparseretrain.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparseretrain.core.DType;
import io.sparseretrain.core.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Conformance of element-wise mask ops, counting, casts and GEMM (part of {@link BackendConformanceSuite}). */
public abstract class DenseConformance extends SuiteSupport {

    @Test
    void applyMaskZeroesExactlyThePrunedEntries() {
        SplittableRandom rnd = new SplittableRandom(1);
        float[] w = randomFloats(rnd, 3 * 7);
        byte[] m = randomMask(rnd, w.length, 0.5);
        Tensor tw = floats("fc.weight", w, 3, 7);
        backend().masks().apply(tw, bytes("fc.mask", m, 3, 7));
        float[] expected = w.clone();
        for (int i = 0; i < w.length; i++) if (m[i] == 0) expected[i] = 0f;
        assertArrayEquals(expected, host(tw), "apply mask on fc.weight");
    }

    @Test
    void applyMaskOnBf16() {
        SplittableRandom rnd = new SplittableRandom(2);
        float[] w = randomFloats(rnd, 64);
        byte[] m = randomMask(rnd, 64, 0.3);
        Tensor tw = bf16("w16", w, 8, 8);
        backend().masks().apply(tw, bytes("m", m, 8, 8));
        short[] got = backend().copyToHostBf16(tw);
        for (int i = 0; i < 64; i++) {
            short want = m[i] == 0 ? 0 : Reference.toBf16(w[i]);
            assertEquals(want, got[i], "bf16 apply mask, element " + i);
        }
    }

    @Test
    void countNonzeroTreatsNegativeZeroAsZero() {
        float[] x = {0f, -0f, 1f, -2f, Float.MIN_VALUE, 0f, -0f, 3f};
        assertEquals(4, backend().masks().countNonzero(floats("x", x, 8)), "F32 nonzeros of " + java.util.Arrays.toString(x));
        assertEquals(4, backend().masks().countNonzero(bf16("x16", new float[] {0f, -0f, 1f, -2f, 5f, 0f, -0f, 3f}, 8)),
                "BF16 nonzeros");
        byte[] u = {0, 1, 0, 1, 1, 0, (byte) 255};
        assertEquals(4, backend().masks().countNonzero(bytes("u", u, 7)), "U8 nonzeros");
    }

    @Test
    void countNonzeroPerTensor() {
        SplittableRandom rnd = new SplittableRandom(3);
        byte[] a = randomMask(rnd, 1000, 0.2), b = randomMask(rnd, 333, 0.9);
        long[] got = backend().masks().countNonzero(List.of(bytes("a", a, 1000), bytes("b", b, 333)));
        assertArrayEquals(new long[] {count(a), count(b)}, got, "per-tensor nonzero counts");
    }

    @Test
    void castRoundsToNearestEven() {
        SplittableRandom rnd = new SplittableRandom(4);
        float[] x = randomFloats(rnd, 1000);
        // Hand-picked halfway cases: 1 + 2^-8 rounds down to 1 (even), 1 + 3·2^-8 rounds up.
        x[0] = 1f + 0x1p-8f;
        x[1] = 1f + 3 * 0x1p-8f;
        x[2] = -0f;
        x[3] = Float.NaN;
        x[4] = Float.POSITIVE_INFINITY;
        x[5] = 3.4e38f; // rounds to +Inf in bf16
        Tensor b = bf16("x16", x, 1000);
        short[] got = backend().copyToHostBf16(b);
        for (int i = 0; i < x.length; i++) {
            short want = Reference.toBf16(x[i]);
            if (Float.isNaN(x[i])) {
                assertEquals(true, Float.isNaN(Reference.fromBf16(got[i])), "bf16 of NaN is NaN, got bits " + got[i]);
            } else {
                assertEquals(want, got[i], "bf16 bits of " + x[i] + " at element " + i);
            }
        }
        Tensor back = zeros("x32", DType.F32, 1000);
        backend().cast(b, back);
        float[] widened = host(back);
        for (int i = 6; i < x.length; i++) {
            assertEquals(Reference.fromBf16(got[i]), widened[i], "bf16 → f32 widening at element " + i);
        }
    }

    @Test
    void gemmMatchesReferenceForAllTransposes() {
        SplittableRandom rnd = new SplittableRandom(5);
        int m = 17, n = 23, k = 129;
        for (boolean ta : new boolean[] {false, true})
            for (boolean tb : new boolean[] {false, true}) {
                float[] a = randomFloats(rnd, m * k), b = randomFloats(rnd, k * n), c = randomFloats(rnd, m * n);
                float alpha = 0.75f, beta = -0.5f;
                Tensor ta2 = floats("A", a, ta ? k : m, ta ? m : k);
                Tensor tb2 = floats("B", b, tb ? n : k, tb ? k : n);
                Tensor tc = floats("C", c, m, n);
                backend().dense().gemm(ta, tb, alpha, ta2, tb2, beta, tc);
                float[] want = Reference.gemm(ta, tb, m, n, k, alpha, a, b, beta, c);
                double[] tol = new double[m * n];
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < n; j++) {
                        double abs = Math.abs(beta * c[i * n + j]);
                        for (int p = 0; p < k; p++) {
                            abs += Math.abs(alpha * (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]));
                        }
                        tol[i * n + j] = Tolerances.gemm(DType.F32, k, abs);
                    }
                assertClose(want, host(tc), tol, "GEMM transA=" + ta + " transB=" + tb + " [" + m + "x" + k + "]·[" + k + "x" + n + "]");
            }
    }
}
