package io.sparseretrain.core.prune.structured;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.nn.Model;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Eval-mode forward time of two models on the same inputs: {@code examples} seeded Gaussian inputs in
 * batches of {@code batch}, {@code warmup} untimed passes each, then {@code runs} timed passes,
 * alternating the models so drift on a shared machine hits both alike; medians in milliseconds.
 * Input values do not matter for dense GEMM time; the shapes do.
 */
public final class InferenceTimer {
    /** Options; {@link #NONE} skips the measurement. */
    public record Timing(int examples, int batch, int warmup, int runs) {
        public static final Timing DEFAULT = new Timing(1000, 256, 3, 11);
        public static final Timing NONE = new Timing(0, 1, 0, 0);

        public Timing {
            if (examples < 0 || batch < 1 || warmup < 0 || runs < 0 || (examples > 0 && runs < 1)) {
                throw new IllegalArgumentException("timing " + examples + " examples, batch " + batch + ", " + warmup + " warm-up, " + runs
                        + " runs is invalid (need batch ≥ 1 and ≥ 1 run when timing)");
            }
        }

        public boolean enabled() {
            return examples > 0;
        }
    }

    /** Median milliseconds of one pass over all examples: {a, b}. */
    public record Medians(double a, double b) {}

    private InferenceTimer() {}

    public static Medians compare(Model a, Model b, Timing t, long seed) {
        if (!a.inputShape().equals(b.inputShape())) throw new IllegalArgumentException("models take " + a.inputShape() + " and " + b.inputShape());
        Backend be = a.backend();
        List<Tensor> chunks = inputs(be, a, t, seed);
        try {
            a.allocate(Math.min(t.batch(), t.examples()));
            b.allocate(Math.min(t.batch(), t.examples()));
            for (int w = 0; w < t.warmup(); w++) {
                pass(a, chunks);
                pass(b, chunks);
            }
            double[] ta = new double[t.runs()], tb = new double[t.runs()];
            for (int r = 0; r < t.runs(); r++) {
                ta[r] = pass(a, chunks);
                tb[r] = pass(b, chunks);
            }
            return new Medians(median(ta), median(tb));
        } finally {
            chunks.forEach(Tensor::close);
        }
    }

    private static List<Tensor> inputs(Backend be, Model m, Timing t, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] dims = m.inputShape().dims();
        int per = (int) m.inputShape().elements();
        List<Tensor> chunks = new ArrayList<>();
        try {
            for (int start = 0; start < t.examples(); start += t.batch()) {
                int n = Math.min(t.batch(), t.examples() - start);
                float[] x = new float[n * per];
                for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
                long[] shape = new long[dims.length + 1];
                shape[0] = n;
                for (int d = 0; d < dims.length; d++) shape[d + 1] = dims[d];
                chunks.add(be.fromFloats("timing.x" + chunks.size(), x, shape));
            }
        } catch (RuntimeException e) {
            chunks.forEach(Tensor::close);
            throw e;
        }
        return chunks;
    }

    private static double pass(Model m, List<Tensor> chunks) {
        long t0 = System.nanoTime();
        for (Tensor x : chunks) m.forward(x, (int) x.shape()[0], false);
        m.backend().synchronize();
        return (System.nanoTime() - t0) / 1e6;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
