package io.sparseretrain.core.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Hand-computed values. The shared record is pre = warmupLinear(0.1, 0.001, 10, 100):
 * pre[t] = 0.1·(t+1)/10 for t &lt; 10, pre[t] = 0.1 − 0.099·(t−10)/89 for t ≥ 10, so
 * η_max = 0.1 (pre[9] = pre[10]), η_T = pre[99] = 0.001, η_min = min(pre[10..99]) = 0.001.
 * Float inputs make values exact only to ~1e-7 relative; 1e-6 absolute is far below any step
 * difference tested.
 */
class RetrainScheduleTest {
    private static final double EPS = 1e-6;
    private static final PretrainRecord PRE = PretrainRecord.of(Schedules.warmupLinear(0.1f, 0.001f, 10, 100), 10);

    private static void near(double expected, float actual, String what) {
        assertEquals(expected, actual, EPS, what);
    }

    @Test
    void pretrainRecordSummaries() {
        assertEquals(0.1, PRE.etaMax(), EPS);
        assertEquals(0.001, PRE.etaLast(), EPS);
        assertEquals(0.001, PRE.etaMin(), EPS);
        // η_min skips the warm-up: {0.0, 0.5 | 1.0, 0.8, 0.6} with Wpre = 2 → 0.6, not 0.0.
        PretrainRecord small = new PretrainRecord(new float[] {0f, 0.5f, 1f, 0.8f, 0.6f}, 2);
        assertEquals(0.6f, small.etaMin());
        assertEquals(1f, small.etaMax());
        assertEquals(0.6f, small.etaLast());
    }

    @Test
    void ftIsTheLastPretrainingLr() {
        RetrainSchedule s = RetrainSchedule.create("ft", PRE, 20, WarmupKind.LINEAR, null);
        assertEquals(0, s.warmup());
        for (int t = 0; t < 20; t++) near(0.001, s.lr(t), "ft step " + t);
    }

    @Test
    void ftRejectsZeroLastLr() {
        PretrainRecord toZero = PretrainRecord.of(Schedules.warmupLinear(0.1f, 0f, 10, 100), 10);
        var e = assertThrows(IllegalArgumentException.class, () -> RetrainSchedule.ft(toZero, 20));
        assertTrue(e.getMessage().contains("η_T = pre[99] = 0.0"), e.getMessage());
    }

    @Test
    void lrwRewindsTheTail() {
        // n = 20: η(t) = pre[80 + t]; pre[80] = 0.1 − 0.099·70/89 = 0.1 − 0.0778652 = 0.0221348.
        RetrainSchedule s = RetrainSchedule.create("LRW", PRE, 20, WarmupKind.LINEAR, null);
        assertEquals(0, s.warmup());
        near(0.0221348, s.lr(0), "lrw step 0");
        near(0.001, s.lr(19), "lrw last step = η_T");
        // n = P replays the whole record, warm-up included: η(0) = pre[0] = 0.01.
        RetrainSchedule full = RetrainSchedule.lrw(PRE, 100);
        near(0.01, full.lr(0), "lrw n=P step 0");
        assertArrayEquals(PRE.lr(), full.record());
        var e = assertThrows(IllegalArgumentException.class, () -> RetrainSchedule.lrw(PRE, 101));
        assertTrue(e.getMessage().contains("n = 101") && e.getMessage().contains("P = 100"), e.getMessage());
    }

    @Test
    void slrCompressesTheRecord() {
        // n = 20 → W = 2; η(0) = 0.1·1/2 = 0.05, η(1) = 0.1. η(2 + j) = pre'[⌊j·100/18⌋]:
        // j = 0 → pre'[0] = η_max (warm-up replaced); j = 1 → ⌊5.56⌋ = 5, still warm-up → 0.1;
        // j = 2 → ⌊11.1⌋ = 11 → 0.1 − 0.099/89 = 0.0988876; j = 17 → ⌊94.4⌋ = 94 → 0.1 − 0.099·84/89 = 0.0065618.
        RetrainSchedule s = RetrainSchedule.create("slr", PRE, 20, WarmupKind.LINEAR, null);
        assertEquals(2, s.warmup());
        near(0.05, s.lr(0), "slr warm-up 0");
        near(0.1, s.lr(1), "slr warm-up 1");
        near(0.1, s.lr(2), "slr j=0");
        near(0.1, s.lr(3), "slr j=1");
        near(0.0988876, s.lr(4), "slr j=2");
        near(0.0065618, s.lr(19), "slr j=17");
    }

