package io.sparseretrain.core.schedule;

/**
 * Budgeted IMP (Zimmer et al., 2023): within a total of T steps, train dense from scratch for T0
 * steps with a linear schedule ({@link #denseSchedule}), then run IMP with J cycles in the
 * remaining T − T0 steps. Cycle c = 1..J prunes at step {@link #cycleStart(int)} to the sparsity of
 * {@code ImpSchedule.cycles(s, J)} after cycle c and retrains for {@link #cycleLength(int)} steps
 * with ALLR whose d₂ = n_c / T0. Cycle lengths are ⌊(T−T0)/J⌋, the remainder going to the last
 * cycle, so the target sparsity is reached at the last pruning and training ends at step T.
 */
public final class BimpPlan {
    private final long total;
    private final long dense;
    private final ImpSchedule sparsity;
    private final long[] lengths;
    private final long[] starts;

    public BimpPlan(long total, long dense, double target, int cycles) {
        if (dense < 1 || dense >= total) {
            throw new IllegalArgumentException("BIMP's dense phase T0 = " + dense + " must satisfy 1 ≤ T0 < T = " + total);
        }
        this.total = total;
        this.dense = dense;
        this.sparsity = ImpSchedule.cycles(target, cycles);
        this.lengths = RetrainBudget.splitTotal(total - dense, cycles);
        this.starts = new long[cycles];
        long at = dense;
        for (int c = 0; c < cycles; c++) {
            starts[c] = at;
            at += lengths[c];
        }
    }

    /** T. */
    public long totalSteps() {
        return total;
    }

    /** T0, the dense phase; also ALLR's d₂ reference. */
    public long denseSteps() {
        return dense;
    }

    /** J. */
    public int cycles() {
        return lengths.length;
    }

    /** Sparsity per cycle: ImpSchedule.cycles(s, J). */
    public ImpSchedule sparsity() {
        return sparsity;
    }

    /** Step at which cycle c (1..J) prunes, = T0 + lengths of cycles 1..c−1. */
    public long cycleStart(int c) {
        checkCycle(c);
        return starts[c - 1];
    }

    /** Retraining steps of cycle c (1..J). */
    public long cycleLength(int c) {
        checkCycle(c);
        return lengths[c - 1];
    }

    /** The J pruning steps, in order. */
    public long[] pruneSteps() {
        return starts.clone();
    }

    /** The dense phase's LR: warm-up then linear to 0 over T0 steps ({@link Schedules#warmupLinearToZero}). */
    public LrSchedule denseSchedule(float peak, long warmup) {
        return Schedules.warmupLinearToZero(peak, warmup, dense);
    }

    /**
     * ALLR for cycle c: n = cycleLength(c), d₂ = n/T0, η_max = max of the dense phase's record,
     * which must cover exactly T0 steps.
     */
    public RetrainSchedule retrainSchedule(int c, PretrainRecord denseRecord, AllrInputs report, WarmupKind kind) {
        checkCycle(c);
        if (denseRecord.steps() != dense) {
            throw new IllegalArgumentException("BIMP's dense record has " + denseRecord.steps() + " steps, expected T0 = " + dense);
        }
        return RetrainSchedule.allr(denseRecord, lengths[c - 1], kind, report, dense);
    }

    private void checkCycle(int c) {
        if (c < 1 || c > lengths.length) throw new IllegalArgumentException("BIMP cycle " + c + " is outside 1.." + lengths.length);
    }

    @Override
    public String toString() {
        return "BIMP[T=" + total + ", T0=" + dense + ", " + sparsity + "]";
    }
}
