package io.sparseretrain.core.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** GMP with s_f = 0.8, t0 = 100, n = 10, Δt = 10: the ramp covers steps 100..200. */
class GmpScheduleTest {
    private final GmpSchedule gmp = new GmpSchedule(0.8, 100, 10, 10);

    @Test
    void trajectory() {
        assertEquals(0.0, gmp.sparsityAt(0), 0);
        assertEquals(0.0, gmp.sparsityAt(100), 0);
        // t = 110: 1 − 10/100 = 0.9 → 0.8·(1 − 0.729) = 0.2168.
        assertEquals(0.2168, gmp.sparsityAt(110), 1e-12);
        // midpoint t = 150: 0.8·(1 − 0.5³) = 0.7.
        assertEquals(0.7, gmp.sparsityAt(150), 1e-12);
        assertEquals(0.8, gmp.sparsityAt(200), 0);
        assertEquals(0.8, gmp.sparsityAt(10_000), 0);
        assertEquals(200, gmp.endStep());
        double prev = -1;
        for (long t = 0; t <= 250; t++) {
            double s = gmp.sparsityAt(t);
            assertTrue(s >= prev, "s(t) fell at t = " + t + ": " + prev + " → " + s);
            prev = s;
        }
    }

    @Test
    void pruneEvents() {
        List<GmpSchedule.PruneEvent> ev = gmp.pruneEvents();
        assertEquals(11, ev.size());
        assertEquals(new GmpSchedule.PruneEvent(100, 0.0), ev.get(0));
        assertEquals(150, ev.get(5).step());
        assertEquals(0.7, ev.get(5).sparsity(), 1e-12);
        assertEquals(new GmpSchedule.PruneEvent(200, 0.8), ev.get(10));
        for (int c = 0; c <= 10; c++) {
            assertEquals(gmp.sparsityAt(ev.get(c).step()), ev.get(c).sparsity(), 1e-12, "event " + c);
            if (c > 0) assertTrue(ev.get(c).sparsity() > ev.get(c - 1).sparsity(), "event " + c + " not above the previous");
        }
        // As a SparsitySchedule: N = 1000 → kept round(1000·(1 − 0.7)) = 300 after event 5, 200 after the last.
        assertEquals(10, gmp.cycles());
        assertEquals(300, gmp.keptAfterCycle(1000, 5));
        assertEquals(200, gmp.keptAfterCycle(1000, 10));
    }

    @Test
    void errorsNameTheValue() {
        var e = assertThrows(IllegalArgumentException.class, () -> new GmpSchedule(0.8, 100, 10, 0));
        assertTrue(e.getMessage().contains("Δt") && e.getMessage().contains("got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new GmpSchedule(1.2, 100, 10, 10));
        assertTrue(e.getMessage().contains("got 1.2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new GmpSchedule(0.8, -1, 10, 10));
        assertTrue(e.getMessage().contains("got -1"), e.getMessage());
    }
}
