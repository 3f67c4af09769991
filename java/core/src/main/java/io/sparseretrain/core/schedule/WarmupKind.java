package io.sparseretrain.core.schedule;

import java.util.Locale;

/**
 * Shape of a retraining warm-up of W steps, as a factor in (0, 1] multiplying the peak LR at step
 * t &lt; W. Both reach exactly 1 at t = W−1, so no step is spent at η = 0 (the project convention).
 */
public enum WarmupKind {
    /** f(t) = (t+1)/W. */
    LINEAR,
    /** f(t) = (1 − cos(π(t+1)/W))/2: slow start, slow arrival at the peak. */
    COSINE;

    /** Warm-up factor at step t of a W-step warm-up; requires 0 ≤ t &lt; W. */
    public double factor(long t, long warmup) {
        if (t < 0 || t >= warmup) throw new IllegalArgumentException("warm-up step " + t + " is outside a warm-up of " + warmup + " steps");
        double x = (double) (t + 1) / warmup;
        return this == LINEAR ? x : 0.5 * (1 - Math.cos(Math.PI * x));
    }

    /** "linear" or "cosine", case-insensitive. */
    public static WarmupKind parse(String name) {
        if (name != null) {
            for (WarmupKind k : values()) if (k.name().equalsIgnoreCase(name.trim())) return k;
        }
        throw new IllegalArgumentException("unknown warm-up kind '" + name + "'; allowed: linear, cosine");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
