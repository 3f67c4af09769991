package io.sparseretrain.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.nn.Layer;
import io.sparseretrain.core.nn.Parameter;
import io.sparseretrain.testkit.reference.RefLayer;
import io.sparseretrain.testkit.reference.RefParam;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Machinery of the layer tests (step b): an engine layer's float32 forward and backward against the
 * float64 reference of {@code testkit.reference} (whose backward is itself checked against finite
 * differences by ReferenceGradientTest) on the same random inputs and parameters, for the loss
 * L = Σ y·r with random r, so dy = r. The tests are in {@link LayerGradientConformance} and {@link LayerGoldenConformance}.
 */
public abstract class LayerComparisonSupport extends GoldenConformance {

    /** The part of Layer and Model that the comparison drives. */
    protected interface Subject extends AutoCloseable {
        Tensor forward(Tensor x, int batch);

        /** dx, or null where the engine skips it (a Model's first layer). */
        Tensor backward(Tensor dy, int batch);

        List<Parameter> parameters();

        @Override
        void close();
    }

    protected static Subject of(Layer l, int batch) {
        l.allocate(batch);
        return new Subject() {
            public Tensor forward(Tensor x, int b) { return l.forward(x, b, true); }
            public Tensor backward(Tensor dy, int b) { return l.backward(dy, b); }
            public List<Parameter> parameters() { return l.parameters(); }
            public void close() { l.close(); }
        };
    }

    protected static Subject of(io.sparseretrain.core.nn.Model m) {
        return new Subject() {
            public Tensor forward(Tensor x, int b) { return m.forward(x, b, true); }
            public Tensor backward(Tensor dy, int b) { m.backward(dy, b); return null; }
            public List<Parameter> parameters() { return m.parameters(); }
            public void close() { m.close(); }
        };
    }

    /** What the engine produced, for checks beyond the comparison (dropout's mask, BN's running stats). */
    protected record Outcome(float[] x, float[] y, RefLayer ref) {}

    /**
     * Random parameters (norm scales in [0.5, 1.5), so no channel is switched off) and input of
     * {@code inputSize·batch} values, forward and backward on engine and reference, then compares y,
     * dx and every parameter gradient within {@link LayerTolerances#layer}(k, ·), k the longest
     * reduction of the layer. {@code refFor} builds the reference from the engine's output (dropout
     * reads its keep mask there); parameters are copied engine → reference by name and order.
     */
    protected Outcome compare(String what, Subject engine, long inputSize, int batch, long k, Function<float[], RefLayer> refFor) {
        return compare(what, engine, inputSize, batch, k, refFor, null);
    }

    /** The same on a given input (e.g. small integers, whose ties test a tie-breaking rule); null: random. */
    protected Outcome compare(String what, Subject engine, long inputSize, int batch, long k, Function<float[], RefLayer> refFor,
                              float[] input) {
        try (engine) {
            SplittableRandom rnd = new SplittableRandom(what.hashCode());
            for (Parameter p : engine.parameters()) {
                float[] v = randomFloats(rnd, (int) p.numel());
                boolean norm = p.kind() == Parameter.Kind.NORM_WEIGHT;
                if (norm) for (int i = 0; i < v.length; i++) v[i] = 1 + 0.5f * v[i];
                backend().copyFromHost(v, p.value());
            }
            float[] x = input != null ? input : randomFloats(rnd, (int) (inputSize * batch));
            assertEquals(inputSize * batch, x.length, what + ": input length");
            float[] y = prefix(host(engine.forward(floats(what + ".x", x, x.length), batch)), -1);
            RefLayer ref = refFor.apply(y);
            List<RefParam> refParams = ref.params();
            List<Parameter> params = engine.parameters();
            assertEquals(refParams.size(), params.size(), what + ": parameter count of the reference");
            for (int i = 0; i < params.size(); i++) {
                assertEquals(refParams.get(i).name, params.get(i).name(), what + ": parameter " + i + " (state_dict order)");
                float[] v = host(params.get(i).value());
                for (int j = 0; j < v.length; j++) refParams.get(i).value[j] = v[j];
            }
            double[] yRef = ref.forward(toDouble(x), batch);
            y = prefix(y, yRef.length);
            check(what, "output", yRef, y, k);
            float[] r = randomFloats(rnd, y.length);
            Tensor dx = engine.backward(floats(what + ".dy", r, r.length), batch);
            double[] dxRef = ref.backward(toDouble(r));
            if (dx != null) check(what, "input grad", dxRef, prefix(host(dx), dxRef.length), k);
            for (int i = 0; i < params.size(); i++) {
                check(what, params.get(i).name() + " grad", refParams.get(i).grad, host(params.get(i).grad()), k);
            }
            return new Outcome(x, y, ref);
        }
    }

    /** Every entry within the reduction-length tolerance; the message names layer, tensor, index, difference. */
    protected static void check(String what, String tensor, double[] ref, float[] got, long k) {
        float[] expected = new float[ref.length];
        for (int i = 0; i < ref.length; i++) expected[i] = (float) ref[i];
        assertClose(expected, got, LayerTolerances.layer(k, LayerTolerances.maxAbs(expected)), what + ": " + tensor);
    }

    /** The first n values (activation buffers may be longer than one batch); n < 0 keeps all. */
    private static float[] prefix(float[] a, int n) {
        return n < 0 || n == a.length ? a : java.util.Arrays.copyOf(a, n);
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }
}
