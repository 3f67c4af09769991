package io.sparseretrain.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.ops.SelectReport;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Conformance of global / layer-wise magnitude and random pruning (part of {@link BackendConformanceSuite}). */
public abstract class PruningConformance extends DenseConformance {
    private static final long[][] SHAPES = {{30, 20}, {7, 3, 3, 3}, {101}};

    /** A small model: weights (pruned entries zeroed) and masks with the given live fraction. */
    protected record Model(float[][] w, byte[][] m) {
        long live() {
            long c = 0;
            for (byte[] x : m) c += count(x);
            return c;
        }
    }

    protected static Model model(SplittableRandom rnd, boolean smallInts, double liveFraction) {
        float[][] w = new float[SHAPES.length][];
        byte[][] m = new byte[SHAPES.length][];
        for (int t = 0; t < SHAPES.length; t++) {
            int n = (int) io.sparseretrain.core.Shapes.numel(SHAPES[t]);
            w[t] = smallInts ? smallInts(rnd, n, 3) : randomFloats(rnd, n);
            m[t] = randomMask(rnd, n, liveFraction);
            for (int i = 0; i < n; i++) if (m[t][i] == 0) w[t][i] = 0f;
        }
        return new Model(w, m);
    }

    protected List<Tensor> weights(Model md) {
        List<Tensor> out = new ArrayList<>();
        for (int t = 0; t < SHAPES.length; t++) out.add(floats("layer" + t + ".weight", md.w[t], SHAPES[t]));
        return out;
    }

    protected List<Tensor> masks(Model md) {
        List<Tensor> out = new ArrayList<>();
        for (int t = 0; t < SHAPES.length; t++) out.add(bytes("layer" + t + ".mask", md.m[t], SHAPES[t]));
        return out;
    }

    protected void assertMasks(byte[][] expected, List<Tensor> masks, String what) {
        for (int t = 0; t < expected.length; t++) assertMaskEquals(expected[t], hostBytes(masks.get(t)), what + ", tensor " + t);
    }

    private void checkGlobal(Model md, long keep, String what) {
        List<Tensor> w = weights(md), m = masks(md);
        SelectReport r = backend().masks().pruneMagnitudeGlobal(w, m, keep);
        byte[][] want = Reference.pruneMagnitudeGlobal(md.w, md.m, keep);
        assertMasks(want, m, what + " keep=" + keep);
        assertEquals(keep, r.kept(), what + ": report kept_above + kept_ties");
        assertEquals(md.live(), r.liveBefore(), what + ": report live_before");
        if (keep == 0) {
            assertEquals(0, r.thresholdKey(), what + ": threshold key for keep = 0");
            return;
        }
        float threshold = Reference.keptMinimum(md.w, want);
        assertEquals(threshold, r.thresholdMagnitude(), what + ": threshold magnitude");
        long ties = 0;
        for (int t = 0; t < want.length; t++)
            for (int i = 0; i < want[t].length; i++) if (want[t][i] != 0 && Math.abs(md.w[t][i]) == threshold) ties++;
        assertEquals(ties, r.keptTies(), what + ": report kept_ties");
    }

    @Test
    void globalMagnitudeMatchesReference() {
        SplittableRandom rnd = new SplittableRandom(10);
        Model md = model(rnd, false, 0.8);
        for (double f : new double[] {0.5, 0.1, 0.02}) checkGlobal(md, (long) (md.live() * f), "random weights");
    }

    @Test
    void globalMagnitudeBreaksTiesAcrossTensorsByIndex() {
        // Integers in [-3, 3]: hundreds of equal magnitudes across all three tensors.
        Model md = model(new SplittableRandom(11), true, 0.9);
        for (double f : new double[] {0.7, 0.33, 0.05}) checkGlobal(md, (long) (md.live() * f), "tied weights");
    }

    @Test
    void globalMagnitudeKeepZeroAndKeepAll() {
        Model md = model(new SplittableRandom(12), false, 0.6);
        checkGlobal(md, 0, "keep none");
        checkGlobal(md, md.live(), "keep every live entry");
    }

    @Test
    void prunedEntriesAreNeverRevived() {
        // Live weights exactly 0 and pruned weights (also 0): keeping every live entry must keep the
        // live zeros and must not revive a pruned one.
        Model md = model(new SplittableRandom(13), false, 0.5);
        for (int t = 0; t < md.w.length; t++)
            for (int i = 0; i < md.w[t].length; i += 5) if (md.m[t][i] != 0) md.w[t][i] = 0f;
        checkGlobal(md, md.live(), "live zeros");
        checkGlobal(md, md.live() - 3, "live zeros, three dropped");
    }

    @Test
    void layerwiseMagnitudeMatchesReference() {
        Model md = model(new SplittableRandom(14), true, 0.7);
        long[] keep = new long[md.m.length];
        for (int t = 0; t < keep.length; t++) keep[t] = count(md.m[t]) * (t + 1) / 4;
        List<Tensor> w = weights(md), m = masks(md);
        backend().masks().pruneMagnitudeLayerwise(w, m, keep);
        assertMasks(Reference.pruneMagnitudeLayerwise(md.w, md.m, keep), m, "layer-wise magnitude");
    }

    @Test
    void randomGlobalKeepsExactCountDeterministically() {
        Model md = model(new SplittableRandom(15), false, 0.75);
        long keep = md.live() / 3;
        List<Tensor> a = masks(md), b = masks(md), c = masks(md);
        SelectReport ra = backend().masks().pruneRandomGlobal(a, keep, 42);
        backend().masks().pruneRandomGlobal(b, keep, 42);
        backend().masks().pruneRandomGlobal(c, keep, 43);
        assertEquals(keep, ra.kept(), "random pruning report: kept");
        long kept = 0;
        boolean differs = false;
        for (int t = 0; t < a.size(); t++) {
            byte[] ma = hostBytes(a.get(t));
            kept += count(ma);
            assertMaskEquals(ma, hostBytes(b.get(t)), "random pruning with the same seed, tensor " + t);
            differs |= !java.util.Arrays.equals(ma, hostBytes(c.get(t)));
            for (int i = 0; i < ma.length; i++) {
                if (ma[i] != 0 && md.m[t][i] == 0) throw new AssertionError("random pruning revived tensor " + t + " element " + i);
            }
        }
        assertEquals(keep, kept, "random pruning kept count");
        assertFalse(!differs, "seeds 42 and 43 gave the same random mask");
        byte[][] host = HostRandomMasks.pruneRandomGlobal(md.m, keep, 42);
        assertMasks(host, a, "random pruning vs the host NativeContext for seed 42");
    }

    @Test
    void randomLayerwiseKeepsExactCounts() {
        Model md = model(new SplittableRandom(16), false, 0.9);
        long[] keep = new long[md.m.length];
        for (int t = 0; t < keep.length; t++) keep[t] = count(md.m[t]) / (t + 2);
        List<Tensor> m = masks(md);
        backend().masks().pruneRandomLayerwise(m, keep, 7);
        for (int t = 0; t < keep.length; t++) assertEquals(keep[t], count(hostBytes(m.get(t))), "random layer-wise, tensor " + t);
    }
}
