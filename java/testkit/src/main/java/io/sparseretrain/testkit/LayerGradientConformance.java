package io.sparseretrain.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.nn.ActivationLayer;
import io.sparseretrain.core.nn.AvgPool2d;
import io.sparseretrain.core.nn.BasicBlock;
import io.sparseretrain.core.nn.BatchNorm;
import io.sparseretrain.core.nn.Conv2d;
import io.sparseretrain.core.nn.Dropout;
import io.sparseretrain.core.nn.Flatten;
import io.sparseretrain.core.nn.Layer;
import io.sparseretrain.core.nn.Linear;
import io.sparseretrain.core.nn.MaxPool2d;
import io.sparseretrain.core.nn.ModelSpec;
import io.sparseretrain.core.nn.Parameter;
import io.sparseretrain.core.nn.Shape;
import io.sparseretrain.core.ops.Activation;
import io.sparseretrain.testkit.reference.RefBasicBlock;
import io.sparseretrain.testkit.reference.RefBatchNorm;
import io.sparseretrain.testkit.reference.RefConv2d;
import io.sparseretrain.testkit.reference.RefFlatten;
import io.sparseretrain.testkit.reference.RefLayer;
import io.sparseretrain.testkit.reference.RefLinear;
import io.sparseretrain.testkit.reference.RefPointwise;
import io.sparseretrain.testkit.reference.RefPool;
import io.sparseretrain.testkit.reference.RefSequential;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every layer type of the training engine, forward and backward, against the float64 reference
 * (part of {@link BackendConformanceSuite}). k is each case's longest reduction: the tolerance grows
 * with it ({@link LayerTolerances}). Shapes are odd-sized so that no transposed index goes unnoticed.
 */
public abstract class LayerGradientConformance extends LayerComparisonSupport {
    private static final int B = 3;

    private void linear(boolean bias) {
        compare("Linear 13→7" + (bias ? " with bias" : " without bias"), of(new Linear(backend(), "fc", Shape.flat(13), 7, bias), B),
                13, B, 13, y -> new RefLinear("fc", 13, 7, bias));
    }

    @Test
    void linearWithAndWithoutBias() {
        linear(true);
        linear(false);
    }

    private void conv(int k, int stride, int pad, boolean bias) {
        int h = 7, w = 6, cin = 3, cout = 5;
        String what = "Conv2d " + k + "x" + k + " stride " + stride + " pad " + pad + (bias ? " bias" : " no bias");
        RefConv2d probe = new RefConv2d("conv", h, w, cin, cout, k, stride, pad, bias);
        long rows = (long) B * probe.outHeight() * probe.outWidth();
        compare(what, of(new Conv2d(backend(), "conv", Shape.map(h, w, cin), cout, k, stride, pad, bias), B), h * w * cin, B,
                Math.max(rows, (long) cin * k * k), y -> new RefConv2d("conv", h, w, cin, cout, k, stride, pad, bias));
    }

    @Test
    void conv2dStridePaddingBias() {
        conv(3, 1, 0, true);
        conv(3, 1, 1, false);
        conv(3, 2, 0, false);
        conv(3, 2, 1, true);
        conv(1, 2, 0, false);
    }

    @Test
    void reluAndGelu() {
        Shape s = Shape.map(3, 4, 5);
        compare("ReLU", of(new ActivationLayer(backend(), Activation.RELU, s), B), s.elements(), B, 1, y -> RefPointwise.relu());
        compare("GELU", of(new ActivationLayer(backend(), Activation.GELU, s), B), s.elements(), B, 1, y -> RefPointwise.gelu());
    }

    private void pool(boolean max, int k, int stride, int pad) {
        int h = 7, w = 6, c = 3;  // h != w: a swapped height/width index shows
        String what = (max ? "MaxPool2d " : "AvgPool2d ") + k + "x" + k + " stride " + stride + " pad " + pad;
        Shape s = Shape.map(h, w, c);
        compare(what, of(max ? new MaxPool2d(backend(), s, k, stride, pad) : new AvgPool2d(backend(), s, k, stride, pad), B),
                s.elements(), B, (long) k * k, y -> new RefPool(max, h, w, c, k, stride, pad));
    }

    @Test
    void maxPoolIncludingOverlappingWindows() {
        pool(true, 2, 2, 0);
        pool(true, 3, 2, 0);  // overlapping: an input can win two windows, its gradients add up
        pool(true, 3, 2, 1);
    }

