package io.sparseretrain.testkit.reference;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Step (a) of the layer tests: every float64 reference layer's backward agrees with central finite
 * differences on tiny shapes. The backends are then compared with these references
 * ({@code LayerGradientConformance}), so a reference bug cannot hide behind a matching engine bug.
 */
class ReferenceGradientTest {
    private static double[] random(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = r.nextDouble() * 2 - 1;
        return a;
    }

    /** Random parameters (norm scales in [0.5, 1.5)), then the finite-difference check. A conv bias
     * right before a batch norm has an exactly zero gradient, so composites use bias-free convs. */
    private static void check(String what, RefLayer layer, int inputSize, int batch) {
        long seed = what.hashCode();
        for (RefParam p : layer.params()) {
            double[] v = random(seed++, p.value.length);
            for (int i = 0; i < v.length; i++) p.value[i] = isNormScale(p) ? 1 + 0.5 * v[i] : v[i];
        }
        FiniteDifferences.check(what, layer, random(seed, inputSize * batch), batch, seed + 1);
    }

    /** Batch norm scales (bn*.weight, shortcut.1.weight) stay away from 0 so no channel is switched off. */
    private static boolean isNormScale(RefParam p) {
        return (p.name.contains("bn") || p.name.contains("shortcut.1")) && p.name.endsWith(".weight");
    }

    @Test
    void linear() {
        check("Linear with bias", new RefLinear("fc", 5, 3, true), 5, 4);
        check("Linear without bias", new RefLinear("fc", 5, 3, false), 5, 4);
    }

    @Test
    void conv2d() {
        check("Conv2d 3x3 s1 p0 bias", new RefConv2d("c", 5, 4, 2, 3, 3, 1, 0, true), 5 * 4 * 2, 2);
        check("Conv2d 3x3 s2 p1 no bias", new RefConv2d("c", 5, 5, 2, 3, 3, 2, 1, false), 5 * 5 * 2, 2);
        check("Conv2d 1x1 s2", new RefConv2d("c", 4, 4, 3, 2, 1, 2, 0, false), 4 * 4 * 3, 2);
    }

    @Test
    void pointwise() {
        check("ReLU", RefPointwise.relu(), 12, 3);
        check("GELU", RefPointwise.gelu(), 12, 3);
        boolean[] keep = new boolean[36];
        for (int i = 0; i < keep.length; i++) keep[i] = i % 3 != 1;
        check("Dropout p=0.3", RefPointwise.dropout(keep, 0.3), 12, 3);
    }

    @Test
    void pooling() {
        check("MaxPool2d k2 s2", new RefPool(true, 4, 4, 2, 2, 2, 0), 32, 2);
        check("MaxPool2d k3 s2 (overlapping)", new RefPool(true, 5, 5, 2, 3, 2, 0), 50, 2);
        check("MaxPool2d k3 s2 p1", new RefPool(true, 5, 5, 2, 3, 2, 1), 50, 2);
        check("AvgPool2d k2 s2", new RefPool(false, 4, 4, 2, 2, 2, 0), 32, 2);
        check("AvgPool2d k3 s2 p1", new RefPool(false, 5, 5, 2, 3, 2, 1), 50, 2);
        check("global average pool", new RefPool(false, 3, 3, 2, 3, 1, 0), 18, 2);
    }

    @Test
    void batchNormAndFlatten() {
        check("BatchNorm1d", new RefBatchNorm("bn", 3, 0.1, 1e-5), 3, 5);
        check("BatchNorm2d (NHWC)", new RefBatchNorm("bn", 3, 0.1, 1e-5), 2 * 2 * 3, 2);
        check("Flatten", new RefFlatten(2, 3, 4), 24, 2);
    }

    @Test
    void basicBlocks() {
        check("BasicBlock identity", new RefBasicBlock("b", 4, 4, 3, 3, 1, 0.1, 1e-5), 48, 2);
        check("BasicBlock projection", new RefBasicBlock("b", 4, 4, 2, 3, 2, 0.1, 1e-5), 32, 2);
        check("conv-bn-relu-flatten-linear", new RefSequential(List.of(new RefConv2d("c", 3, 3, 2, 3, 3, 1, 1, false),
                new RefBatchNorm("bn", 3, 0.1, 1e-5), RefPointwise.relu(), new RefFlatten(3, 3, 3), new RefLinear("fc", 27, 2, true))), 18, 2);
    }
}