    @Test
    void slrExactIndexingOnASmallRecord() {
        // pre = {0, 0.5 | 1, 0.8, 0.6}, Wpre = 2 → pre' = {1, 1, 1, 0.8, 0.6}. n = 10 → W = 1, 9 steps left:
        // index ⌊5j/9⌋ for j = 0..8 = 0,0,1,1,2,2,3,3,4; η(0) = 1·1/1 = 1.
        PretrainRecord small = new PretrainRecord(new float[] {0f, 0.5f, 1f, 0.8f, 0.6f}, 2);
        float[] expected = {1f, 1f, 1f, 1f, 1f, 1f, 1f, 0.8f, 0.8f, 0.6f};
        assertArrayEquals(expected, RetrainSchedule.slr(small, 10, WarmupKind.LINEAR).record());
        // n = 1: W = 0, the single step samples pre'[0] = η_max.
        assertArrayEquals(new float[] {1f}, RetrainSchedule.slr(small, 1, WarmupKind.LINEAR).record());
    }

    @Test
    void clrCosineFromMaxToMin() {
        // n = 21 → W = 2, cosine over span n−1−W = 18: η(2) = 0.1, η(11) = (0.1 + 0.001)/2 = 0.0505, η(20) = 0.001.
        RetrainSchedule s = RetrainSchedule.create("Clr", PRE, 21, WarmupKind.LINEAR, null);
        near(0.05, s.lr(0), "clr warm-up 0");
        near(0.1, s.lr(2), "clr start");
        near(0.0505, s.lr(11), "clr midpoint");
        near(0.001, s.lr(20), "clr last = η_min");
        // n = 9 → W = 0, span 8: η(0) = 0.1, η(4) = 0.0505, η(8) = 0.001.
        RetrainSchedule short9 = RetrainSchedule.clr(PRE, 9, WarmupKind.LINEAR);
        assertEquals(0, short9.warmup());
        near(0.1, short9.lr(0), "clr n=9 start");
        near(0.0505, short9.lr(4), "clr n=9 midpoint");
        near(0.001, short9.lr(8), "clr n=9 end");
        near(0.1, RetrainSchedule.clr(PRE, 1, WarmupKind.LINEAR).lr(0), "clr n=1 is η_max");
    }

    @Test
    void llrLinearToZeroAtStepN() {
        // n = 20 → W = 2: η(0) = 0.05, η(1) = 0.1, η(t) = 0.1·(20 − t)/18: η(2) = 0.1, η(11) = 0.05, η(19) = 0.1/18.
        RetrainSchedule s = RetrainSchedule.create("llr", PRE, 20, WarmupKind.LINEAR, null);
        near(0.05, s.lr(0), "llr warm-up 0");
        near(0.1, s.lr(1), "llr warm-up 1");
        near(0.1, s.lr(2), "llr start");
        near(0.05, s.lr(11), "llr midpoint");
        near(0.1 / 18, s.lr(19), "llr last");
        assertTrue(s.lr(19) > 0, "llr never spends a step at 0");
        // n = 9 → W = 0: η(0) = 0.1·9/9 = 0.1, η(8) = 0.1/9. n = 1: 0.1.
        near(0.1, RetrainSchedule.llr(PRE, 9, WarmupKind.LINEAR).lr(0), "llr n=9 start");
        near(0.1 / 9, RetrainSchedule.llr(PRE, 9, WarmupKind.LINEAR).lr(8), "llr n=9 end");
        assertArrayEquals(new float[] {0.1f}, RetrainSchedule.llr(PRE, 1, WarmupKind.LINEAR).record(), 1e-6f);
    }

    @Test
    void cosineWarmup() {
        // n = 40 → W = 4: cosine η(0) = 0.1·(1 − cos(π/4))/2 = 0.0146447, η(1) = 0.1·(1 − cos(π/2))/2 = 0.05,
        // η(3) = 0.1; linear η(0) = 0.1·1/4 = 0.025.
        RetrainSchedule cos = RetrainSchedule.create("llr", PRE, 40, WarmupKind.parse("Cosine"), null);
        near(0.0146447, cos.lr(0), "cosine warm-up 0");
        near(0.05, cos.lr(1), "cosine warm-up 1");
        near(0.1, cos.lr(3), "cosine warm-up end");
        near(0.025, RetrainSchedule.llr(PRE, 40, WarmupKind.LINEAR).lr(0), "linear warm-up 0");
    }