    @Test
    void maxPoolTiesGoToTheFirstMaximumInWindowOrder() {
        // small integers in [-2, 2]: most windows hold ties; sr_maxpool_fwd routes the gradient to the first
        int h = 7, w = 6, c = 3;
        Shape s = Shape.map(h, w, c);
        float[] x = smallInts(new java.util.SplittableRandom(61), (int) s.elements() * B, 2);
        compare("MaxPool2d 3x3 stride 2 with ties", of(new MaxPool2d(backend(), s, 3, 2, 1), B), s.elements(), B, 9,
                y -> new RefPool(true, h, w, c, 3, 2, 1), x);
    }

    @Test
    void avgPoolAndGlobalAvgPool() {
        pool(false, 2, 2, 0);
        pool(false, 3, 2, 1);
        Shape s = Shape.map(5, 5, 4);
        compare("global average pool", of(AvgPool2d.global(backend(), s), B), s.elements(), B, 25, y -> new RefPool(false, 5, 5, 4, 5, 1, 0));
    }

    @Test
    void batchNormTrainingOnFlatAndNhwc() {
        batchNorm("BatchNorm1d (flat)", Shape.flat(6), 8);
        batchNorm("BatchNorm2d (NHWC)", Shape.map(4, 3, 5), B);
    }

    private void batchNorm(String what, Shape s, int batch) {
        BatchNorm bn = new BatchNorm(backend(), "bn", s, 0.1f, 1e-5f);
        long rows = (long) batch * s.rowsPerExample();
        float[][] running = new float[2][];
        Outcome o = compare(what, new Subject() {  // reads the running stats before the layer is closed
            final Subject inner = of(bn, batch);
            public Tensor forward(Tensor x, int b) { return inner.forward(x, b); }
            public Tensor backward(Tensor dy, int b) {
                running[0] = host(bn.buffers().get(0).value());
                running[1] = host(bn.buffers().get(1).value());
                return inner.backward(dy, b);
            }
            public List<Parameter> parameters() { return inner.parameters(); }
            public void close() { inner.close(); }
        }, s.elements(), batch, rows, y -> new RefBatchNorm("bn", s.channels(), 0.1, 1e-5));
        RefBatchNorm ref = (RefBatchNorm) o.ref();
        check(what, "running_mean", ref.runningMean, running[0], rows);
        check(what, "running_var (unbiased)", ref.runningVar, running[1], rows);
    }

    @Test
    void batchNormEvalUsesRunningStatistics() {
        Shape s = Shape.map(3, 4, 5);
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(62);
        int n = (int) s.elements() * B;
        try (BatchNorm bn = new BatchNorm(backend(), "bn", s, 0.1f, 1e-5f)) {
            bn.allocate(B);
            RefBatchNorm ref = new RefBatchNorm("bn", 5, 0.1, 1e-5);
            for (int i = 0; i < 2; i++) {
                float[] v = randomFloats(rnd, 5);
                if (i == 0) for (int j = 0; j < 5; j++) v[j] = 1 + 0.5f * v[j];
                backend().copyFromHost(v, bn.parameters().get(i).value());
                for (int j = 0; j < 5; j++) ref.params().get(i).value[j] = v[j];
            }
            float[] train = randomFloats(rnd, n), eval = randomFloats(rnd, n);
            for (int j = 0; j < n; j++) train[j] = 2 * train[j] + 0.5f;  // running stats move away from (0, 1)
            bn.forward(floats("bn.train.x", train, n), B, true);
            ref.forward(toDouble(train), B);
            float[] y = host(bn.forward(floats("bn.eval.x", eval, n), B, false));
            check("BatchNorm2d eval after one training step", "output", ref.eval(toDouble(eval)), y, (long) B * s.rowsPerExample());
        }
    }

