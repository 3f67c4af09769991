package io.sparseretrain.core.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** BIMP with T = 1000, T0 = 300, s = 0.9, J = 3: 700 IMP steps → 233, 233, 234. */
class BimpPlanTest {
    private final BimpPlan plan = new BimpPlan(1000, 300, 0.9, 3);

    @Test
    void cycleBoundaries() {
        assertEquals(3, plan.cycles());
        assertArrayEquals(new long[] {300, 533, 766}, plan.pruneSteps());
        assertEquals(233, plan.cycleLength(1));
        assertEquals(234, plan.cycleLength(3));
        assertEquals(1000, plan.cycleStart(3) + plan.cycleLength(3), "last cycle ends at T");
        // Sparsity: the target is reached at the last pruning: N = 1000 → 464, 215, 100.
        assertEquals(100, plan.sparsity().keptAfterCycle(1000, 3));
        assertEquals(464, plan.sparsity().keptAfterCycle(1000, 1));
    }

    @Test
    void denseScheduleIsLinearToZero() {
        // peak 0.1, W = 30, T0 = 300: η(0) = 0.1/30, η(29) = 0.1, η(t ≥ 30) = 0.1·(300 − t)/270,
        // η(165) = 0.05, η(299) = 0.1/270 = 0.000370370.
        LrSchedule d = plan.denseSchedule(0.1f, 30);
        assertEquals(300, d.length());
        assertEquals(0.1 / 30, d.lr(0), 1e-7);
        assertEquals(0.1, d.lr(29), 1e-7);
        assertEquals(0.05, d.lr(165), 1e-7);
        assertEquals(0.1 / 270, d.lr(299), 1e-8);
    }

    @Test
    void retrainingIsAllrWithDenseReference() {
        // Cycle 3: n = 234, W = 23; d₁ = 1/(10·√0.9) = 0.105409, d₂ = 234/300 = 0.78 → η₁ = 0.1·0.78 = 0.078.
        PretrainRecord dense = PretrainRecord.of(plan.denseSchedule(0.1f, 30), 30);
        RetrainSchedule r = plan.retrainSchedule(3, dense, new AllrInputs(10, 1, 0.9), WarmupKind.LINEAR);
        assertEquals(RetrainMethod.ALLR, r.method());
        assertEquals(234, r.length());
        assertEquals(23, r.warmup());
        AllrFactors f = r.allrFactors().orElseThrow();
        assertEquals(0.105409, f.d1(), 1e-6);
        assertEquals(0.78, f.d2(), 1e-12);
        assertEquals(0.078, r.lr(22), 1e-7);
        // η(233) = 0.078·1/(234 − 23) = 0.078/211.
        assertEquals(0.078 / 211, r.lr(233), 1e-8);
    }

    @Test
    void errorsNameTheValue() {
        var e = assertThrows(IllegalArgumentException.class, () -> new BimpPlan(1000, 1000, 0.9, 3));
        assertTrue(e.getMessage().contains("T0 = 1000") && e.getMessage().contains("T = 1000"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BimpPlan(302, 300, 0.9, 3));
        assertTrue(e.getMessage().contains("total of 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> plan.cycleStart(0));
        assertTrue(e.getMessage().contains("cycle 0"), e.getMessage());
        PretrainRecord wrong = PretrainRecord.of(Schedules.constant(0.1f, 299), 0);
        e = assertThrows(IllegalArgumentException.class, () -> plan.retrainSchedule(1, wrong, new AllrInputs(10, 1, 0.9), WarmupKind.LINEAR));
        assertTrue(e.getMessage().contains("299 steps") && e.getMessage().contains("T0 = 300"), e.getMessage());
    }
}
