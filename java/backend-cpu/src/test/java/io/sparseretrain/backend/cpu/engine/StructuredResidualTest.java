package io.sparseretrain.backend.cpu.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparseretrain.backend.cpu.CpuBackend;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.nn.BasicBlock;
import io.sparseretrain.core.nn.BatchNorm;
import io.sparseretrain.core.nn.Layer;
import io.sparseretrain.core.nn.Model;
import io.sparseretrain.core.nn.Parameter;
import io.sparseretrain.core.nn.StateBuffer;
import io.sparseretrain.core.prune.structured.InferenceTimer;
import io.sparseretrain.core.prune.structured.ModelSurgery;
import io.sparseretrain.core.prune.structured.StructuredPruner;
import io.sparseretrain.core.prune.structured.StructuredResult;
import io.sparseretrain.core.prune.structured.StructuredSpec;
import io.sparseretrain.testkit.EngineFixtures;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Structured pruning inside residual blocks: conv1's filters go (bn1 and conv2's input channels
 * shrink), the block's output width (conv2, bn2, shortcut) and every layer feeding a block stay. The
 * compacted model must compute, in eval mode, what the uncompacted one computes with the pruned
 * filters' conv1 rows and bn1 γ, β zeroed. Also layer subsets and per-layer fractions.
 */
class StructuredResidualTest {
    static CpuBackend b;

    /** A tiny ResNet: stem, a stage of two identity blocks, a stage of one projection block (stride 2). */
    static final String RESNET = """
            name: tiny-resnet
            input: [8, 8, 3]
            classes: 5
            layers:
              - {type: conv, name: conv1, out: 8, kernel: 3, padding: 1, bias: false}
              - {type: batchnorm, name: bn1}
              - relu
              - {type: resnet_stage, name: layer1, blocks: 2, out: 8, stride: 1}
              - {type: resnet_stage, name: layer2, blocks: 1, out: 12, stride: 2}
              - global_avgpool
              - {type: linear, name: linear, out: 5}
            """;

    @BeforeAll
    static void open() {
        b = new CpuBackend();
    }

    @AfterAll
    static void close() {
        b.close();
    }

