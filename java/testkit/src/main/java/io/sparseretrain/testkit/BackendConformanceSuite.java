package io.sparseretrain.testkit;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.DType;
import io.sparseretrain.core.DTypeException;
import io.sparseretrain.core.NativeCallException;
import io.sparseretrain.core.ShapeException;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.TensorStateException;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * THE conformance suite: every backend runs it by subclassing and supplying the backend. The tests
 * live in a chain of small abstract classes, one concern each (this class ← {@link LayerGoldenConformance}
 * ← {@link LayerGradientConformance} ← {@link LayerComparisonSupport} ← {@link GoldenConformance}
 * ← {@link OptimizerConformance} ← {@link NMConformance} ← {@link PruningConformance} ←
 * {@link DenseConformance} ← {@link SuiteSupport}), so that a subclass inherits all of them; this
 * class holds the bad-input tests: each checks the exception type, that the message names the
 * tensor or value, and that nothing was changed.
 */
public abstract class BackendConformanceSuite extends LayerGoldenConformance {

    @Test
    void shapeMismatchNamesBothTensors() {
        Tensor w = floats("fc1.weight", randomFloats(new SplittableRandom(40), 12), 3, 4);
        Tensor m = bytes("fc1.mask", ones(12), 4, 3);
        assertFailsNaming(ShapeException.class, () -> backend().masks().apply(w, m), "fc1.weight", "fc1.mask", "[4, 3]");
        Tensor a = floats("A", randomFloats(new SplittableRandom(41), 6), 2, 3);
        Tensor c = zeros("C", DType.F32, 2, 2);
        assertFailsNaming(ShapeException.class, () -> backend().dense().gemm(false, false, 1f, a, a, 0f, c), "A", "[2, 3]");
    }

    @Test
    void dtypeMismatchNamesTensorAndDtype() {
        Tensor w = bytes("u8.weight", ones(8), 8);
        Tensor m = bytes("u8.mask", ones(8), 8);
        assertFailsNaming(DTypeException.class, () -> backend().masks().apply(w, m), "u8.weight", "U8");
        Tensor f = floats("f.mask", new float[8], 8);
        Tensor g = floats("f.weight", randomFloats(new SplittableRandom(42), 8), 8);
        assertFailsNaming(DTypeException.class, () -> backend().masks().apply(g, f), "f.mask", "F32");
    }

    @Test
    void nonFiniteWeightsLeaveMasksUnchanged() {
        SplittableRandom rnd = new SplittableRandom(43);
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) {
            float[] w0 = randomFloats(rnd, 50), w1 = randomFloats(rnd, 40);
            w1[17] = bad;
            byte[] m0 = randomMask(rnd, 50, 0.8), m1 = ones(40);
            List<Tensor> ws = List.of(floats("ok.weight", w0, 50), floats("bad.weight", w1, 40));
            List<Tensor> ms = List.of(bytes("ok.mask", m0, 50), bytes("bad.mask", m1, 40));
            assertFailsNaming(NativeCallException.class, () -> backend().masks().pruneMagnitudeGlobal(ws, ms, 30),
                    "sr_prune_magnitude_global", "bad.weight", "SR_ERR_NONFINITE", "[17]");
            assertMaskEquals(m0, hostBytes(ms.get(0)), "mask ok.mask after a rejected pruning (" + bad + ")");
            assertMaskEquals(m1, hostBytes(ms.get(1)), "mask bad.mask after a rejected pruning (" + bad + ")");
        }
    }

    @Test
    void keepAboveLiveCountLeavesMasksUnchanged() {
        byte[] m = randomMask(new SplittableRandom(44), 64, 0.5);
        long live = count(m);
        List<Tensor> ws = List.of(floats("k.weight", randomFloats(new SplittableRandom(45), 64), 64));
        List<Tensor> ms = List.of(bytes("k.mask", m, 64));
        long keep = live + 1;
        NativeCallException e = assertFailsNaming(NativeCallException.class,
                () -> backend().masks().pruneMagnitudeGlobal(ws, ms, keep), String.valueOf(keep));
        org.junit.jupiter.api.Assertions.assertEquals("SR_ERR_OUT_OF_RANGE", e.status(), "status of keep > live: " + e.getMessage());
        assertMaskEquals(m, hostBytes(ms.get(0)), "mask after keep > live");
    }

    @Test
    void nmWithKNotDivisibleByMNamesKAndM() {
        float[] w = randomFloats(new SplittableRandom(46), 3 * 10);
        byte[] m = ones(30);
        Tensor tm = bytes("odd.mask", m, 3, 10);
        NativeCallException e = assertFailsNaming(NativeCallException.class,
                () -> backend().masks().maskNM(floats("odd.weight", w, 3, 10), tm, 2, 4), "10", "4", "odd.weight");
        org.junit.jupiter.api.Assertions.assertEquals("SR_ERR_SHAPE", e.status(), "status of K % M != 0: " + e.getMessage());
        assertMaskEquals(m, hostBytes(tm), "mask after a rejected N:M");
    }

    @Test
    void closedTensorIsRejectedByName() {
        Tensor w = floats("gone.weight", randomFloats(new SplittableRandom(47), 4), 4);
        Tensor m = bytes("gone.mask", ones(4), 4);
        w.close();
        w.close(); // idempotent
        assertFailsNaming(TensorStateException.class, () -> backend().masks().apply(w, m), "gone.weight", "closed");
        assertFailsNaming(TensorStateException.class, () -> backend().copyToHostFloats(w), "gone.weight");
    }

    @Test
    void tensorOfAnotherBackendInstanceIsRejected() {
        try (Backend other = createBackend()) {
            Tensor foreign = other.fromFloats("foreign.weight", randomFloats(new SplittableRandom(48), 4), 4);
            Tensor m = bytes("local.mask", ones(4), 4);
            assertFailsNaming(TensorStateException.class, () -> backend().masks().apply(foreign, m), "foreign.weight");
            assertFailsNaming(TensorStateException.class, () -> backend().masks().countNonzero(foreign), "foreign.weight");
        }
    }
}