    @Test
    void allrDiscountsThePeak() {
        // ‖θ‖ = 10, ‖θ − θ_p‖ = 3, s = 0.9: d₁ = 3/(10·√0.9) = 3/9.486833 = 0.3162278; n = 20, P = 100: d₂ = 0.2.
        // η₁ = 0.1·0.3162278 = 0.03162278; W = 2: η(0) = η₁/2, η(19) = η₁·1/18 = 0.00175682.
        RetrainSchedule s = RetrainSchedule.create("ALLR", PRE, 20, WarmupKind.LINEAR, new AllrInputs(10, 3, 0.9));
        AllrFactors f = s.allrFactors().orElseThrow();
        assertEquals(0.3162278, f.d1(), 1e-7);
        assertEquals(0.2, f.d2(), 1e-12);
        assertEquals(0.03162278, f.eta1(), 1e-8);
        near(0.01581139, s.lr(0), "allr warm-up 0");
        near(0.03162278, s.lr(1), "allr peak");
        near(0.00175682, s.lr(19), "allr last");
    }

    @Test
    void allrDiscountClippedAtOne() {
        // d₁ = 9/(10·√0.5) = 1.2728 > 1 → η₁ = η_max.
        AllrFactors f1 = RetrainSchedule.allr(PRE, 20, WarmupKind.LINEAR, new AllrInputs(10, 9, 0.5), 100).allrFactors().orElseThrow();
        assertEquals(1.2727922, f1.d1(), 1e-6);
        assertEquals(0.1, f1.eta1(), EPS);
        // d₂ = 200/100 = 2 > 1 → η₁ = η_max; n = 200 > P is fine for ALLR.
        AllrFactors f2 = RetrainSchedule.allr(PRE, 200, WarmupKind.LINEAR, new AllrInputs(10, 0.1, 0.5), 100).allrFactors().orElseThrow();
        assertEquals(2.0, f2.d2(), 1e-12);
        assertEquals(1.0, f2.discount(), 0);
        assertEquals(0.1, f2.eta1(), EPS);
    }

    @Test
    void allrBimpReferenceLength() {
        // BIMP: d₂ = n/T0 = 20/40 = 0.5 beats d₁ = 0.316 → η₁ = 0.05.
        RetrainSchedule s = RetrainSchedule.allr(PRE, 20, WarmupKind.LINEAR, new AllrInputs(10, 3, 0.9), 40);
        assertEquals(0.5, s.allrFactors().orElseThrow().d2(), 1e-12);
        near(0.05, s.lr(1), "allr bimp peak");
        assertTrue(RetrainSchedule.llr(PRE, 20, WarmupKind.LINEAR).allrFactors().isEmpty());
    }

    @Test
    void errorsNameTheValue() {
        var e = assertThrows(IllegalArgumentException.class, () -> RetrainSchedule.create("cyclic", PRE, 20, WarmupKind.LINEAR, null));
        assertTrue(e.getMessage().contains("'cyclic'") && e.getMessage().contains("ft, lrw, slr, clr, llr, allr"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RetrainSchedule.create("llr", PRE, 0, WarmupKind.LINEAR, null));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RetrainSchedule.create("allr", PRE, 20, WarmupKind.LINEAR, null));
        assertTrue(e.getMessage().contains("AllrInputs"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> WarmupKind.parse("step"));
        assertTrue(e.getMessage().contains("'step'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new AllrInputs(10, 3, 0));
        assertTrue(e.getMessage().contains("got 0.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new PretrainRecord(new float[] {0.1f, 0.2f}, 2));
        assertTrue(e.getMessage().contains("2 steps") && e.getMessage().contains("P = 2"), e.getMessage());
        var oob = assertThrows(IndexOutOfBoundsException.class, () -> RetrainSchedule.llr(PRE, 20, WarmupKind.LINEAR).lr(20));
        assertTrue(oob.getMessage().contains("step 20"), oob.getMessage());
    }

    @Test
    void warmupIsTenPercentFloored() {
        assertEquals(0, RetrainSchedule.warmupSteps(9));
        assertEquals(1, RetrainSchedule.warmupSteps(10));
        assertEquals(2, RetrainSchedule.warmupSteps(29));
        assertEquals(2, RetrainSchedule.llr(PRE, 29, WarmupKind.LINEAR).warmup());
        assertEquals(0, RetrainSchedule.lrw(PRE, 29).warmup());
    }
}