    /** One row per channel has no variance: PyTorch refuses it, so must every backend, changing nothing. */
    @Test
    void batchNormTrainingRejectsOneValuePerChannel() {
        try (BatchNorm bn = new BatchNorm(backend(), "bn1", Shape.flat(4), 0.1f, 1e-5f)) {
            bn.allocate(1);
            Tensor x = floats("bn1.x", randomFloats(new java.util.SplittableRandom(64), 4), 4);
            assertFailsNaming(io.sparseretrain.core.NativeCallException.class, () -> bn.forward(x, 1, true), "rows=1", "more than one value");
            org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {0, 0, 0, 0}, host(bn.buffers().get(0).value()),
                    "bn1.running_mean after a rejected step");
            org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {1, 1, 1, 1}, host(bn.buffers().get(1).value()),
                    "bn1.running_var after a rejected step");
            org.junit.jupiter.api.Assertions.assertEquals(0, bn.batchesTracked(), "bn1.num_batches_tracked after a rejected step");
        }
    }

    @Test
    void flattenPermutesNhwcToChw() {
        Shape s = Shape.map(2, 3, 4);
        compare("Flatten [2,3,4]", of(new Flatten(backend(), s), B), s.elements(), B, 1, y -> new RefFlatten(2, 3, 4));
    }

    @Test
    void dropoutAgainstItsOwnMask() {
        Shape s = Shape.flat(200);
        float p = 0.3f;
        Outcome o = compare("Dropout p=0.3", of(new Dropout(backend(), s, p, 1234L), B), s.elements(), B, 1, y -> {
            boolean[] keep = new boolean[y.length];
            for (int i = 0; i < y.length; i++) keep[i] = y[i] != 0f;  // inputs are never exactly 0
            return RefPointwise.dropout(keep, p);
        });
        int kept = 0;
        for (float v : o.y()) if (v != 0f) kept++;
        double frac = kept / (double) o.y().length;
        // 600 Bernoulli(0.7) draws: mean 0.7, sd ≈ 0.019; ±0.1 is > 5 sd
        assertTrue(Math.abs(frac - (1 - p)) < 0.1, "Dropout p=0.3: kept fraction " + frac + ", expected about " + (1 - p));
    }

    @Test
    void basicBlockIdentityAndProjection() {
        Shape s = Shape.map(6, 6, 4);
        long k1 = (long) B * 36 + 4 * 9;  // longest reduction: batch norms over B·h·w rows, plus a 3×3 conv behind them
        compare("BasicBlock identity", of(new BasicBlock(backend(), "blk", s, 4, 1, 0.1f, 1e-5f), B), s.elements(), B, k1,
                y -> new RefBasicBlock("blk", 6, 6, 4, 4, 1, 0.1, 1e-5));
        compare("BasicBlock projection (stride 2, 4→6)", of(new BasicBlock(backend(), "blk", s, 6, 2, 0.1f, 1e-5f), B), s.elements(), B,
                k1, y -> new RefBasicBlock("blk", 6, 6, 4, 6, 2, 0.1, 1e-5));
    }

    /**
     * Buffers allocated for a larger batch, and a previous step on other data: the kernels must use
     * only the first {@code batch} examples and overwrite (not accumulate into) gradients and saved
     * state (argmax, batch statistics, dropout mask).
     */
    @Test
    void layersReusedAcrossStepsAndLargerAllocations() {
        Shape m = Shape.map(5, 5, 3);
        compare("Linear, reused", reused(new Linear(backend(), "fc", Shape.flat(9), 4, true), 9), 9, B, 9,
                y -> new RefLinear("fc", 9, 4, true));
        compare("Conv2d 3x3 s2 p1, reused", reused(new Conv2d(backend(), "conv", m, 4, 3, 2, 1, true), m.elements()), m.elements(), B,
                B * 9, y -> new RefConv2d("conv", 5, 5, 3, 4, 3, 2, 1, true));
        compare("MaxPool2d 3x3 s2, reused", reused(new MaxPool2d(backend(), m, 3, 2, 0), m.elements()), m.elements(), B, 9,
                y -> new RefPool(true, 5, 5, 3, 3, 2, 0));
        compare("BatchNorm2d, reused", reused(new BatchNorm(backend(), "bn", m, 0.1f, 1e-5f), m.elements()), m.elements(), B,
                B * 25, y -> new RefBatchNorm("bn", 3, 0.1, 1e-5));
        compare("GELU, reused", reused(new ActivationLayer(backend(), Activation.GELU, m), m.elements()), m.elements(), B, 1,
                y -> RefPointwise.gelu());
        compare("Dropout p=0.5, reused", reused(new Dropout(backend(), m, 0.5f, 99L), m.elements()), m.elements(), B, 1, y -> {
            boolean[] keep = new boolean[y.length];
            for (int i = 0; i < y.length; i++) keep[i] = y[i] != 0f;
            return RefPointwise.dropout(keep, 0.5);
        });
    }

    /** Allocated for B + 2 examples; the first forward runs one step on other data with batch B + 2. */
    private Subject reused(Layer l, long inputSize) {
        Subject inner = of(l, B + 2);
        return new Subject() {
            boolean warm;

            public Tensor forward(Tensor x, int b) {
                if (!warm) {
                    warm = true;
                    java.util.SplittableRandom rnd = new java.util.SplittableRandom(17);
                    int n = (int) (inputSize * (B + 2));
                    Tensor y = inner.forward(floats("warmup.x", randomFloats(rnd, n), n), B + 2);
                    int ny = (int) y.numel();
                    inner.backward(floats("warmup.dy", randomFloats(rnd, ny), ny), B + 2);
                }
                return inner.forward(x, b);
            }

            public Tensor backward(Tensor dy, int b) { return inner.backward(dy, b); }
            public List<Parameter> parameters() { return inner.parameters(); }
            public void close() { inner.close(); }
        };
    }

    /**
     * Softmax cross-entropy (mean) against log-sum-exp in double, with logit spreads of ±60: exp()
     * overflows float32 beyond 88, so a kernel that does not subtract the row maximum fails here.
     */
    @Test
    void softmaxCrossEntropyMatchesLogSumExpForLargeLogits() {
        int rows = 6, classes = 5;
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(63);
        float[] logits = randomFloats(rnd, rows * classes);
        for (int i = 0; i < logits.length; i++) logits[i] *= i < classes ? 1 : 60;  // row 0 moderate, others wide
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) labels[r] = rnd.nextInt(classes);
        double lossSum = 0;
        double[] dref = new double[logits.length];
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int j = 0; j < classes; j++) max = Math.max(max, logits[r * classes + j]);
            for (int j = 0; j < classes; j++) sum += Math.exp(logits[r * classes + j] - max);
            lossSum += max + Math.log(sum) - logits[r * classes + labels[r]];
            for (int j = 0; j < classes; j++) {
                dref[r * classes + j] = (Math.exp(logits[r * classes + j] - max) / sum - (j == labels[r] ? 1 : 0)) / rows;
            }
        }
        Tensor dlogits = zeros("xent.dlogits", io.sparseretrain.core.DType.F32, rows, classes);
        Tensor labelsT = zeros("xent.labels", io.sparseretrain.core.DType.I32, rows);
        backend().copyFromHost(labels, labelsT);
        double got = backend().nn().softmaxCrossEntropy(floats("xent.logits", logits, rows, classes), labelsT, rows, classes, 1f / rows,
                dlogits).lossSum();
        double tol = LayerTolerances.layer(classes, lossSum);
        org.junit.jupiter.api.Assertions.assertEquals(lossSum, got, tol, "softmax cross-entropy, logits up to ±60: loss sum");
        check("softmax cross-entropy, logits up to ±60", "dlogits", dref, host(dlogits), classes);
    }

    static final String MODEL_YAML = """
            name: tiny
            input: [8, 8, 2]
            classes: 3
            layers:
              - {type: conv, name: conv1, out: 4, kernel: 3, padding: 1, bias: false}
              - {type: batchnorm, name: bn1}
              - relu
              - {type: maxpool, kernel: 2}
              - {type: resnet_stage, name: layer1, blocks: 1, out: 6, stride: 2}
              - flatten
              - {type: linear, name: fc1, out: 8}
              - gelu
              - {type: linear, name: fc2, out: 3}
            """;

    @Test
    void wholeModelFromYamlSpec() {
        RefLayer ref = new RefSequential(List.of(new RefConv2d("conv1", 8, 8, 2, 4, 3, 1, 1, false), new RefBatchNorm("bn1", 4, 0.1, 1e-5),
                RefPointwise.relu(), new RefPool(true, 8, 8, 4, 2, 2, 0), new RefBasicBlock("layer1.0", 4, 4, 4, 6, 2, 0.1, 1e-5),
                new RefFlatten(2, 2, 6), new RefLinear("fc1", 24, 8, true), RefPointwise.gelu(), new RefLinear("fc2", 8, 3, true)));
        long k = (long) B * 64 + 9 * 6 + 24;  // bn1 over B·8·8 rows plus the chain behind it
        compare("Model 'tiny' from YAML", of(ModelSpec.parse("tiny.yaml", MODEL_YAML).build(backend(), 7L)), 8 * 8 * 2, B, k, y -> ref);
    }
}
