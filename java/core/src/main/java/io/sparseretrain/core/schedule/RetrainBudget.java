package io.sparseretrain.core.schedule;

import java.util.Arrays;

/** Retraining steps per IMP cycle: the same n for every cycle, or a total split over the cycles. */
public final class RetrainBudget {
    private RetrainBudget() {}

    /** n steps after every one of J cycles. */
    public static long[] perCycle(long steps, int cycles) {
        checkCycles(cycles);
        if (steps < 1) throw new IllegalArgumentException("a retraining cycle needs ≥ 1 step, got " + steps + " steps per cycle");
        long[] out = new long[cycles];
        Arrays.fill(out, steps);
        return out;
    }

    /**
     * ⌊total/J⌋ steps per cycle, the remainder total mod J added to the last cycle (so earlier
     * cycles, which see a less pruned model, are never longer than the last).
     */
    public static long[] splitTotal(long total, int cycles) {
        checkCycles(cycles);
        long each = total / cycles;
        if (each < 1) {
            throw new IllegalArgumentException("a total of " + total + " retraining steps over " + cycles + " cycles leaves a cycle with 0 steps");
        }
        long[] out = perCycle(each, cycles);
        out[cycles - 1] += total - each * cycles;
        return out;
    }

    private static void checkCycles(int cycles) {
        if (cycles < 1) throw new IllegalArgumentException("a budget needs ≥ 1 cycle, got " + cycles);
    }
}
