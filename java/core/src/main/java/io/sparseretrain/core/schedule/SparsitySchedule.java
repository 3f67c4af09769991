package io.sparseretrain.core.schedule;

/**
 * Sparsity after each pruning event ("cycle") c = 1..cycles(); c = 0 is the dense model. A pure
 * function like {@link LrSchedule}: it says how many weights to keep, never touches a model.
 */
public interface SparsitySchedule {
    /** Final sparsity s reached after the last cycle. */
    double target();

    /** Number of pruning events. */
    int cycles();

    /** Fraction of weights pruned after cycle c (0 for c = 0, target() for c = cycles()). */
    double sparsityAfterCycle(int c);

    /** Weights of N kept after cycle c; by default round(N·(1 − sparsityAfterCycle(c))), half up. */
    default long keptAfterCycle(long n, int c) {
        if (n < 0) throw new IllegalArgumentException("weight count N must be ≥ 0, got " + n);
        return Math.round(n * (1 - sparsityAfterCycle(c)));
    }

    static void checkSparsity(String what, double s) {
        if (!(s > 0 && s < 1)) throw new IllegalArgumentException(what + " must lie in (0, 1), got " + s);
    }

    static void checkCycle(int c, int cycles) {
        if (c < 0 || c > cycles) throw new IllegalArgumentException("cycle " + c + " is outside 0.." + cycles);
    }
}
