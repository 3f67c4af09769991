package io.sparseretrain.core.schedule;

import java.util.Optional;

/**
 * One retraining cycle's LR, η(t) for t = 0..n−1, derived from the pretraining record {@code pre}
 * (P steps; η_max, η_T, η_min as in {@link PretrainRecord}). SLR, CLR, LLR and ALLR start with a
 * warm-up of W = ⌊0.1·n⌋ steps from 0 to their peak, η(t) = peak·f(t) with f from
 * {@link WarmupKind} (linear: (t+1)/W); FT and LRW have none (W = 0). After the warm-up:
 * <ul>
 *   <li>FT: η(t) = η_T.
 *   <li>LRW: η(t) = pre[P − n + t] (requires n ≤ P).
 *   <li>SLR: peak η_max; η(W + j) = pre'[⌊j·P/(n−W)⌋] for j = 0..n−W−1, where pre' is pre with
 *       its warm-up entries pre[0..Wpre−1] replaced by η_max (the whole record, compressed — or
 *       stretched when n−W &gt; P — uniformly in time; the index is exact integer arithmetic).
 *   <li>CLR: peak η_max; η(t) = η_min + (η_max − η_min)·(1 + cos(π(t−W)/(n−1−W)))/2, so η(W) =
 *       η_max and η(n−1) = η_min. If n−1−W = 0 (only n = 1) the single step is η_max.
 *   <li>LLR: peak η_max; η(t) = η_max·(n−t)/(n−W), i.e. the line reaches 0 at step n, one past the
 *       end, so the last step is η_max/(n−W) — small but nonzero (no step is spent at η = 0).
 *   <li>ALLR: as LLR with peak η₁ = η_max·min(1, max(d₁, d₂)); see {@link AllrFactors}.
 * </ul>
 * Values are computed in double and rounded to float once.
 */
public final class RetrainSchedule implements LrSchedule {
    private final RetrainMethod method;
    private final long n;
    private final long warmup;
    private final WarmupKind warmupKind;
    private final double peak;
    private final AllrFactors allr;
    private final Schedules.StepFunction after;

    private RetrainSchedule(RetrainMethod method, long n, WarmupKind kind, double peak, AllrFactors allr, Schedules.StepFunction after) {
        this.method = method;
        this.n = n;
        this.warmup = method.warmsUp() ? warmupSteps(n) : 0;
        this.warmupKind = kind;
        this.peak = peak;
        this.allr = allr;
        this.after = after;
    }

    /** W = ⌊0.1·n⌋ computed as n/10 in integers, so 0.1's binary rounding cannot shift it. */
    public static long warmupSteps(long n) {
        return n / 10;
    }

    /**
     * The schedule named {@code name} (ft, lrw, slr, clr, llr, allr; case-insensitive). ALLR needs
     * {@code report} and takes d₂ = n/P; use {@link #allr} to give another reference length (BIMP).
     * {@code report} is ignored by the other schedules and may be null for them.
     */
    public static RetrainSchedule create(String name, PretrainRecord pre, long n, WarmupKind kind, AllrInputs report) {
        RetrainMethod m = RetrainMethod.parse(name);
        return switch (m) {
            case FT -> ft(pre, n);
            case LRW -> lrw(pre, n);
            case SLR -> slr(pre, n, kind);
            case CLR -> clr(pre, n, kind);
            case LLR -> llr(pre, n, kind);
            case ALLR -> {
                if (report == null) throw new IllegalArgumentException("allr needs a AllrInputs (‖θ‖₂, ‖θ − θ_p‖₂, s); got null");
                yield allr(pre, n, kind, report, pre.steps());
            }
        };
    }

    public static RetrainSchedule ft(PretrainRecord pre, long n) {
        checkSteps(n);
        double etaT = pre.etaLast();
        if (etaT == 0) {
            throw new IllegalArgumentException("ft retrains at the last pretraining LR η_T = pre[" + (pre.steps() - 1) + "] = 0.0, which would not train; use llr or allr");
        }
        return new RetrainSchedule(RetrainMethod.FT, n, WarmupKind.LINEAR, etaT, null, t -> (float) etaT);
    }

