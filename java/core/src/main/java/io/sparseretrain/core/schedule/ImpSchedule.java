package io.sparseretrain.core.schedule;

/**
 * Iterative magnitude pruning's sparsity per cycle, in one of two forms:
 * <ul>
 *   <li>J cycles to target s ({@link #cycles(double, int)}; one-shot is J = 1): each cycle keeps
 *       the fraction (1−s)^(1/J) of the surviving weights, so after cycle c of J the kept count is
 *       exactly round(N·(1−s)^(c/J)). Counts are computed from that closed form, not by
 *       multiplying per-cycle rounded counts, so rounding never accumulates.
 *   <li>a fixed fraction q of the survivors per cycle (Renda et al.: q = 0.2) until the target
 *       ({@link #fixedFraction(double, double)}): J = the smallest integer with (1−q)^J ≤ 1−s;
 *       kept after cycle c &lt; J is round(N·(1−q)^c); the last cycle is clipped to the target,
 *       round(N·(1−s)).
 * </ul>
 * round is {@link Math#round(double)}: half up.
 */
public final class ImpSchedule implements SparsitySchedule {
    /** Relative slack for (1−q)^J ≤ 1−s, so q = 0.2, s = 0.36 gives J = 2 despite 0.8² = 0.6400000000000001. */
    private static final double SLACK = 1e-12;

    private final double target;
    private final int cycles;
    /** NaN for the J-cycle form; q for the fixed-fraction form. */
    private final double q;

    private ImpSchedule(double target, int cycles, double q) {
        this.target = target;
        this.cycles = cycles;
        this.q = q;
    }

    /** One cycle straight to s. */
    public static ImpSchedule oneShot(double target) {
        return cycles(target, 1);
    }

    /** J cycles with equal per-cycle keep factor (1−s)^(1/J). */
    public static ImpSchedule cycles(double target, int cycles) {
        SparsitySchedule.checkSparsity("target sparsity s", target);
        if (cycles < 1) throw new IllegalArgumentException("IMP needs J ≥ 1 cycles, got " + cycles);
        return new ImpSchedule(target, cycles, Double.NaN);
    }

    /** Prune q of the survivors each cycle; the last cycle stops at s. */
    public static ImpSchedule fixedFraction(double target, double q) {
        SparsitySchedule.checkSparsity("target sparsity s", target);
        SparsitySchedule.checkSparsity("per-cycle fraction q", q);
        double keep = 1 - target;
        int j = 1;
        while (Math.pow(1 - q, j) > keep * (1 + SLACK)) j++;
        return new ImpSchedule(target, j, q);
    }

    @Override
    public double target() {
        return target;
    }

    @Override
    public int cycles() {
        return cycles;
    }

    /** q of the fixed-fraction form, NaN for the J-cycle form. */
    public double fixedFraction() {
        return q;
    }

    /** Fraction of the survivors one cycle keeps: (1−s)^(1/J), or 1−q (except the clipped last cycle). */
    public double keepFactor() {
        return Double.isNaN(q) ? Math.pow(1 - target, 1.0 / cycles) : 1 - q;
    }

    /** Fraction kept after cycle c: (1−s)^(c/J), or (1−q)^c for c &lt; J and 1−s at c = J. */
    public double keptFractionAfterCycle(int c) {
        SparsitySchedule.checkCycle(c, cycles);
        if (c == cycles) return 1 - target;
        return Double.isNaN(q) ? Math.pow(1 - target, (double) c / cycles) : Math.pow(1 - q, c);
    }

    @Override
    public double sparsityAfterCycle(int c) {
        return 1 - keptFractionAfterCycle(c);
    }

    @Override
    public long keptAfterCycle(long n, int c) {
        if (n < 0) throw new IllegalArgumentException("weight count N must be ≥ 0, got " + n);
        return Math.round(n * keptFractionAfterCycle(c));
    }

    @Override
    public String toString() {
        return Double.isNaN(q) ? "IMP[s=" + target + ", J=" + cycles + "]" : "IMP[s=" + target + ", q=" + q + ", J=" + cycles + "]";
    }
}
