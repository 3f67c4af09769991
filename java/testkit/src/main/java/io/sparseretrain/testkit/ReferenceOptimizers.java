package io.sparseretrain.testkit;

import io.sparseretrain.core.ops.AdamWConfig;
import io.sparseretrain.core.ops.SgdConfig;

/**
 * torch.optim.SGD / AdamW (amsgrad off) in float, restricted to live entries as sparseretrain.h
 * defines it: where mask == 0 the weight and its state become exactly 0. Updates arrays in place.
 */
public final class ReferenceOptimizers {
    private ReferenceOptimizers() {}

    public static void sgd(float[] w, float[] g, float[] buf, byte[] mask, SgdConfig c, float lr, boolean firstStep) {
        for (int i = 0; i < w.length; i++) {
            if (mask != null && mask[i] == 0) {
                w[i] = 0f;
                if (buf != null) buf[i] = 0f;
                continue;
            }
            float wi = w[i];
            float d = g[i];
            if (c.decoupledWeightDecay()) wi *= 1f - lr * c.weightDecay();
            else d = d + c.weightDecay() * wi;
            if (c.momentum() != 0f) {
                buf[i] = firstStep ? d : c.momentum() * buf[i] + (1f - c.dampening()) * d;
                d = c.nesterov() ? d + c.momentum() * buf[i] : buf[i];
            }
            w[i] = wi - lr * d;
        }
    }

    public static void adamw(float[] w, float[] g, float[] m, float[] v, byte[] mask, AdamWConfig c, float lr, long step) {
        float bc1 = 1f - (float) Math.pow(c.beta1(), step);
        float bc2 = 1f - (float) Math.pow(c.beta2(), step);
        for (int i = 0; i < w.length; i++) {
            if (mask != null && mask[i] == 0) {
                w[i] = 0f;
                m[i] = 0f;
                v[i] = 0f;
                continue;
            }
            float wi = w[i] * (1f - lr * c.weightDecay());
            m[i] = c.beta1() * m[i] + (1f - c.beta1()) * g[i];
            v[i] = c.beta2() * v[i] + (1f - c.beta2()) * g[i] * g[i];
            float denom = (float) Math.sqrt(v[i]) / (float) Math.sqrt(bc2) + c.eps();
            w[i] = wi - (lr / bc1) * m[i] / denom;
        }
    }
}
