package io.sparseretrain.core.schedule;

/**
 * The recorded per-step LR of pretraining, pre[i] for i = 0..P−1, plus the length Wpre of its
 * warm-up. The retraining schedules derive from it:
 * <ul>
 *   <li>η_max = max(pre)
 *   <li>η_T = pre[P−1], the last pretraining LR
 *   <li>η_min = min(pre[Wpre..P−1]) — the warm-up is excluded because its first entries are
 *       tiny by construction and are not a rate the model was trained to converge at.
 * </ul>
 */
public record PretrainRecord(float[] lr, int warmup) {
    public PretrainRecord {
        if (lr == null || lr.length == 0) throw new IllegalArgumentException("pretraining record is empty (P = 0 steps)");
        if (warmup < 0 || warmup >= lr.length) {
            throw new IllegalArgumentException("pretraining warm-up of " + warmup + " steps does not fit a record of P = " + lr.length + " steps");
        }
        lr = lr.clone();
        for (int i = 0; i < lr.length; i++) {
            if (!(lr[i] >= 0) || Float.isInfinite(lr[i])) throw new IllegalArgumentException("pretraining LR pre[" + i + "] = " + lr[i] + " is not a finite value ≥ 0");
        }
    }

    /** Records {@code schedule} step by step; its warm-up length must be given, it cannot be inferred. */
    public static PretrainRecord of(LrSchedule schedule, int warmup) {
        return new PretrainRecord(schedule.record(), warmup);
    }

    @Override
    public float[] lr() {
        return lr.clone();
    }

    /** pre[i] without copying the array. */
    public float at(int i) {
        return lr[i];
    }

    /** P, the number of pretraining steps. */
    public int steps() {
        return lr.length;
    }

    public float etaMax() {
        float m = lr[0];
        for (float v : lr) m = Math.max(m, v);
        return m;
    }

    public float etaLast() {
        return lr[lr.length - 1];
    }

    public float etaMin() {
        float m = lr[warmup];
        for (int i = warmup; i < lr.length; i++) m = Math.min(m, lr[i]);
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PretrainRecord p && p.warmup == warmup && java.util.Arrays.equals(p.lr, lr);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(lr) + warmup;
    }

    @Override
    public String toString() {
        return "PretrainRecord[P=" + lr.length + ", warmup=" + warmup + "]";
    }
}
