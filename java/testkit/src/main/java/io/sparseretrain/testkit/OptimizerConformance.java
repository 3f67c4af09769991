package io.sparseretrain.testkit;

import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.ops.AdamWConfig;
import io.sparseretrain.core.ops.SgdConfig;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Conformance of the mask-aware SGD / AdamW steps against {@link ReferenceOptimizers}: several steps
 * with nonzero gradients on pruned entries, which must leave weights and state exactly zero there
 * (part of {@link BackendConformanceSuite}).
 */
public abstract class OptimizerConformance extends NMConformance {
    private static final int N = 257;
    private static final int STEPS = 4;

    private void runSgd(SgdConfig cfg, String what) {
        SplittableRandom rnd = new SplittableRandom(what.hashCode());
        float[] w = randomFloats(rnd, N);
        byte[] mask = randomMask(rnd, N, 0.6);
        float[] buf = new float[N];
        Tensor tw = floats("w", w, N), tb = floats("momentum", buf, N), tm = bytes("mask", mask, N);
        float lr = 0.05f;
        for (int s = 0; s < STEPS; s++) {
            float[] g = randomFloats(rnd, N); // nonzero on pruned entries too
            Tensor tg = floats("grad", g, N);
            backend().optimizers().sgdStep(tw, tg, cfg.momentum() == 0 ? null : tb, tm, cfg, lr, s == 0);
            ReferenceOptimizers.sgd(w, g, cfg.momentum() == 0 ? null : buf, mask, cfg, lr, s == 0);
            float[] gw = host(tw);
            assertClose(w, gw, Tolerances.optimizer(s + 1, 1.0), what + ": weights after step " + (s + 1));
            assertZeroWhereMasked(gw, mask, what + ": weights after step " + (s + 1));
            if (cfg.momentum() != 0) {
                float[] gb = host(tb);
                assertClose(buf, gb, Tolerances.optimizer(s + 1, 1.0), what + ": momentum after step " + (s + 1));
                assertZeroWhereMasked(gb, mask, what + ": momentum after step " + (s + 1));
            }
        }
    }

    @Test
    void sgdPlainWithL2() {
        runSgd(new SgdConfig(0f, 0f, 0.01f, false, false), "SGD, L2 weight decay");
    }

    @Test
    void sgdMomentumWithDampening() {
        runSgd(new SgdConfig(0.9f, 0.1f, 0f, false, false), "SGD momentum 0.9, dampening 0.1");
    }

    @Test
    void sgdNesterovWithL2() {
        runSgd(SgdConfig.nesterov(0.9f, 5e-4f), "SGD Nesterov, L2");
    }

    @Test
    void sgdMomentumWithDecoupledWeightDecay() {
        runSgd(new SgdConfig(0.8f, 0f, 0.05f, false, true), "SGD momentum, decoupled weight decay");
    }

    @Test
    void adamwStepsMatchReferenceAndKeepPrunedStateZero() {
        SplittableRandom rnd = new SplittableRandom(30);
        AdamWConfig cfg = new AdamWConfig(0.9f, 0.999f, 1e-8f, 0.01f);
        float[] w = randomFloats(rnd, N);
        byte[] mask = randomMask(rnd, N, 0.5);
        float[] m = new float[N], v = new float[N];
        Tensor tw = floats("w", w, N), tm1 = floats("m", m, N), tv = floats("v", v, N), tmask = bytes("mask", mask, N);
        float lr = 1e-2f;
        for (int s = 1; s <= STEPS; s++) {
            float[] g = randomFloats(rnd, N);
            backend().optimizers().adamwStep(tw, floats("grad", g, N), tm1, tv, tmask, cfg, lr, s);
            ReferenceOptimizers.adamw(w, g, m, v, mask, cfg, lr, s);
            String at = "AdamW after step " + s;
            float[] gw = host(tw), gm = host(tm1), gv = host(tv);
            assertClose(w, gw, Tolerances.optimizer(s, 1.0), at + ": weights");
            assertClose(m, gm, Tolerances.optimizer(s, 1.0), at + ": m");
            assertClose(v, gv, Tolerances.optimizer(s, 1.0), at + ": v");
            assertZeroWhereMasked(gw, mask, at + ": weights");
            assertZeroWhereMasked(gm, mask, at + ": m");
            assertZeroWhereMasked(gv, mask, at + ": v");
        }
    }
}
