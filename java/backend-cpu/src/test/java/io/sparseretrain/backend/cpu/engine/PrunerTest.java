package io.sparseretrain.backend.cpu.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparseretrain.backend.cpu.CpuBackend;
import io.sparseretrain.core.nn.Model;
import io.sparseretrain.core.nn.Parameter;
import io.sparseretrain.core.prune.PruneReport;
import io.sparseretrain.core.prune.PruneSpec;
import io.sparseretrain.core.prune.Pruner;
import io.sparseretrain.testkit.EngineFixtures;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Exactness per granularity and the "masks only shrink" rule, on the CPU backend. */
class PrunerTest {
    static CpuBackend b;

    static final String NET = """
            name: prune-net
            input: [8, 8, 4]
            classes: 8
            layers:
              - {type: conv, name: conv1, out: 8, kernel: 3, padding: 1}
              - relu
              - flatten
              - {type: linear, name: fc1, out: 64}
              - relu
              - {type: linear, name: fc2, out: 8}
            """;

    @BeforeAll
    static void open() {
        b = new CpuBackend();
    }

    @AfterAll
    static void close() {
        b.close();
    }

    private static PruneSpec spec(PruneSpec.Criterion c, PruneSpec.Scope s, PruneSpec.Allocation a, Set<String> dense, Map<String, Double> caps) {
        return new PruneSpec(c, s, PruneSpec.Granularity.UNSTRUCTURED, a, 2, 4, dense, caps, Set.of());
    }

    private static long nonzeros(Model m, String name) {
        return b.masks().countNonzero(m.parameter(name).value());
    }

    @Test
    void imPCyclesKeepExactlyTheGeometricCounts() {
        try (Model m = EngineFixtures.build(b, NET, 1)) {
            Pruner p = new Pruner(PruneSpec.globalMagnitude());
            long n = p.prunable(m).stream().mapToLong(Parameter::numel).sum();
            double s = 0.9;
            int cycles = 3;
            long previous = n;
            for (int c = 1; c <= cycles; c++) {
                double target = 1 - Math.pow(1 - s, (double) c / cycles);
                PruneReport r = p.prune(m, target, 0);
                long expected = Math.round(n * Math.pow(1 - s, (double) c / cycles));
                assertEquals(expected, r.keptAfter(), "cycle " + c);
                long nz = p.prunable(m).stream().mapToLong(q -> b.masks().countNonzero(q.value())).sum();
                assertEquals(expected, nz, "weights physically zero where masked, cycle " + c);
                assertEquals((double) (previous - expected) / previous, r.fractionPruned(), 1e-12);
                assertTrue(r.normRemoved() > 0 && r.normRemoved() < r.normBefore());
                previous = expected;
            }
            // masks only shrink: asking for a lower sparsity than the current one is refused
            assertThrows(IllegalArgumentException.class, () -> p.prune(m, 0.5, 0));
        }
    }

    @Test
    void layerwiseAllocationsAreExact() {
        try (Model m = EngineFixtures.build(b, NET, 2)) {
            new Pruner(spec(PruneSpec.Criterion.MAGNITUDE, PruneSpec.Scope.LAYERWISE, PruneSpec.Allocation.UNIFORM, Set.of(), Map.of()))
                    .prune(m, 0.75, 0);
            for (String name : List.of("conv1.weight", "fc1.weight", "fc2.weight")) {
                long size = m.parameter(name).numel();
                assertEquals(Math.round(size * 0.25), nonzeros(m, name), name);
            }
        }
        try (Model m = EngineFixtures.build(b, NET, 2)) {
            PruneReport r = new Pruner(spec(PruneSpec.Criterion.MAGNITUDE, PruneSpec.Scope.LAYERWISE, PruneSpec.Allocation.ERK, Set.of(), Map.of()))
                    .prune(m, 0.9, 0);
            assertEquals(Math.round(r.prunable() * 0.1), r.keptAfter(), "ERK meets the target exactly");
            // ERK gives the small conv layer a higher density than the large fc1
            assertTrue(nonzeros(m, "conv1.weight") / 288.0 > nonzeros(m, "fc1.weight") / 32768.0);
        }
        try (Model m = EngineFixtures.build(b, NET, 2)) {
            PruneReport r = new Pruner(spec(PruneSpec.Criterion.MAGNITUDE, PruneSpec.Scope.LAYERWISE, PruneSpec.Allocation.UNIFORM_PLUS, Set.of(), Map.of()))
                    .prune(m, 0.9, 0);
            assertEquals(288, nonzeros(m, "conv1.weight"), "uniform+: first layer dense");
            assertTrue(nonzeros(m, "fc2.weight") >= Math.ceil(512 * 0.2) - 1, "uniform+: last layer at most 80% sparse");
            assertEquals(Math.round(r.prunable() * 0.1), r.keptAfter());
        }
    }

    @Test
    void globalOverridesKeepDenseAndRespectCaps() {
        try (Model m = EngineFixtures.build(b, NET, 3)) {
            PruneReport r = new Pruner(spec(PruneSpec.Criterion.MAGNITUDE, PruneSpec.Scope.GLOBAL, PruneSpec.Allocation.UNIFORM,
                    Set.of("conv1.weight"), Map.of("fc2.weight", 0.5))).prune(m, 0.9, 0);
            assertEquals(288, nonzeros(m, "conv1.weight"));
            assertTrue(nonzeros(m, "fc2.weight") >= 256, "fc2 capped at 50% sparsity: " + nonzeros(m, "fc2.weight"));
            assertEquals(Math.round(r.prunable() * 0.1), r.keptAfter(), "total still exact");
        }
    }

