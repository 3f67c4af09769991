package io.sparseretrain.core.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Seeded random n and records: invariants every schedule must keep, checked at every step. */
class RetrainSchedulePropertyTest {
    @Test
    void invariantsOverRandomLengths() {
        SplittableRandom r = new SplittableRandom(7);
        for (int trial = 0; trial < 200; trial++) {
            int p = 10 + r.nextInt(500);
            int wpre = r.nextInt(p / 5 + 1);
            float peak = (float) (0.01 + r.nextDouble());
            PretrainRecord pre = PretrainRecord.of(Schedules.warmupCosine(peak, peak * 1e-3f, wpre, p), wpre);
            int n = 1 + r.nextInt(p);
            String where = "trial " + trial + " (P=" + p + ", Wpre=" + wpre + ", n=" + n + ")";
            WarmupKind kind = r.nextBoolean() ? WarmupKind.LINEAR : WarmupKind.COSINE;
            long w = n / 10;
            for (String name : new String[] {"ft", "lrw", "slr", "clr", "llr", "allr"}) {
                RetrainSchedule s = RetrainSchedule.create(name, pre, n, kind, new AllrInputs(1, r.nextDouble(), 0.1 + 0.9 * r.nextDouble()));
                float[] v = s.record();
                assertEquals(n, v.length, name + " " + where);
                for (int t = 0; t < n; t++) {
                    assertTrue(v[t] >= 0 && v[t] <= pre.etaMax() * (1 + 1e-6f), name + " " + where + ": η(" + t + ") = " + v[t] + " outside [0, η_max]");
                }
                if (s.warmup() > 0) {
                    assertEquals(s.peak(), v[(int) w - 1], 1e-6 * s.peak(), name + " " + where + ": warm-up must end at the peak");
                }
            }
            float[] llr = RetrainSchedule.llr(pre, n, kind).record();
            for (int t = (int) w + 1; t < n; t++) assertTrue(llr[t] < llr[t - 1], "llr not decreasing at " + t + ", " + where);
            float[] clr = RetrainSchedule.clr(pre, n, kind).record();
            if (n > 1) assertEquals(pre.etaMin(), clr[n - 1], 1e-6 * peak, "clr must end at η_min, " + where);
        }
    }
}
