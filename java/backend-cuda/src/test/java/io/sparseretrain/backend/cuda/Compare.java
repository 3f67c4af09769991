package io.sparseretrain.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;

/** Comparisons that say what differed, where and by how much; inputs that are never all zero. */
final class Compare {
    private Compare() {}

    static void exact(byte[] want, byte[] got, String what) {
        sameLength(want.length, got.length, what);
        int bad = 0, first = -1;
        for (int i = 0; i < want.length; i++) {
            if (want[i] != got[i]) {
                if (first < 0) first = i;
                bad++;
            }
        }
        if (bad > 0) fail(what + ": " + bad + " of " + want.length + " bytes differ; first at " + first + ": host "
                + want[first] + " cuda " + got[first]);
    }

    static void exact(short[] want, short[] got, String what) {
        sameLength(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) {
            if (want[i] != got[i]) fail(what + ": element " + i + " host bits 0x" + Integer.toHexString(want[i] & 0xffff)
                    + " cuda 0x" + Integer.toHexString(got[i] & 0xffff));
        }
    }

    static void exact(float[] want, float[] got, String what) {
        ulps(want, got, 0, what);
    }

    /** |host - cuda| <= maxUlps · ulp(|host|) element-wise (bitwise equal when maxUlps = 0; -0 == +0). */
    static void ulps(float[] want, float[] got, int maxUlps, String what) {
        sameLength(want.length, got.length, what);
        int bad = 0, worst = -1;
        double worstUlps = 0;
        for (int i = 0; i < want.length; i++) {
            if (Float.isNaN(want[i]) || Float.isNaN(got[i])) {
                if (!(Float.isNaN(want[i]) && Float.isNaN(got[i]))) { bad++; worst = i; worstUlps = Double.POSITIVE_INFINITY; }
                continue;
            }
            double d = Math.abs((double) want[i] - got[i]);
            if (d == 0) continue;
            double u = d / Math.ulp(Math.max(Math.abs(want[i]), Float.MIN_NORMAL));
            if (u > maxUlps) bad++;
            if (u > worstUlps) { worstUlps = u; worst = i; }
        }
        if (bad > 0) fail(what + ": " + bad + " of " + want.length + " elements beyond " + maxUlps + " ulp; worst at "
                + worst + ": host " + want[worst] + " cuda " + got[worst] + " (" + worstUlps + " ulp)");
    }

    /** |host - cuda| <= tol element-wise. */
    static void abs(float[] want, float[] got, double tol, String what) {
        sameLength(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) {
            double d = Math.abs((double) want[i] - got[i]);
            if (!(d <= tol)) fail(what + ": element " + i + " host " + want[i] + " cuda " + got[i] + " differ by " + d
                    + " > " + tol);
        }
    }

    /** Uniform in [-1, 1), with no exact zeros, so a kernel that writes nothing cannot pass. */
    static float[] randomFloats(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            float v;
            do { v = r.nextFloat() * 2 - 1; } while (v == 0);
            x[i] = v;
        }
        return x;
    }

    /** Small integers in [-2, 2] (not all zero): F32 products and sums of them are exact. */
    static float[] smallInts(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = r.nextInt(5) - 2;
        x[0] = 1;
        return x;
    }

    /** A mask with roughly {@code liveFraction} ones (at least one). */
    static byte[] randomMask(Random r, int n, double liveFraction) {
        byte[] m = new byte[n];
        for (int i = 0; i < n; i++) m[i] = (byte) (r.nextDouble() < liveFraction ? 1 : 0);
        m[0] = 1;
        return m;
    }

    static void notAllZero(float[] x, String what) {
        for (float v : x) if (v != 0) return;
        fail(what + ": all zero — the comparison would prove nothing");
    }

    static void someCleared(byte[] before, byte[] after, String what) {
        int cleared = 0;
        for (int i = 0; i < before.length; i++) if (before[i] == 1 && after[i] == 0) cleared++;
        assertTrue(cleared > 0, what + ": no mask entry was cleared — the comparison would prove nothing");
    }

    private static void sameLength(int a, int b, String what) {
        if (a != b) fail(what + ": host has " + a + " elements, cuda " + b);
    }
}