    static float[] gaussian(SplittableRandom r, int n, double mean, double sd) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (mean + sd * r.nextGaussian());
        return x;
    }

    /** Every BN's γ, β, running mean and (positive) running variance away from the identity defaults. */
    static void randomizeNorms(Model m, long seed) {
        io.sparseretrain.core.Backend b = m.backend();
        SplittableRandom r = new SplittableRandom(seed);
        for (BatchNorm bn : m.batchNorms()) {
            for (Parameter p : bn.parameters()) b.copyFromHost(gaussian(r, (int) p.numel(), 0.5, 0.5), p.value());
            for (StateBuffer s : bn.buffers()) {
                float[] v = gaussian(r, (int) s.value().numel(), 0, 0.3);
                if (s.name().endsWith("running_var")) for (int i = 0; i < v.length; i++) v[i] = 0.5f + Math.abs(v[i]);
                b.copyFromHost(v, s.value());
            }
        }
    }

    static float[] logits(Model m, float[] x, long[] shape) {
        io.sparseretrain.core.Backend b = m.backend();
        try (Tensor t = b.fromFloats("x", x, shape)) {
            return b.copyToHostFloats(m.forward(t, (int) shape[0], false));
        }
    }

    /** Rows not in {@code keep} of a parameter whose dimension 0 has {@code rows} entries set to zero. */
    static void zeroRows(Parameter p, int[] keep, int rows) {
        float[] v = b.copyToHostFloats(p.value());
        int per = v.length / rows;
        boolean[] k = new boolean[rows];
        for (int i : keep) k[i] = true;
        for (int r = 0; r < rows; r++) if (!k[r]) Arrays.fill(v, r * per, (r + 1) * per, 0f);
        b.copyFromHost(v, p.value());
    }

    private static BasicBlock block(Model m, String name) {
        for (Layer l : m.layers()) if (l instanceof BasicBlock blk && blk.name().equals(name)) return blk;
        throw new AssertionError("no block " + name);
    }

    @Test
    void onlyConv1OfEachBlockIsPrunable() {
        try (Model m = EngineFixtures.build(b, RESNET, 1)) {
            assertEquals(List.of("layer1.0.conv1", "layer1.1.conv1", "layer2.0.conv1"),
                    ModelSurgery.prunableLayers(m).stream().map(Layer::name).toList(),
                    "the stem feeds the residual stream and the linear head is the classifier");
        }
    }

    @Test
    void compactedResNetKeepsExactFilterCountsAndEqualsTheZeroedModel() {
        try (Model m = EngineFixtures.build(b, RESNET, 21)) {
            randomizeNorms(m, 4);
            float[] x = gaussian(new SplittableRandom(9), 6 * 8 * 8 * 3, 0, 1);
            long[] shape = {6, 8, 8, 3};
            try (StructuredResult r = StructuredPruner.compact(m, StructuredSpec.layerwise(0.5, StructuredSpec.Norm.L2), InferenceTimer.Timing.NONE)) {
                Model s = r.model();
                assertEquals(4, r.kept().get("layer1.0.conv1").length);
                assertEquals(4, r.kept().get("layer1.1.conv1").length);
                assertEquals(6, r.kept().get("layer2.0.conv1").length);
                assertEquals(3, r.kept().size());
                assertArrayEquals(new long[] {8, 3, 3, 3}, s.parameter("conv1.weight").value().shape(), "the stem keeps its 8 filters");
                assertArrayEquals(new long[] {4, 8, 3, 3}, s.parameter("layer1.0.conv1.weight").value().shape());
                assertArrayEquals(new long[] {4}, s.parameter("layer1.0.bn1.weight").value().shape());
                assertArrayEquals(new long[] {8, 4, 3, 3}, s.parameter("layer1.0.conv2.weight").value().shape(), "conv2 lost its pruned inputs only");
                assertArrayEquals(new long[] {8}, s.parameter("layer1.0.bn2.weight").value().shape());
                assertArrayEquals(new long[] {6, 8, 3, 3}, s.parameter("layer2.0.conv1.weight").value().shape());
                assertArrayEquals(new long[] {12, 6, 3, 3}, s.parameter("layer2.0.conv2.weight").value().shape());
                assertArrayEquals(new long[] {12, 8, 1, 1}, s.parameter("layer2.0.shortcut.0.weight").value().shape(), "the shortcut stays");
                assertArrayEquals(new long[] {5, 12}, s.parameter("linear.weight").value().shape());
                assertEquals(4, block(s, "layer1.0").mid());
                assertTrue(r.report().macsAfter() < r.report().macsBefore());

                float[] small = logits(s, x, shape);
                for (Map.Entry<String, int[]> e : r.kept().entrySet()) {
                    String blk = e.getKey().substring(0, e.getKey().length() - ".conv1".length());
                    int rows = (int) m.parameter(e.getKey() + ".weight").value().shape()[0];
                    zeroRows(m.parameter(e.getKey() + ".weight"), e.getValue(), rows);
                    zeroRows(m.parameter(blk + ".bn1.weight"), e.getValue(), rows);
                    zeroRows(m.parameter(blk + ".bn1.bias"), e.getValue(), rows);
                }
                float[] ref = logits(m, x, shape);
                double scale = 0;
                for (float v : ref) scale = Math.max(scale, Math.abs(v));
                assertTrue(scale > 1e-3, "reference logits are all (near) zero: the comparison would prove nothing");
                for (int i = 0; i < ref.length; i++) {
                    assertEquals(ref[i], small[i], 1e-5 * (1 + scale), "logit " + i + " (example " + i / 5 + ")");
                }
            }
        }
    }

    @Test
    void compactionCarriesBatchNormCountersIntoBlocks() {
        try (Model m = EngineFixtures.build(b, RESNET, 3)) {
            float[] x = gaussian(new SplittableRandom(1), 4 * 8 * 8 * 3, 0, 1);
            try (Tensor t = b.fromFloats("x", x, 4, 8, 8, 3)) {
                for (int i = 0; i < 3; i++) m.forward(t, 4, true);
            }
            try (StructuredResult r = StructuredPruner.compact(m, StructuredSpec.layerwise(0.25, StructuredSpec.Norm.L1), InferenceTimer.Timing.NONE)) {
                for (BatchNorm bn : r.model().batchNorms()) assertEquals(3, bn.batchesTracked(), bn.name());
            }
        }
    }

    @Test
    void layersWhoseWidthTheResidualAddTiesAreRefusedByName() {
        try (Model m = EngineFixtures.build(b, RESNET, 1)) {
            for (String bad : new String[] {"conv1", "layer1.0.conv2", "layer2.0.shortcut.0", "linear", "fc9"}) {
                StructuredSpec spec = new StructuredSpec(0.5, StructuredSpec.Norm.L2, StructuredSpec.Scope.LAYERWISE, Set.of(bad), Map.of());
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StructuredPruner.select(m, spec), bad);
                assertTrue(e.getMessage().contains("'" + bad + "'") && e.getMessage().contains("layer1.0.conv1"), e.getMessage());
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ModelSurgery.compact(m, Map.of("conv1", new int[] {0, 1})));
            assertTrue(e.getMessage().contains("'conv1' cannot be pruned structurally"), e.getMessage());
        }
    }

    @Test
    void layerSubsetAndPerLayerFractionsGiveExactCounts() {
        try (Model m = EngineFixtures.build(b, StructuredPrunerTest.MLP, 5)) {
            StructuredSpec spec = new StructuredSpec(0.5, StructuredSpec.Norm.L1, StructuredSpec.Scope.LAYERWISE, Set.of(), Map.of("fc2", 0.2));
            Map<String, int[]> k = StructuredPruner.select(m, spec);
            assertEquals(15, k.get("fc1").length, "round(30·0.5)");
            assertEquals(8, k.get("fc2").length, "round(10·0.8)");
            StructuredSpec only = new StructuredSpec(0.5, StructuredSpec.Norm.L1, StructuredSpec.Scope.LAYERWISE, Set.of("fc2"), Map.of());
            Map<String, int[]> k2 = StructuredPruner.select(m, only);
            assertEquals(Set.of("fc2"), k2.keySet(), "only the named layer is pruned");
            assertEquals(5, k2.get("fc2").length);
            try (StructuredResult r = StructuredPruner.compact(m, only, InferenceTimer.Timing.NONE)) {
                assertArrayEquals(new long[] {30, 20}, r.model().parameter("fc1.weight").value().shape());
                assertArrayEquals(new long[] {5, 30}, r.model().parameter("fc2.weight").value().shape());
            }
            assertThrows(IllegalArgumentException.class,
                    () -> new StructuredSpec(0.5, StructuredSpec.Norm.L1, StructuredSpec.Scope.GLOBAL, Set.of(), Map.of("fc2", 0.2)));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StructuredPruner.select(m,
                    new StructuredSpec(0.5, StructuredSpec.Norm.L1, StructuredSpec.Scope.LAYERWISE, Set.of("fc1"), Map.of("fc2", 0.2))));
            assertTrue(e.getMessage().contains("not among the layers to prune"), e.getMessage());
        }
    }
}
