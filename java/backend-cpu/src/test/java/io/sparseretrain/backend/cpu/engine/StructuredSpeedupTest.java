package io.sparseretrain.backend.cpu.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparseretrain.backend.cpu.CpuBackend;
import io.sparseretrain.core.nn.Model;
import io.sparseretrain.core.prune.structured.StructuredPruner;
import io.sparseretrain.core.prune.structured.StructuredReport;
import io.sparseretrain.core.prune.structured.StructuredResult;
import io.sparseretrain.core.prune.structured.StructuredSpec;
import io.sparseretrain.testkit.EngineFixtures;
import org.junit.jupiter.api.Test;

/**
 * The report of the compacted 784-1024-1024-10 MLP at 50 % structured sparsity: exact multiply-adds
 * and theoretical speedup, and a measured CPU speedup that is present and positive. How fast is a
 * benchmark's question, not a test's (timings on a shared machine flake): the measured numbers are in
 * bench/results/structured-speedup-2026-11-23.md.
 */
class StructuredSpeedupTest {
    static final String WIDE = """
            name: wide-mlp
            input: [784]
            classes: 10
            layers:
              - {type: linear, name: fc1, out: 1024}
              - relu
              - {type: linear, name: fc2, out: 1024}
              - relu
              - {type: linear, name: fc3, out: 10}
            """;

    @Test
    void reportCountsMultiplyAddsAndMeasuresBothModels() {
        try (CpuBackend b = new CpuBackend(); Model m = EngineFixtures.build(b, WIDE, 3);
             StructuredResult r = StructuredPruner.compact(m, 0.5, StructuredSpec.Norm.L2)) {
            StructuredReport rep = r.report();
            System.out.print(rep.format());
            assertEquals(784L * 1024 + 1024L * 1024 + 1024L * 10, rep.macsBefore());
            assertEquals(784L * 512 + 512L * 512 + 512L * 10, rep.macsAfter());
            assertEquals((double) rep.macsBefore() / rep.macsAfter(), rep.theoreticalSpeedup(), 1e-12);
            assertTrue(Double.isFinite(rep.measuredSpeedup()) && rep.msBefore() > 0 && rep.msAfter() > 0,
                    "measured speedup " + rep.measuredSpeedup() + " (" + rep.msBefore() + " ms → " + rep.msAfter() + " ms)");
        }
    }
}
