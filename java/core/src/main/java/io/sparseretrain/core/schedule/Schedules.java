package io.sparseretrain.core.schedule;

/**
 * The standard (pretraining) schedules. Warm-up is linear from 0: η(t) = peak·(t+1)/W for t < W, so
 * the peak is reached at the last warm-up step and no step is wasted at η = 0.
 */
public final class Schedules {
    private Schedules() {}

    private static void checkSteps(long n) {
        if (n <= 0) throw new IllegalArgumentException("a schedule needs at least one step, got " + n);
    }

    private static void checkWarmup(long w, long n) {
        if (w < 0 || w >= n) throw new IllegalArgumentException("warm-up of " + w + " steps does not fit a schedule of " + n + " steps");
    }

    public static LrSchedule constant(float lr, long n) {
        checkSteps(n);
        return of(n, t -> lr);
    }

    /**
     * Linear warm-up 0→peak over {@code warmup} steps, then linear from peak to {@code end} at the last
     * step (the standard dense recipe: peak 0.1, one epoch of warm-up, end 1e-3).
     */
    public static LrSchedule warmupLinear(float peak, float end, long warmup, long n) {
        checkSteps(n);
        checkWarmup(warmup, n);
        return of(n, t -> {
            if (t < warmup) return peak * (t + 1) / warmup;
            long span = n - 1 - warmup;
            if (span <= 0) return peak;
            return (float) (peak + (end - peak) * (double) (t - warmup) / span);
        });
    }

    /** Linear warm-up, then cosine from peak to {@code end} at the last step. */
    public static LrSchedule warmupCosine(float peak, float end, long warmup, long n) {
        checkSteps(n);
        checkWarmup(warmup, n);
        return of(n, t -> {
            if (t < warmup) return peak * (t + 1) / warmup;
            long span = n - 1 - warmup;
            if (span <= 0) return peak;
            double progress = (double) (t - warmup) / span;
            return (float) (end + 0.5 * (peak - end) * (1 + Math.cos(Math.PI * progress)));
        });
    }

    /**
     * Linear warm-up, then linear decay that would reach 0 at step n, one past the end:
     * η(t) = peak·(n−t)/(n−W) for t ≥ W, so the last step is peak/(n−W), small but nonzero. This is
     * LLR's shape and BIMP's dense phase ("trains from scratch using a linear schedule").
     */
    public static LrSchedule warmupLinearToZero(float peak, long warmup, long n) {
        checkSteps(n);
        checkWarmup(warmup, n);
        return of(n, t -> t < warmup ? peak * (t + 1) / warmup : (float) ((double) peak * (n - t) / (n - warmup)));
    }

    /** Step decay: peak·gamma^(number of milestones ≤ t), milestones in steps. */
    public static LrSchedule stepDecay(float peak, float gamma, long[] milestones, long warmup, long n) {
        checkSteps(n);
        checkWarmup(warmup, n);
        long[] ms = milestones.clone();
        java.util.Arrays.sort(ms);
        return of(n, t -> {
            if (t < warmup) return peak * (t + 1) / warmup;
            int k = 0;
            while (k < ms.length && ms[k] <= t) k++;
            return (float) (peak * Math.pow(gamma, k));
        });
    }

    /** A recorded curve replayed as is. */
    public static LrSchedule recorded(float[] values) {
        float[] v = values.clone();
        checkSteps(v.length);
        return of(v.length, t -> v[(int) t]);
    }

    interface StepFunction {
        float at(long t);
    }

    static LrSchedule of(long n, StepFunction f) {
        return new LrSchedule() {
            @Override
            public float lr(long step) {
                if (step < 0 || step >= n) throw new IndexOutOfBoundsException("step " + step + " is outside the schedule's " + n + " steps");
                return f.at(step);
            }

            @Override
            public long length() {
                return n;
            }
        };
    }
}
