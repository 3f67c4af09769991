package io.sparseretrain.core.schedule;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The retraining LR schedules of Zimmer, Spiegel &amp; Pokutta (ICLR 2023), by their names. */
public enum RetrainMethod {
    FT, LRW, SLR, CLR, LLR, ALLR;

    /** Whether the schedule starts with a W = ⌊0.1·n⌋ step warm-up (FT and LRW do not). */
    public boolean warmsUp() {
        return this != FT && this != LRW;
    }

    /** ft, lrw, slr, clr, llr or allr, case-insensitive. */
    public static RetrainMethod parse(String name) {
        if (name != null) {
            for (RetrainMethod m : values()) if (m.name().equalsIgnoreCase(name.trim())) return m;
        }
        String allowed = Arrays.stream(values()).map(RetrainMethod::toString).collect(Collectors.joining(", "));
        throw new IllegalArgumentException("unknown retraining schedule '" + name + "'; allowed: " + allowed);
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
