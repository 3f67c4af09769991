package io.sparseretrain.backend.cpu.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparseretrain.backend.cpu.CpuBackend;
import io.sparseretrain.core.nn.Model;
import io.sparseretrain.core.prune.structured.NeuronRanking;
import io.sparseretrain.core.prune.structured.StructuredPruner;
import io.sparseretrain.core.prune.structured.StructuredSpec;
import io.sparseretrain.testkit.EngineFixtures;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Which neurons structured pruning keeps (L1 vs L2, ties, global scope) and what it refuses. */
class StructuredRankingTest {
    static CpuBackend b;

    static final String HAND = """
            name: hand
            input: [4]
            classes: 2
            layers:
              - {type: linear, name: fc1, out: 3}
              - relu
              - {type: linear, name: fc2, out: 2}
            """;

    @BeforeAll
    static void open() {
        b = new CpuBackend();
    }

    @AfterAll
    static void close() {
        b.close();
    }

    @Test
    void l1AndL2RankTheHandExampleDifferently() {
        // row 0 = [3,0,0,0]: L1 3, L2 3;  row 1 = [1,1,1,1]: L1 4, L2 2;  row 2 = [0,0,0,0.5]: L1 = L2 = 0.5
        float[] w = {3, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0.5f};
        assertArrayEquals(new double[] {3, 4, 0.5}, NeuronRanking.rowNorms(w, 3, 4, StructuredSpec.Norm.L1), 0);
        assertArrayEquals(new double[] {3, 2, 0.5}, NeuronRanking.rowNorms(w, 3, 4, StructuredSpec.Norm.L2), 0);
        try (Model m = EngineFixtures.build(b, HAND, 1)) {
            b.copyFromHost(w, m.parameter("fc1.weight").value());
            // keep round(3·0.3) = 1
            assertArrayEquals(new int[] {1}, StructuredPruner.select(m, StructuredSpec.layerwise(0.7, StructuredSpec.Norm.L1)).get("fc1"));
            assertArrayEquals(new int[] {0}, StructuredPruner.select(m, StructuredSpec.layerwise(0.7, StructuredSpec.Norm.L2)).get("fc1"));
            // keep round(3·0.6) = 2: both norms drop row 2; kept indices come back ascending
            assertArrayEquals(new int[] {0, 1}, StructuredPruner.select(m, StructuredSpec.layerwise(0.4, StructuredSpec.Norm.L1)).get("fc1"));
        }
    }

    @Test
    void tiesKeepTheLowerIndex() {
        assertArrayEquals(new int[] {1, 2}, NeuronRanking.keepTop(new double[] {1, 2, 2, 2}, 2));
        assertArrayEquals(new int[] {0}, NeuronRanking.keepTop(new double[] {5, 5}, 1));
    }

    @Test
    void globalScopeAcrossDifferentFanInIsRefusedWithTheReason() {
        try (Model m = EngineFixtures.build(b, StructuredPrunerTest.CNN, 1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> StructuredPruner.select(m, new StructuredSpec(0.5, StructuredSpec.Norm.L2, StructuredSpec.Scope.GLOBAL)));
            assertTrue(e.getMessage().contains("different fan-in") && e.getMessage().contains("'conv1' has fan-in 27")
                    && e.getMessage().contains("norms grow with fan-in"), e.getMessage());
        }
    }

    @Test
    void globalScopeWithEqualFanInRanksAcrossLayers() {
        String yaml = """
                name: equal-fan-in
                input: [16]
                classes: 4
                layers:
                  - {type: linear, name: fc1, out: 16}
                  - relu
                  - {type: linear, name: fc2, out: 16}
                  - relu
                  - {type: linear, name: fc3, out: 4}
                """;
        try (Model m = EngineFixtures.build(b, yaml, 2)) {
            float[] w1 = new float[256], w2 = new float[256];
            for (int o = 0; o < 16; o++) {
                for (int i = 0; i < 16; i++) {
                    w1[o * 16 + i] = 0.01f * (o + 1);  // fc1 rows all weaker than fc2's except by rank
                    w2[o * 16 + i] = 0.5f + 0.01f * o;
                }
            }
            b.copyFromHost(w1, m.parameter("fc1.weight").value());
            b.copyFromHost(w2, m.parameter("fc2.weight").value());
            Map<String, int[]> k = StructuredPruner.select(m, new StructuredSpec(0.5, StructuredSpec.Norm.L1, StructuredSpec.Scope.GLOBAL));
            // 16 of 32 kept: fc1 keeps only its best row (15, reserved so the layer survives), fc2 the 15 best
            assertArrayEquals(new int[] {15}, k.get("fc1"));
            assertEquals(15, k.get("fc2").length);
            assertEquals(1, k.get("fc2")[0], "fc2's weakest row 0 is the one dropped");
        }
    }

    @Test
    void residualModelsPruneOnlyInsideTheirBlocks() {
        try (Model m = EngineFixtures.build(b, EngineFixtures.CNN, 1)) {
            // conv1 feeds layer1.0 (its width is tied by the residual add), fc is the classifier
            assertEquals(java.util.Set.of("layer1.0.conv1"), StructuredPruner.select(m, StructuredSpec.layerwise(0.5, StructuredSpec.Norm.L1)).keySet());
        }
    }

    @Test
    void invalidSparsityIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> StructuredSpec.layerwise(1.0, StructuredSpec.Norm.L1));
        assertThrows(IllegalArgumentException.class, () -> StructuredSpec.layerwise(-0.1, StructuredSpec.Norm.L2));
    }
}
