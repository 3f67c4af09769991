package io.sparseretrain.backend.cpu.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparseretrain.backend.cpu.CpuBackend;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.nn.BatchNorm;
import io.sparseretrain.core.nn.Conv2d;
import io.sparseretrain.core.nn.Layer;
import io.sparseretrain.core.nn.Linear;
import io.sparseretrain.core.nn.Model;
import io.sparseretrain.core.nn.Parameter;
import io.sparseretrain.core.nn.StateBuffer;
import io.sparseretrain.core.prune.structured.InferenceTimer;
import io.sparseretrain.core.prune.structured.StructuredPruner;
import io.sparseretrain.core.prune.structured.StructuredResult;
import io.sparseretrain.core.prune.structured.StructuredSpec;
import io.sparseretrain.testkit.EngineFixtures;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Structured compaction on the CPU backend: exact widths, shapes of the consumers, and the compacted
 * model against the reference "original with the pruned neurons' rows, biases and BN γ/β zeroed".
 */
class StructuredPrunerTest {
    static CpuBackend b;

    static final String CNN = """
            name: struct-cnn
            input: [8, 8, 3]
            classes: 5
            layers:
              - {type: conv, name: conv1, out: 8, kernel: 3, padding: 1}
              - {type: batchnorm, name: bn1}
              - relu
              - {type: maxpool, kernel: 2}
              - {type: conv, name: conv2, out: 6, kernel: 3, padding: 1}
              - relu
              - flatten
              - {type: linear, name: fc1, out: 16}
              - relu
              - {type: linear, name: fc2, out: 5}
            """;

    static final String MLP = """
            name: struct-mlp
            input: [20]
            classes: 3
            layers:
              - {type: linear, name: fc1, out: 30}
              - gelu
              - {type: linear, name: fc2, out: 10}
              - {type: batchnorm, name: bn2}
              - relu
              - {type: dropout, p: 0.2}
              - {type: linear, name: fc3, out: 3}
            """;

    @BeforeAll
    static void open() {
        b = new CpuBackend();
    }

    @AfterAll
    static void close() {
        b.close();
    }

    private static float[] host(Model m, String name) {
        return b.copyToHostFloats(m.parameter(name).value());
    }

    /** BN running statistics and affine terms away from their identity defaults, so BN slicing matters. */
    private static void randomizeNorms(Model m, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (BatchNorm bn : m.batchNorms()) {
            for (Parameter p : bn.parameters()) b.copyFromHost(gaussian(r, (int) p.numel(), 1.0, 0.5), p.value());
            for (StateBuffer s : bn.buffers()) {
                boolean var = s.name().endsWith("running_var");
                b.copyFromHost(gaussian(r, (int) s.value().numel(), var ? 0 : 0.3, var ? 0.5 : 0), s.value());
                if (var) {
                    float[] v = b.copyToHostFloats(s.value());
                    for (int i = 0; i < v.length; i++) v[i] = 0.5f + Math.abs(v[i]);
                    b.copyFromHost(v, s.value());
                }
            }
        }
    }

