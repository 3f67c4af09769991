package io.sparseretrain.core.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** IMP keep counts and retraining budgets: exact integers, hand-computed. */
class ImpScheduleTest {
    private static long[] kept(SparsitySchedule s, long n) {
        long[] out = new long[s.cycles() + 1];
        for (int c = 0; c <= s.cycles(); c++) out[c] = s.keptAfterCycle(n, c);
        return out;
    }

    @Test
    void oneShotIsOneCycle() {
        ImpSchedule s = ImpSchedule.oneShot(0.9);
        assertEquals(1, s.cycles());
        assertArrayEquals(new long[] {1000, 100}, kept(s, 1000));
    }

    @Test
    void jCyclesKeepCountsFollowTheClosedForm() {
        // s = 0.9, J = 3: keep factor 0.1^(1/3) = 0.4641589; N = 1000 → 1000, round(464.16) = 464,
        // round(1000·0.1^(2/3) = 215.44) = 215, 100.
        ImpSchedule s = ImpSchedule.cycles(0.9, 3);
        assertEquals(0.4641589, s.keepFactor(), 1e-7);
        assertArrayEquals(new long[] {1000, 464, 215, 100}, kept(s, 1000));
        // s = 0.8, J = 4, N = 100: 0.2^(c/4) = 1, 0.66874, 0.44721, 0.29907, 0.2 → 100, 67, 45, 30, 20.
        assertArrayEquals(new long[] {100, 67, 45, 30, 20}, kept(ImpSchedule.cycles(0.8, 4), 100));
        assertEquals(0.9, s.sparsityAfterCycle(3), 1e-12);
        assertEquals(0.0, s.sparsityAfterCycle(0), 0);
    }

    @Test
    void fixedFractionCycleCountAndClippedLastCycle() {
        // q = 0.2, s = 0.9: 0.8^10 = 0.10737 > 0.1 ≥ 0.8^11 = 0.08590 → J = 11.
        // N = 1000: 800, 640, 512, round(409.6) = 410, …, c = 10: round(107.37) = 107, c = 11 clipped: 100.
        ImpSchedule s = ImpSchedule.fixedFraction(0.9, 0.2);
        assertEquals(11, s.cycles());
        long[] k = kept(s, 1000);
        assertEquals(800, k[1]);
        assertEquals(640, k[2]);
        assertEquals(512, k[3]);
        assertEquals(410, k[4]);
        assertEquals(107, k[10]);
        assertEquals(100, k[11]);
        for (int c = 1; c < k.length; c++) assertTrue(k[c] <= k[c - 1], "kept count rose at cycle " + c);
        // Exact hits: 0.8² = 0.64 = 1 − 0.36 → J = 2 despite 0.8² evaluating to 0.6400000000000001.
        assertEquals(2, ImpSchedule.fixedFraction(0.36, 0.2).cycles());
        assertEquals(1, ImpSchedule.fixedFraction(0.2, 0.2).cycles());
        assertEquals(0.2, ImpSchedule.fixedFraction(0.9, 0.2).fixedFraction(), 0);
    }

    @Test
    void sparsityErrorsNameTheValue() {
        var e = assertThrows(IllegalArgumentException.class, () -> ImpSchedule.cycles(1.0, 3));
        assertTrue(e.getMessage().contains("got 1.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ImpSchedule.cycles(0.9, 0));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ImpSchedule.fixedFraction(0.9, 0));
        assertTrue(e.getMessage().contains("q") && e.getMessage().contains("got 0.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ImpSchedule.cycles(0.9, 3).keptAfterCycle(10, 4));
        assertTrue(e.getMessage().contains("cycle 4"), e.getMessage());
    }

    @Test
    void budgetSplitting() {
        assertArrayEquals(new long[] {50, 50, 50}, RetrainBudget.perCycle(50, 3));
        // 100 over 3: ⌊100/3⌋ = 33 each, remainder 1 to the last.
        assertArrayEquals(new long[] {33, 33, 34}, RetrainBudget.splitTotal(100, 3));
        assertArrayEquals(new long[] {7}, RetrainBudget.splitTotal(7, 1));
        assertArrayEquals(new long[] {1, 1, 1}, RetrainBudget.splitTotal(3, 3));
        var e = assertThrows(IllegalArgumentException.class, () -> RetrainBudget.splitTotal(2, 3));
        assertTrue(e.getMessage().contains("total of 2") && e.getMessage().contains("3 cycles"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RetrainBudget.perCycle(0, 2));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
    }
}
