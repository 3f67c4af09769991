package io.sparseretrain.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.DType;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.nn.ActivationLayer;
import io.sparseretrain.core.nn.Conv2d;
import io.sparseretrain.core.nn.Flatten;
import io.sparseretrain.core.nn.KernelMode;
import io.sparseretrain.core.nn.Layer;
import io.sparseretrain.core.nn.Linear;
import io.sparseretrain.core.nn.Model;
import io.sparseretrain.core.nn.Parameter;
import io.sparseretrain.core.nn.Precision;
import io.sparseretrain.core.nn.Shape;
import io.sparseretrain.core.nn.Sparse24Runtime;
import io.sparseretrain.core.ops.Activation;
import io.sparseretrain.core.ops.SgdConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Small models with 2:4 masks and integer data for {@link Sparse24Conformance}: the data keep every
 * fp32 sum exact, so the 2:4 path (bf16 operands, fp32 accumulation, one bf16 rounding) can be compared
 * bit for bit with plain Java and with the dense F32 layer.
 */
public final class Sparse24Models {
    private Sparse24Models() {}

    /** Round-to-nearest-even float → bf16 → float, as sr_cast. */
    public static float bf16(float f) {
        int u = Float.floatToRawIntBits(f);
        if ((u & 0x7f800000) == 0x7f800000 && (u & 0x7fffff) != 0) return f;
        int rounded = (u + 0x7fff + ((u >>> 16) & 1)) & 0xffff0000;
        return Float.intBitsToFloat(rounded);
    }

    public static void assertBitEquals(float[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what + ": length");
        boolean nonzero = false;
        for (float v : want) nonzero |= v != 0f;
        if (!nonzero) throw new AssertionError(what + ": the reference is all zeros (the comparison would prove nothing)");
        int bad = 0, first = -1;
        for (int i = 0; i < want.length; i++) {
            // == : exact values, +0 equal to -0 (a sum of -0 products is -0 in one order and +0 in another)
            if (!(want[i] == got[i]) && bad++ == 0) first = i;
        }
        if (bad > 0) throw new AssertionError(what + ": " + bad + " of " + want.length + " differ; first at " + first + ": got " + got[first]
                + ", want " + want[first]);
    }

