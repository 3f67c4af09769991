package io.sparseretrain.core.nn;

import java.util.SplittableRandom;

/** Initial values, seeded and backend-independent (drawn on the host, then copied once). */
public final class Initializer {
    private Initializer() {}

    /**
     * PyTorch's defaults: Linear/Conv weights and biases U(−1/√fan_in, 1/√fan_in) (kaiming_uniform
     * with a = √5), batch norm weight 1 and bias 0. Each parameter draws from its own stream split
     * from {@code seed} in state_dict order.
     */
    public static void pytorchDefault(Model model, long seed) {
        SplittableRandom root = new SplittableRandom(seed);
        long fanIn = 1;
        for (Parameter p : model.parameters()) {
            SplittableRandom r = root.split();
            long[] s = p.value().shape();
            switch (p.kind()) {
                case WEIGHT -> {
                    fanIn = 1;
                    for (int d = 1; d < s.length; d++) fanIn *= s[d];
                    fill(model, p, r, 1.0 / Math.sqrt(fanIn));
                }
                case BIAS -> fill(model, p, r, 1.0 / Math.sqrt(fanIn));  // fan_in of the weight just before
                case NORM_WEIGHT, NORM_BIAS -> { }
            }
        }
    }

    private static void fill(Model model, Parameter p, SplittableRandom r, double bound) {
        float[] v = new float[(int) p.numel()];
        for (int i = 0; i < v.length; i++) v[i] = (float) ((r.nextDouble() * 2 - 1) * bound);
        model.backend().copyFromHost(v, p.value());
    }
}
