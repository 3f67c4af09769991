package io.sparseretrain.testkit;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.data.LabeledImages;
import io.sparseretrain.core.nn.Model;
import io.sparseretrain.core.nn.ModelSpec;
import java.util.SplittableRandom;

/** Small models and a synthetic, learnable data set for engine tests on any backend (fast on 2 cores). */
public final class EngineFixtures {
    private EngineFixtures() {}

    public static final String MLP = """
            name: tiny-mlp
            input: [8, 8, 1]
            classes: 4
            layers:
              - flatten
              - {type: linear, name: fc1, out: 32}
              - relu
              - {type: linear, name: fc2, out: 4}
            """;

    public static final String CNN = """
            name: tiny-cnn
            input: [8, 8, 1]
            classes: 4
            layers:
              - {type: conv, name: conv1, out: 4, kernel: 3, padding: 1, bias: false}
              - {type: batchnorm, name: bn1}
              - relu
              - {type: maxpool, kernel: 2}
              - {type: resnet_stage, name: layer1, blocks: 1, out: 8, stride: 2}
              - global_avgpool
              - {type: dropout, p: 0.1}
              - {type: linear, name: fc, out: 4}
            """;

    public static Model build(Backend b, String yaml, long seed) {
        return ModelSpec.parse("test-model", yaml).build(b, seed);
    }

    /** n 8×8 images whose class is the quadrant holding a bright blob, plus noise. */
    public static LabeledImages quadrants(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * 64];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            int q = r.nextInt(4);
            y[i] = q;
            int oy = (q / 2) * 4, ox = (q % 2) * 4;
            for (int p = 0; p < 64; p++) x[i * 64 + p] = (float) (0.3 * r.nextGaussian());
            for (int dy = 0; dy < 4; dy++) for (int dx = 0; dx < 4; dx++) x[i * 64 + (oy + dy) * 8 + ox + dx] += 1f;
        }
        return new LabeledImages(x, y, 1, 8, 8, 4);
    }
}