    /** Integers in [-r, r], zeros replaced by `zeroAs` when it is nonzero. */
    static float[] ints(SplittableRandom rnd, int n, int r, float zeroAs) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextInt(2 * r + 1) - r;
            if (v[i] == 0f && zeroAs != 0f) v[i] = zeroAs;
        }
        return v;
    }

    /** W's mask: transposable 2:4 or 2:4 along the input features, applied to W. */
    static void prune24(Backend b, Parameter p, boolean transposable) {
        Tensor mask = p.ensureMask(b);
        if (transposable) b.masks().maskTransposable24(p.value(), mask);
        else b.masks().maskNM(p.value(), mask, 2, 4);
        b.masks().apply(p.value(), mask);
    }

    public record Result(float[] y, float[] dx, float[] dw) {}

    /** ReLU → Linear layers (no bias) with 2:4 masks, one batch of integer data and an integer dY. */
    public static final class Mlp implements AutoCloseable {
        private final Backend b;
        private final Model model;
        private final int batch;
        private final Tensor x;
        private final Tensor dy;
        private final float[] xHost;
        private final float[] dyHost;

        Mlp(Backend b, Model model, int batch, float[] xHost, float[] dyHost) {
            this.b = b;
            this.model = model;
            this.batch = batch;
            this.xHost = xHost;
            this.dyHost = dyHost;
            this.x = b.fromFloats("x", xHost, xHost.length);
            this.dy = b.fromFloats("dy", dyHost, dyHost.length);
        }

        public Model model() {
            return model;
        }

        Linear last() {
            return (Linear) model.layers().get(model.layers().size() - 1);
        }

        public void forwardOnly() {
            model.forward(x, batch, true);
        }

        /** A training-mode forward of the first {@code rows} examples (a partial batch when fewer). */
        public void forwardOnly(int rows) {
            model.forward(x, rows, true);
        }

        /** Forward, then dX and dW of the last Linear for the fixed dY. */
        public Result step() {
            float[] y = b.copyToHostFloats(model.forward(x, batch, true));
            Tensor dx = last().backward(dy, batch);
            float[] dxAll = b.copyToHostFloats(dx);
            int in = (int) last().weight().value().shape()[1];
            return new Result(Arrays.copyOf(y, batch * model.classes()), Arrays.copyOf(dxAll, batch * in),
                    b.copyToHostFloats(last().weight().grad()));
        }

        /** A masked SGD step on every weight, then the 2:4 layers re-cast (what the Trainer does). */
        public void sgd(float lr) {
            for (Parameter p : model.prunableParameters()) {
                b.optimizers().sgdStep(p.value(), p.grad(), null, p.mask(), SgdConfig.plain(), lr, true);
            }
            model.weightsChanged();
        }

        /** All-ones masks and nonzero weights everywhere: not 2:4. */
        public void unmask() {
            for (Parameter p : model.prunableParameters()) {
                byte[] ones = new byte[(int) p.numel()];
                Arrays.fill(ones, (byte) 1);
                b.copyFromHost(ones, p.ensureMask(b));
                b.copyFromHost(ints(new SplittableRandom(3), (int) p.numel(), 2, 1f), p.value());
            }
        }

        /** Every kept weight = w, every input = x (the masks stay); dY unchanged. */
        public void fill(float w, float xValue) {
            for (Parameter p : model.prunableParameters()) {
                byte[] mask = b.copyToHostBytes(p.mask());
                float[] v = new float[mask.length];
                for (int i = 0; i < v.length; i++) v[i] = mask[i] != 0 ? w : 0f;
                b.copyFromHost(v, p.value());
            }
            Arrays.fill(xHost, xValue);
            b.copyFromHost(xHost, x);
            model.weightsChanged();
        }

        /** relu(x) as the kernels see it: rounded to bf16 (identity on the integer data). */
        private float[] reluX() {
            float[] r = new float[xHost.length];
            for (int i = 0; i < r.length; i++) r[i] = bf16(Math.max(0f, xHost[i]));
            return r;
        }

        private float[] weightsBf16() {
            float[] w = b.copyToHostFloats(last().weight().value());
            for (int i = 0; i < w.length; i++) w[i] = bf16(w[i]);
            return w;
        }

        /** Single-Linear models: y = bf16(relu(x))·bf16(W)ᵀ, rounded once to bf16. */
        public float[] expectedY() {
            float[] w = weightsBf16();
            int out = model.classes(), in = w.length / out;
            float[] xr = reluX(), y = new float[batch * out];
            for (int r = 0; r < batch; r++)
                for (int o = 0; o < out; o++) {
                    double s = 0;
                    for (int i = 0; i < in; i++) s += (double) xr[r * in + i] * w[o * in + i];
                    y[r * out + o] = bf16((float) s);
                }
            return y;
        }

        /** dX = dY·bf16(W), rounded once to bf16 (dY: small integers, exact in bf16). */
        public float[] expectedDx() {
            float[] w = weightsBf16();
            int out = model.classes(), in = w.length / out;
            float[] dx = new float[batch * in];
            for (int r = 0; r < batch; r++)
                for (int i = 0; i < in; i++) {
                    double s = 0;
                    for (int o = 0; o < out; o++) s += (double) dyHost[r * out + o] * w[o * in + i];
                    dx[r * in + i] = bf16((float) s);
                }
            return dx;
        }

        /** dW = dYᵀ·bf16(relu(x)) in F32 (the dense weight gradient; x is exact in bf16 except in fill()). */
        public float[] expectedDw() {
            int out = model.classes(), in = (int) last().weight().value().shape()[1];
            float[] xr = reluX(), dw = new float[out * in];
            for (int o = 0; o < out; o++)
                for (int i = 0; i < in; i++) {
                    double s = 0;
                    for (int r = 0; r < batch; r++) s += (double) dyHost[r * out + o] * xr[r * in + i];
                    dw[o * in + i] = (float) s;
                }
            return dw;
        }

        @Override
        public void close() {
            model.close();
            x.close();
            dy.close();
        }
    }

    /** ReLU → Linear fc [out, in] with a transposable 2:4 mask; batch rows of integer data. */
    public static Mlp reluLinear(Backend b, int batch, int in, int out, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Shape s = Shape.flat(in);
        Linear fc = new Linear(b, "fc", s, out, false);
        Model model = new Model("relu-linear", b, s, out, List.of(new ActivationLayer(b, Activation.RELU, s), fc));
        b.copyFromHost(ints(rnd, in * out, 2, 1f), fc.weight().value());
        prune24(b, fc.weight(), true);
        return new Mlp(b, model, batch, ints(rnd, batch * in, 2, 0f), ints(rnd, batch * out, 2, 0f));
    }

    /** A 2:4 (N:M, not transposable) MLP with widths of the given list, ReLU first. */
    public static Mlp mlp(Backend b, int batch, int[] widths, boolean transposable, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Shape s = Shape.flat(widths[0]);
        List<Layer> layers = new ArrayList<>();
        layers.add(new ActivationLayer(b, Activation.RELU, s));
        for (int i = 1; i < widths.length; i++) {
            Linear fc = new Linear(b, "fc" + i, Shape.flat(widths[i - 1]), widths[i], false);
            layers.add(fc);
            if (i < widths.length - 1) layers.add(new ActivationLayer(b, Activation.RELU, Shape.flat(widths[i])));
        }
        Model model = new Model("mlp", b, s, widths[widths.length - 1], layers);
        for (Parameter p : model.prunableParameters()) {
            float[] w = ints(rnd, (int) p.numel(), 2, 1f);
            for (int i = 0; i < w.length; i++) w[i] *= 0.05f;
            b.copyFromHost(w, p.value());
            prune24(b, p, transposable);
        }
        int last = widths[widths.length - 1];
        return new Mlp(b, model, batch, ints(rnd, batch * widths[0], 2, 0f), ints(rnd, batch * last, 2, 0f));
    }

    /** LeNet-300-100's widths (784-300-100-10) with N:M 2:4 masks. */
    public static Mlp lenet(Backend b, int batch, long seed) {
        return mlp(b, batch, new int[] {784, 300, 100, 10}, false, seed);
    }

    /** ReLU → Conv2d (cin → cout, 3x3, pad 1) → Flatten, transposable 2:4 along Cin, values ±1. */
    public static final class Conv implements AutoCloseable {
        private final Backend b;
        private final Model dense;
        private final Model sparse;
        private final Tensor x;
        private final Tensor dy;
        private final int batch;

        Conv(Backend b, int batch, int hw, int cin, int cout, long seed) {
            this.b = b;
            this.batch = batch;
            this.dense = build(b, hw, cin, cout);
            this.sparse = build(b, hw, cin, cout);
            SplittableRandom rnd = new SplittableRandom(seed);
            float[] w = ints(rnd, cout * cin * 9, 1, 1f);
            for (Model m : List.of(dense, sparse)) {
                Parameter p = m.prunableParameters().get(0);
                b.copyFromHost(w, p.value());
                prune24(b, p, true);
            }
            // x in {-1, 0, 1} (ReLU → {0, 1}), dY in {-1, 0, 1}: every sum is a small integer, exact in bf16
            this.x = b.fromFloats("x", ints(rnd, batch * hw * hw * cin, 1, 0f), (long) batch * hw * hw * cin);
            this.dy = b.fromFloats("dy", ints(rnd, batch * hw * hw * cout, 1, 0f), (long) batch * hw * hw * cout);
        }

        private static Model build(Backend b, int hw, int cin, int cout) {
            Shape in = Shape.map(hw, hw, cin);
            Conv2d conv = new Conv2d(b, "conv", in, cout, 3, 1, 1, false);
            return new Model("relu-conv", b, in, hw * hw * cout,
                    List.of(new ActivationLayer(b, Activation.RELU, in), conv, new Flatten(b, conv.outputShape())));
        }

        private float[][] run(Model m) {
            float[] y = b.copyToHostFloats(m.forward(x, batch, true));
            Conv2d conv = (Conv2d) m.layers().get(1);
            float[] dx = b.copyToHostFloats(conv.backward(dy, batch));
            return new float[][] {y, dx, b.copyToHostFloats(conv.weight().grad())};
        }

        /** Forward, dX and dW of the 2:4 model in {@code mode} against the dense one: bit for bit. */
        public Sparse24Runtime compareDenseAndSparse(KernelMode mode) {
            Sparse24Runtime rt = sparse.useKernels(mode, Precision.BF16, true);
            float[][] want = run(dense);
            for (int round = 1; round <= 2; round++) {  // round 2 takes the cached plans and decisions
                float[][] got = run(sparse);
                assertBitEquals(want[0], got[0], mode + " conv forward, round " + round);
                assertBitEquals(want[1], got[1], mode + " conv dX, round " + round);
                assertBitEquals(want[2], got[2], mode + " conv dW, round " + round);
            }
            return rt;
        }

        @Override
        public void close() {
            dense.close();
            sparse.close();
            x.close();
            dy.close();
        }
    }

    public static Conv reluConv(Backend b, int batch, int hw, int cin, int cout, long seed) {
        return new Conv(b, batch, hw, cin, cout, seed);
    }
}