    @Test
    void randomPruningIsExactAndSeeded() {
        long a, c;
        try (Model m = EngineFixtures.build(b, NET, 4)) {
            PruneReport r = new Pruner(spec(PruneSpec.Criterion.RANDOM, PruneSpec.Scope.GLOBAL, PruneSpec.Allocation.UNIFORM, Set.of(), Map.of()))
                    .prune(m, 0.8, 42);
            assertEquals(Math.round(r.prunable() * 0.2), r.keptAfter());
            a = java.util.Arrays.hashCode(b.copyToHostBytes(m.parameter("fc1.weight").mask()));
        }
        try (Model m = EngineFixtures.build(b, NET, 4)) {
            new Pruner(spec(PruneSpec.Criterion.RANDOM, PruneSpec.Scope.GLOBAL, PruneSpec.Allocation.UNIFORM, Set.of(), Map.of())).prune(m, 0.8, 42);
            c = java.util.Arrays.hashCode(b.copyToHostBytes(m.parameter("fc1.weight").mask()));
        }
        assertEquals(a, c);
    }

    @Test
    void nmAndTransposableKeepTheirPatterns() {
        try (Model m = EngineFixtures.build(b, NET, 5)) {
            PruneReport r = new Pruner(PruneSpec.nm(2, 4)).prune(m, 0.5, 0);
            for (Parameter p : m.prunableParameters()) {
                assertEquals(0, b.masks().countNMViolations(p.value(), 2, 4), p.name());
                assertEquals(p.numel() / 2, b.masks().countNonzero(p.value()), p.name() + ": exactly 2 of every 4");
            }
            assertEquals(0.5, r.sparsity(), 1e-12);
        }
        try (Model m = EngineFixtures.build(b, NET, 6)) {
            new Pruner(PruneSpec.transposable24(Set.of())).prune(m, 0.5, 0);
            Parameter fc1 = m.parameter("fc1.weight");
            float[] w = b.copyToHostFloats(fc1.value());
            int rows = 64, cols = 512;
            for (int br = 0; br < rows; br += 4) {
                for (int bc = 0; bc < cols; bc += 4) {
                    for (int i = 0; i < 4; i++) {
                        int perRow = 0, perCol = 0;
                        for (int j = 0; j < 4; j++) {
                            perRow += w[(br + i) * cols + bc + j] != 0 ? 1 : 0;
                            perCol += w[(br + j) * cols + bc + i] != 0 ? 1 : 0;
                        }
                        assertEquals(2, perRow, "block " + br + "," + bc + " row " + i);
                        assertEquals(2, perCol, "block " + br + "," + bc + " col " + i);
                    }
                }
            }
        }
    }

    @Test
    void validateNamesAWeightThePatternCannotTakeBeforeAnyWork() {
        // a 1-channel conv (K = Cin = 1) and a 10-row Linear cannot take transposable 2:4; fc1 [16, 392] can
        String odd = """
                name: odd-net
                input: [8, 8, 1]
                classes: 10
                layers:
                  - {type: conv, name: conv1, out: 8, kernel: 3, padding: 1}
                  - relu
                  - flatten
                  - {type: linear, name: fc1, out: 16}
                  - relu
                  - {type: linear, name: fc2, out: 10}
                """;
        PruneSpec t24 = PruneSpec.transposable24(Set.of());
        try (Model m = EngineFixtures.build(b, odd, 1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Pruner(t24).validate(m));
            assertTrue(e.getMessage().contains("'conv1.weight' [8, 1, 3, 3]") && e.getMessage().contains("input channels K = 1")
                    && e.getMessage().contains("pruning.dense: [conv1.weight]"), e.getMessage());
            PruneSpec conv1Dense = PruneSpec.transposable24(Set.of("conv1.weight"));
            e = assertThrows(IllegalArgumentException.class, () -> new Pruner(conv1Dense).validate(m));
            assertTrue(e.getMessage().contains("'fc2.weight' [10, 16]") && e.getMessage().contains("output rows 10"), e.getMessage());
            PruneSpec nm = PruneSpec.nm(2, 4);
            e = assertThrows(IllegalArgumentException.class, () -> new Pruner(nm).validate(m));
            assertTrue(e.getMessage().contains("granularity 2:4") && e.getMessage().contains("'conv1.weight'"), e.getMessage());
            PruneSpec ok = PruneSpec.transposable24(Set.of("conv1.weight", "fc2.weight"));
            new Pruner(ok).validate(m);
            assertEquals(java.util.List.of("fc1.weight"), new Pruner(ok).patterned(m).stream().map(p -> p.name()).toList());
            PruneSpec unknown = PruneSpec.transposable24(Set.of("conv9.weight"));
            e = assertThrows(IllegalArgumentException.class, () -> new Pruner(unknown).validate(m));
            assertTrue(e.getMessage().contains("conv9.weight"), e.getMessage());
        }
    }
}
