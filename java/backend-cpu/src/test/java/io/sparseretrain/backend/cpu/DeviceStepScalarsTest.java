package io.sparseretrain.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparseretrain.core.nn.Parameter;
import io.sparseretrain.core.ops.AdamWConfig;
import io.sparseretrain.core.ops.SgdConfig;
import io.sparseretrain.core.optim.AdamW;
import io.sparseretrain.core.optim.DeviceStepScalars;
import io.sparseretrain.core.optim.Optimizer;
import io.sparseretrain.core.optim.Sgd;
import io.sparseretrain.core.schedule.LrSchedule;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * The device-scalar optimizer path (lr and AdamW's step read from an sr_step_scalars buffer, advanced
 * along an LR table uploaded once) on the CPU backend, i.e. the host reference: bit-identical to the
 * host-scalar path over a schedule that changes the lr every step, pruned entries exactly zero.
 */
class DeviceStepScalarsTest {
    // warm-up then linear decay, a different lr each step; 25 steps over a 20-entry table (last holds)
    private static final LrSchedule SCHEDULE = new LrSchedule() {
        @Override
        public float lr(long t) {
            return t < 5 ? 0.02f * (t + 1) : Math.max(1e-3f, 0.1f - 0.005f * (t - 5));
        }

        @Override
        public long length() {
            return 20;
        }
    };

    @Test
    void sgdNesterovWithWeightDecayIsBitIdenticalOverASchedule() {
        compare((b, ps) -> new Sgd(b, ps, SgdConfig.nesterov(0.9f, 1e-4f)));
        compare((b, ps) -> new Sgd(b, ps, new SgdConfig(0.8f, 0.1f, 5e-4f, false, false)));
        compare((b, ps) -> new Sgd(b, ps, new SgdConfig(0.9f, 0f, 1e-2f, false, true)));
        compare((b, ps) -> new Sgd(b, ps, SgdConfig.plain()));
    }

    @Test
    void adamwIsBitIdenticalOverASchedule() {
        compare((b, ps) -> new AdamW(b, ps, AdamWConfig.defaults()));
    }

    @Test
    void aScheduleWithANonFiniteLrIsRefusedNamingTheStep() {
        LrSchedule bad = new LrSchedule() {
            @Override
            public float lr(long t) {
                return t == 3 ? Float.NaN : 0.1f;
            }

            @Override
            public long length() {
                return 10;
            }
        };
        try (CpuBackend b = new CpuBackend()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DeviceStepScalars.forRun(b, bad, 0, 10, 0));
            assertTrue(e.getMessage().contains("lr at step 3 is NaN"), e.getMessage());
        }
    }

    private static void compare(BiFunction<CpuBackend, List<Parameter>, Optimizer> make) {
        final int steps = 25;
        try (CpuBackend b = new CpuBackend()) {
            Random r = new Random(7);
            float[] w0 = gaussians(r, 7 * 13);
            byte[] mask = new byte[w0.length];
            for (int i = 0; i < mask.length; i++) mask[i] = (byte) (r.nextDouble() < 0.6 ? 1 : 0);
            Parameter pa = param(b, "a", w0, mask), pd = param(b, "d", w0, mask);
            try (Optimizer host = make.apply(b, List.of(pa)); Optimizer dev = make.apply(b, List.of(pd));
                 DeviceStepScalars scalars = DeviceStepScalars.forRun(b, SCHEDULE, 0, (int) SCHEDULE.length(), 0)) {
                for (int t = 0; t < steps; t++) {
                    float[] g = gaussians(r, w0.length);
                    b.copyFromHost(g, pa.grad());
                    b.copyFromHost(g, pd.grad());
                    host.step(SCHEDULE.lr(Math.min(t, SCHEDULE.length() - 1)));
                    scalars.advance();
                    dev.step(scalars);
                }
                String what = host.kind() + " " + host;
                float[] wa = b.copyToHostFloats(pa.value()), wd = b.copyToHostFloats(pd.value());
                assertArrayEquals(wa, wd, 0f, what + ": weights");
                for (int i = 0; i < wa.length; i++) {
                    assertEquals(Float.floatToRawIntBits(wa[i]), Float.floatToRawIntBits(wd[i]), what + ": bits of w[" + i + "]");
                    if (mask[i] == 0) assertEquals(0, Float.floatToRawIntBits(wd[i]), what + ": pruned w[" + i + "] is +0");
                }
                var sa = host.state().get("a"); var sd = dev.state().get("d");
                if (sa != null) {
                    for (String k : sa.keySet()) {
                        assertArrayEquals(b.copyToHostFloats(sa.get(k)), b.copyToHostFloats(sd.get(k)), 0f, what + ": " + k);
                    }
                }
                assertEquals(host.steps(), dev.steps(), what + ": host step counts");
                assertTrue(!java.util.Arrays.equals(w0, wd), what + ": weights moved");
            } finally {
                pa.close();
                pd.close();
            }
        }
    }

    private static Parameter param(CpuBackend b, String name, float[] w, byte[] mask) {
        Parameter p = new Parameter(b, name, Parameter.Kind.WEIGHT, 7, 13);
        b.copyFromHost(w, p.value());
        b.copyFromHost(mask, p.ensureMask(b));
        b.masks().apply(p.value(), p.mask());
        return p;
    }

    private static float[] gaussians(Random r, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = (float) r.nextGaussian();
        return out;
    }
}
