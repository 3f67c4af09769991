package io.sparseretrain.core.schedule;

import java.util.ArrayList;
import java.util.List;

/**
 * Gradual magnitude pruning (Zhu &amp; Gupta, 2017): s(t) = s_f·(1 − (1 − (t − t0)/(n·Δt))³) for
 * t0 ≤ t ≤ t0 + n·Δt, s(t) = 0 before t0 and s_f after. Pruning happens at the n + 1 steps
 * t0 + c·Δt, c = 0..n (the paper's set; the event at c = 0 prunes to 0 and so keeps every
 * weight). As a {@link SparsitySchedule}, cycle c is the event at step t0 + c·Δt and cycles() = n.
 * The cubic prunes fast while many redundant weights remain and slowly near the target.
 */
public final class GmpSchedule implements SparsitySchedule {
    /** One pruning event: at optimizer step {@code step} prune to {@code sparsity}. */
    public record PruneEvent(long step, double sparsity) {}

    private final double finalSparsity;
    private final long start;
    private final int events;
    private final long interval;

    /**
     * @param finalSparsity s_f in (0, 1)
     * @param start t0 ≥ 0, the first pruning step
     * @param events n ≥ 1, the number of pruning intervals
     * @param interval Δt ≥ 1, steps between pruning events
     */
    public GmpSchedule(double finalSparsity, long start, int events, long interval) {
        SparsitySchedule.checkSparsity("final sparsity s_f", finalSparsity);
        if (start < 0) throw new IllegalArgumentException("GMP start step t0 must be ≥ 0, got " + start);
        if (events < 1) throw new IllegalArgumentException("GMP needs n ≥ 1 pruning intervals, got " + events);
        if (interval < 1) throw new IllegalArgumentException("GMP pruning interval Δt must be ≥ 1 step, got " + interval);
        this.finalSparsity = finalSparsity;
        this.start = start;
        this.events = events;
        this.interval = interval;
    }

    /** s(t), the cubic target at any step (continuous in t; masks change only at {@link #pruneEvents}). */
    public double sparsityAt(long t) {
        if (t <= start) return 0;
        long span = events * interval;
        if (t >= start + span) return finalSparsity;
        double x = 1 - (double) (t - start) / span;
        return finalSparsity * (1 - x * x * x);
    }

    /** Step of event c: t0 + c·Δt. */
    public long pruneStep(int c) {
        SparsitySchedule.checkCycle(c, events);
        return start + c * interval;
    }

    /** The n + 1 events (t0 + c·Δt, s(t0 + c·Δt)) for c = 0..n, in step order. */
    public List<PruneEvent> pruneEvents() {
        List<PruneEvent> out = new ArrayList<>(events + 1);
        for (int c = 0; c <= events; c++) out.add(new PruneEvent(pruneStep(c), sparsityAfterCycle(c)));
        return out;
    }

    /** Last step of the ramp, t0 + n·Δt; s = s_f from here on. */
    public long endStep() {
        return start + events * interval;
    }

    @Override
    public double target() {
        return finalSparsity;
    }

    @Override
    public int cycles() {
        return events;
    }

    /** s_f·(1 − (1 − c/n)³), computed from c directly so the last event is exactly s_f. */
    @Override
    public double sparsityAfterCycle(int c) {
        SparsitySchedule.checkCycle(c, events);
        double x = 1 - (double) c / events;
        return finalSparsity * (1 - x * x * x);
    }

    @Override
    public String toString() {
        return "GMP[s_f=" + finalSparsity + ", t0=" + start + ", n=" + events + ", Δt=" + interval + "]";
    }
}