    public static RetrainSchedule lrw(PretrainRecord pre, long n) {
        checkSteps(n);
        int p = pre.steps();
        if (n > p) throw new IllegalArgumentException("lrw rewinds n = " + n + " steps into a pretraining record of only P = " + p + " steps");
        int offset = (int) (p - n);
        return new RetrainSchedule(RetrainMethod.LRW, n, WarmupKind.LINEAR, pre.at(offset), null, t -> pre.at(offset + (int) t));
    }

    public static RetrainSchedule slr(PretrainRecord pre, long n, WarmupKind kind) {
        checkSteps(n);
        long w = warmupSteps(n);
        long span = n - w;
        long p = pre.steps();
        float etaMax = pre.etaMax();
        int preWarmup = pre.warmup();
        return new RetrainSchedule(RetrainMethod.SLR, n, kind, etaMax, null, t -> {
            // j·P fits in a long for any n, P below 2^31.
            int i = (int) ((t - w) * p / span);
            return i < preWarmup ? etaMax : pre.at(i);
        });
    }

    public static RetrainSchedule clr(PretrainRecord pre, long n, WarmupKind kind) {
        checkSteps(n);
        long w = warmupSteps(n);
        double etaMax = pre.etaMax();
        double etaMin = pre.etaMin();
        long span = n - 1 - w;
        return new RetrainSchedule(RetrainMethod.CLR, n, kind, etaMax, null, t -> {
            if (span == 0) return (float) etaMax;
            double x = (double) (t - w) / span;
            return (float) (etaMin + (etaMax - etaMin) * 0.5 * (1 + Math.cos(Math.PI * x)));
        });
    }

    public static RetrainSchedule llr(PretrainRecord pre, long n, WarmupKind kind) {
        checkSteps(n);
        double etaMax = pre.etaMax();
        return new RetrainSchedule(RetrainMethod.LLR, n, kind, etaMax, null, linearToZero(etaMax, n));
    }

    /**
     * ALLR with d₂ = n / reference: reference = P after pretraining, the dense-phase length T0 in
     * BIMP. η_max is still max(pre).
     */
    public static RetrainSchedule allr(PretrainRecord pre, long n, WarmupKind kind, AllrInputs report, long reference) {
        checkSteps(n);
        AllrFactors f = AllrFactors.compute(report, n, reference, pre.etaMax());
        return new RetrainSchedule(RetrainMethod.ALLR, n, kind, f.eta1(), f, linearToZero(f.eta1(), n));
    }

    /** η(t) = peak·(n−t)/(n−W) after the warm-up: zero at step n, one past the last step. */
    private static Schedules.StepFunction linearToZero(double peak, long n) {
        long w = warmupSteps(n);
        return t -> (float) (peak * (n - t) / (n - w));
    }

    private static void checkSteps(long n) {
        if (n <= 0) throw new IllegalArgumentException("a retraining cycle needs n ≥ 1 steps, got " + n);
    }

    @Override
    public float lr(long step) {
        if (step < 0 || step >= n) throw new IndexOutOfBoundsException("step " + step + " is outside the " + method + " schedule's " + n + " steps");
        if (step < warmup) return (float) (peak * warmupKind.factor(step, warmup));
        return after.at(step);
    }

    @Override
    public long length() {
        return n;
    }

    public RetrainMethod method() {
        return method;
    }

    /** W: ⌊0.1·n⌋ for SLR, CLR, LLR, ALLR; 0 for FT and LRW. */
    public long warmup() {
        return warmup;
    }

    public WarmupKind warmupKind() {
        return warmupKind;
    }

    /**
     * The LR the warm-up arrives at (η_max, or η₁ for ALLR); for FT η_T, for LRW its first value
     * pre[P−n].
     */
    public double peak() {
        return peak;
    }

    /** d₁, d₂ and η₁ for ALLR; empty for the other schedules. */
    public Optional<AllrFactors> allrFactors() {
        return Optional.ofNullable(allr);
    }

    @Override
    public String toString() {
        return method + "[n=" + n + ", W=" + warmup + ", peak=" + peak + "]";
    }
}
