package io.sparseretrain.core.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparseretrain.backend.cpu.CpuBackend;
import io.sparseretrain.core.nn.Layer;
import io.sparseretrain.core.nn.Model;
import io.sparseretrain.core.nn.ModelSpec;
import io.sparseretrain.core.prune.structured.InferenceTimer;
import io.sparseretrain.core.prune.structured.StructuredPruner;
import io.sparseretrain.core.prune.structured.StructuredResult;
import io.sparseretrain.core.prune.structured.StructuredSpec;
import io.sparseretrain.core.schedule.ImpSchedule;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * IMP cycles of structured pruning: each cycle's targets are kept counts of the dense widths,
 * re-expressed against the already compacted model, so after cycle c of J every layer holds exactly
 * round(width·(1−s)^(c/J)) (layer-wise, per-layer fractions included); global scope (one-shot only)
 * keeps exactly round(total·(1−s)).
 */
class StructuredCellTest {
    static CpuBackend b;

    static final String EQUAL = """
            name: equal-fan-in
            input: [16]
            classes: 4
            layers:
              - {type: linear, name: fc1, out: 16}
              - relu
              - {type: linear, name: fc2, out: 16}
              - relu
              - {type: linear, name: fc3, out: 16}
              - relu
              - {type: linear, name: fc4, out: 4}
            """;

    @BeforeAll
    static void open() {
        b = new CpuBackend();
    }

    @AfterAll
    static void close() {
        b.close();
    }

    private static Map<String, Integer> widths(Model m, StructuredSpec spec) {
        Map<String, Integer> w = new LinkedHashMap<>();
        StructuredSpec any = new StructuredSpec(0, spec.norm(), StructuredSpec.Scope.LAYERWISE, spec.layers(), Map.of());  // no fan-in check
        for (Layer l : StructuredPruner.rankable(m, any)) w.put(l.name(), l.outputShape().channels());
        return w;
    }

    /** Runs the cycles' compactions (no training) and returns the widths after each cycle. */
    private static Map<Integer, Map<String, Integer>> cycles(StructuredSpec target, int j) {
        Map<Integer, Map<String, Integer>> out = new LinkedHashMap<>();
        ImpSchedule imp = ImpSchedule.cycles(target.sparsity(), j);
        Model dense = ModelSpec.parse("t", EQUAL).build(b, 3);
        Map<String, Integer> denseWidths = widths(dense, target);
        Model cur = dense;
        for (int c = 1; c <= j; c++) {
            double e = Math.log(imp.keptFractionAfterCycle(c)) / Math.log(1 - target.sparsity());
            StructuredSpec rel = StructuredCell.relativeTo(cur, target.atFraction(e), denseWidths);
            StructuredResult r = StructuredPruner.compact(cur, rel, InferenceTimer.Timing.NONE);
            cur.close();
            cur = r.model();
            out.put(c, widths(cur, target));
        }
        cur.close();
        return out;
    }

    @Test
    void layerwiseCyclesReachExactCountsOfTheDenseWidths() {
        StructuredSpec s = new StructuredSpec(0.75, StructuredSpec.Norm.L2, StructuredSpec.Scope.LAYERWISE, Set.of(), Map.of("fc2", 0.5));
        Map<Integer, Map<String, Integer>> w = cycles(s, 2);
        // (1−0.75)^(1/2) = 0.5: 16 → 8; fc2 (1−0.5)^(1/2) = 0.7071: 16 → round(11.31) = 11; then the targets 4 and 8
        assertEquals(Map.of("fc1", 8, "fc2", 11, "fc3", 8), w.get(1));
        assertEquals(Map.of("fc1", 4, "fc2", 8, "fc3", 4), w.get(2));
    }

    @Test
    void globalOneShotKeepsTheExactTotal() {
        // global scope is one-shot only (the recipe refuses IMP): after a compaction the fan-ins differ
        StructuredSpec s = new StructuredSpec(0.75, StructuredSpec.Norm.L1, StructuredSpec.Scope.GLOBAL);
        Map<Integer, Map<String, Integer>> w = cycles(s, 1);
        assertEquals(12, w.get(1).values().stream().mapToInt(Integer::intValue).sum(), "round(48·0.25) " + w.get(1));
    }
}