    private static float[] gaussian(SplittableRandom r, int n, double mean, double sd) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (mean + sd * r.nextGaussian());
        return x;
    }

    /** The reference: pruned rows (and their bias entries) zeroed, and γ, β of the BatchNorm that follows. */
    private static void zeroPruned(Model m, Map<String, int[]> kept) {
        int[] pending = null;  // outputs pruned by the last Linear/Conv, until a BN or the next Linear/Conv
        int pendingTotal = 0;
        for (Layer l : m.layers()) {
            if (l instanceof Linear || l instanceof Conv2d) {
                pending = kept.get(l.name());
                pendingTotal = l.outputShape().channels();
                if (pending != null) for (Parameter p : l.parameters()) zeroRows(p, pending, pendingTotal);
            } else if (l instanceof BatchNorm && pending != null) {
                for (Parameter p : l.parameters()) zeroRows(p, pending, pendingTotal);
            }
        }
    }

    private static void zeroRows(Parameter p, int[] keep, int rows) {
        float[] v = b.copyToHostFloats(p.value());
        int per = v.length / rows;
        boolean[] k = new boolean[rows];
        for (int i : keep) k[i] = true;
        for (int r = 0; r < rows; r++) if (!k[r]) java.util.Arrays.fill(v, r * per, (r + 1) * per, 0f);
        b.copyFromHost(v, p.value());
    }

    private static float[] logits(Model m, float[] x, long[] shape) {
        try (Tensor t = b.fromFloats("x", x, shape)) {
            return b.copyToHostFloats(m.forward(t, (int) shape[0], false));
        }
    }

    /** Compacts at s, then checks widths and that compacted logits equal the zeroed original's. */
    private static StructuredResult compactAndCompare(Model m, double s, long[] inShape) {
        randomizeNorms(m, 7);
        StructuredResult r = StructuredPruner.compact(m, StructuredSpec.layerwise(s, StructuredSpec.Norm.L2), InferenceTimer.Timing.NONE);
        float[] x = gaussian(new SplittableRandom(3), (int) java.util.Arrays.stream(inShape).reduce(1, (a, c) -> a * c), 0, 1);
        float[] small = logits(r.model(), x, inShape);
        zeroPruned(m, r.kept());
        float[] ref = logits(m, x, inShape);
        double scale = 0;
        for (float v : ref) scale = Math.max(scale, Math.abs(v));
        assertTrue(scale > 1e-3, "reference logits are all (near) zero: the comparison would prove nothing");
        for (int i = 0; i < ref.length; i++) {
            assertEquals(ref[i], small[i], 1e-5 * (1 + scale), "logit " + i + " (example " + i / m.classes() + ")");
        }
        return r;
    }

    @Test
    void cnnKeepsExactCountsAndMatchesTheZeroedReference() {
        try (Model m = EngineFixtures.build(b, CNN, 11); StructuredResult r = compactAndCompare(m, 0.5, new long[] {16, 8, 8, 3})) {
            Model s = r.model();
            assertEquals(4, r.kept().get("conv1").length);
            assertEquals(3, r.kept().get("conv2").length);
            assertEquals(8, r.kept().get("fc1").length);
            assertEquals(3, r.kept().size(), "the classifier fc2 is never pruned");
            assertArrayEquals(new long[] {4, 3, 3, 3}, s.parameter("conv1.weight").value().shape());
            assertArrayEquals(new long[] {4}, s.parameter("bn1.weight").value().shape());
            assertArrayEquals(new long[] {3, 4, 3, 3}, s.parameter("conv2.weight").value().shape(), "conv2 lost its pruned input channels");
            assertArrayEquals(new long[] {8, 3 * 4 * 4}, s.parameter("fc1.weight").value().shape(), "fc1 lost every h,w column of the pruned channels");
            assertArrayEquals(new long[] {5, 8}, s.parameter("fc2.weight").value().shape());
            assertEquals(m.classes(), s.classes());
        }
    }

    @Test
    void linearAfterFlattenKeepsTheColumnsOfTheKeptChannelsInChwOrder() {
        try (Model m = EngineFixtures.build(b, CNN, 12);
             StructuredResult r = StructuredPruner.compact(m, StructuredSpec.layerwise(0.5, StructuredSpec.Norm.L1), InferenceTimer.Timing.NONE)) {
            int[] ch = r.kept().get("conv2"), rows = r.kept().get("fc1");
            float[] w = host(m, "fc1.weight"), ws = host(r.model(), "fc1.weight");
            int hw = 16, inOld = 6 * hw, inNew = ch.length * hw;
            for (int i = 0; i < rows.length; i++) {
                for (int j = 0; j < ch.length; j++) {
                    for (int p = 0; p < hw; p++) {
                        assertEquals(w[rows[i] * inOld + ch[j] * hw + p], ws[i * inNew + j * hw + p], 0f, "fc1 row " + i + " channel " + j + " pos " + p);
                    }
                }
            }
            float[] mean = b.copyToHostFloats(m.buffers().get(0).value()), meanS = b.copyToHostFloats(r.model().buffers().get(0).value());
            int[] c1 = r.kept().get("conv1");
            for (int j = 0; j < c1.length; j++) assertEquals(mean[c1[j]], meanS[j], 0f, "bn1.running_mean[" + j + "]");
        }
    }

    @Test
    void mlpKeepsExactCountsAndMatchesTheZeroedReference() {
        try (Model m = EngineFixtures.build(b, MLP, 5); StructuredResult r = compactAndCompare(m, 0.3, new long[] {32, 20})) {
            assertEquals(21, r.kept().get("fc1").length, "round(30·0.7)");
            assertEquals(7, r.kept().get("fc2").length, "round(10·0.7)");
            assertArrayEquals(new long[] {7, 21}, r.model().parameter("fc2.weight").value().shape());
            assertArrayEquals(new long[] {7}, r.model().parameter("bn2.bias").value().shape());
            assertArrayEquals(new long[] {3, 7}, r.model().parameter("fc3.weight").value().shape());
            assertEquals(r.model().parameterCount(), r.report().paramsAfter());
            assertTrue(r.report().paramsAfter() < r.report().paramsBefore());
            assertEquals((20 * 21 + 21 * 7 + 7 * 3), r.report().macsAfter());
        }
    }

    @Test
    void highSparsityStillKeepsOneNeuronPerLayer() {
        try (Model m = EngineFixtures.build(b, MLP, 5); StructuredResult r = compactAndCompare(m, 0.99, new long[] {8, 20})) {
            assertEquals(1, r.kept().get("fc1").length);
            assertEquals(1, r.kept().get("fc2").length);
        }
    }

    @Test
    void masksOfAnUnstructuredPruneAreSlicedAlong() {
        try (Model m = EngineFixtures.build(b, MLP, 6)) {
            new io.sparseretrain.core.prune.Pruner(io.sparseretrain.core.prune.PruneSpec.globalMagnitude()).prune(m, 0.6, 0);
            try (StructuredResult r = StructuredPruner.compact(m, StructuredSpec.layerwise(0.5, StructuredSpec.Norm.L1), InferenceTimer.Timing.NONE)) {
                Parameter w = r.model().parameter("fc2.weight");
                assertArrayEquals(w.value().shape(), w.mask().shape());
                byte[] mask = b.copyToHostBytes(w.mask());
                float[] v = b.copyToHostFloats(w.value());
                long live = 0;
                for (int i = 0; i < mask.length; i++) {
                    assertTrue(mask[i] != 0 || v[i] == 0f, "masked entry " + i + " is nonzero");
                    if (mask[i] != 0) live++;
                }
                assertTrue(live > 0 && live < mask.length, "the kept slice carries a partial mask (" + live + " of " + mask.length + ")");
            }
        }
    }
}
