package io.sparseretrain.testkit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.DType;
import io.sparseretrain.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;

/**
 * Lifecycle and helpers shared by the conformance suite: one backend per test class (skipped with
 * the reason when it cannot run here), tensors closed after every test, seeded random data, and
 * assertions whose messages say what differed, where, and by how much.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SuiteSupport {
    private Backend backend;
    private final List<Tensor> tensors = new ArrayList<>();

    /** The backend under test, or {@code null} together with {@link #unavailableReason()}. */
    protected abstract Backend createBackend();

    /** Why {@link #createBackend()} cannot run here; null when it can. */
    protected abstract String unavailableReason();

    private String skipReason;

    @BeforeAll
    final void openBackend() {
        skipReason = unavailableReason();
        if (skipReason == null) backend = createBackend();
    }

    /** Per test, so that every test of an unavailable backend is reported as skipped with the reason. */
    @org.junit.jupiter.api.BeforeEach
    final void requireBackend() {
        Assumptions.assumeTrue(skipReason == null, () -> "backend unavailable: " + skipReason);
    }

    @AfterAll
    final void closeBackend() {
        if (backend != null) backend.close();
    }

    @AfterEach
    final void closeTensors() {
        for (Tensor t : tensors) t.close();
        tensors.clear();
    }

    protected Backend backend() {
        return backend;
    }

    // ------------------------------------------------------------------ tensors

    protected Tensor floats(String name, float[] data, long... shape) {
        return track(backend.fromFloats(name, data, shape));
    }

    protected Tensor bytes(String name, byte[] data, long... shape) {
        return track(backend.fromBytes(name, data, shape));
    }

    protected Tensor zeros(String name, DType dtype, long... shape) {
        return track(backend.zeros(name, dtype, shape));
    }

    /** A BF16 tensor holding the bf16 rounding of {@code data} (cast on the backend). */
    protected Tensor bf16(String name, float[] data, long... shape) {
        Tensor f = floats(name + ".f32", data, shape);
        Tensor b = zeros(name, DType.BF16, shape);
        backend.cast(f, b);
        return b;
    }

    protected <T extends Tensor> T track(T t) {
        tensors.add(t);
        return t;
    }

    protected float[] host(Tensor t) {
        return backend.copyToHostFloats(t);
    }

    protected byte[] hostBytes(Tensor t) {
        return backend.copyToHostBytes(t);
    }

    // ------------------------------------------------------------------ data

    /** Uniform in [-1, 1), never all zero. */
    protected static float[] randomFloats(SplittableRandom rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (rnd.nextDouble() * 2 - 1);
        return a;
    }

    /** Small integers in [-r, r]: magnitudes tie often, and sums are exact. */
    protected static float[] smallInts(SplittableRandom rnd, int n, int r) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = rnd.nextInt(-r, r + 1);
        return a;
    }

    /** 1 with probability p. */
    protected static byte[] randomMask(SplittableRandom rnd, int n, double p) {
        byte[] m = new byte[n];
        for (int i = 0; i < n; i++) m[i] = (byte) (rnd.nextDouble() < p ? 1 : 0);
        return m;
    }

    protected static byte[] ones(int n) {
        byte[] m = new byte[n];
        java.util.Arrays.fill(m, (byte) 1);
        return m;
    }

    protected static long count(byte[] m) {
        long c = 0;
        for (byte b : m) if (b != 0) c++;
        return c;
    }

    // ------------------------------------------------------------------ assertions

    protected static void assertMaskEquals(byte[] expected, byte[] actual, String what) {
        assertTrue(expected.length == actual.length, what + ": length " + actual.length + " != " + expected.length);
        int diffs = 0, first = -1;
        for (int i = 0; i < expected.length; i++) if (expected[i] != actual[i]) {
            if (first < 0) first = i;
            diffs++;
        }
        if (diffs > 0) {
            fail(what + ": " + diffs + " of " + expected.length + " entries differ; first at element " + first
                    + " (expected " + expected[first] + ", got " + actual[first] + ")");
        }
    }

    /** |expected − actual| ≤ tol[i] everywhere; the expected values must not be all zero. */
    protected static void assertClose(float[] expected, float[] actual, double[] tol, String what) {
        assertTrue(expected.length == actual.length, what + ": length " + actual.length + " != " + expected.length);
        assertNotAllZero(expected, what + " (reference)");
        int worst = -1;
        double worstRatio = 1;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs((double) expected[i] - actual[i]);
            double ratio = Double.isNaN(actual[i]) ? Double.POSITIVE_INFINITY : d / tol[i];
            if (ratio > worstRatio) {
                worstRatio = ratio;
                worst = i;
            }
        }
        if (worst >= 0) {
            fail(what + ": element " + worst + " is " + actual[worst] + ", expected " + expected[worst] + " (difference "
                    + Math.abs((double) expected[worst] - actual[worst]) + " > tolerance " + tol[worst] + ")");
        }
    }

    protected static void assertClose(float[] expected, float[] actual, double tol, String what) {
        double[] t = new double[expected.length];
        java.util.Arrays.fill(t, tol);
        assertClose(expected, actual, t, what);
    }

    protected static void assertNotAllZero(float[] a, String what) {
        for (float v : a) if (v != 0f) return;
        fail(what + " is all zero: comparing it proves nothing");
    }

    /** Entries where mask == 0 are exactly +0.0 or -0.0. */
    protected static void assertZeroWhereMasked(float[] x, byte[] mask, String what) {
        for (int i = 0; i < x.length; i++) {
            if (mask[i] == 0 && x[i] != 0f) fail(what + ": pruned element " + i + " is " + x[i] + ", not 0");
        }
    }

    /** The call throws {@code type} and its message names every one of {@code names}. */
    protected static <E extends Throwable> E assertFailsNaming(Class<E> type, Executable call, String... names) {
        E e = assertThrows(type, call);
        String msg = String.valueOf(e.getMessage());
        for (String n : names) {
            assertTrue(msg.contains(n), "message of " + type.getSimpleName() + " should name '" + n + "': " + msg);
        }
        return e;
    }
}
