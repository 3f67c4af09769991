package io.sparseretrain.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparseretrain.core.DType;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.nn.Layer;
import io.sparseretrain.core.nn.ModelSpec;
import io.sparseretrain.core.nn.Parameter;
import io.sparseretrain.core.nn.StateBuffer;
import io.sparseretrain.core.ops.AdamWConfig;
import io.sparseretrain.core.ops.SgdConfig;
import io.sparseretrain.core.ops.XentResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every layer type, softmax cross-entropy and one masked SGD / AdamW step of a small MLP against
 * torch.nn / torch.optim, from {@code golden/layers_golden.json} written by
 * {@code java/testkit/scripts/make_golden_layers.py} (format version 1; feature maps stored NHWC).
 * Tolerance: {@link LayerTolerances#golden} with K = the case's input size, an upper bound on every
 * reduction in these small cases (part of {@link BackendConformanceSuite}).
 */
public abstract class LayerGoldenConformance extends LayerGradientConformance {
    static final int FORMAT_VERSION = 1;
    private static Map<String, Object> doc;

    private static synchronized Map<String, Object> fixture() {
        if (doc == null) {
            doc = GoldenFixture.load("/golden/layers_golden.json");
            assertEquals(FORMAT_VERSION, GoldenFixture.integer(doc, "format_version"), "layers_golden.json format version");
        }
        return doc;
    }

    @Test
    void layersMatchPyTorchGolden() {
        List<Map<String, Object>> cases = GoldenFixture.maps(fixture(), "layers");
        assertEquals(10, cases.size(), "golden layer cases");
        for (Map<String, Object> c : cases) layerCase(c);
    }

    private void layerCase(Map<String, Object> c) {
        String what = "golden " + c.get("name");
        int[] xs = GoldenFixture.ints(c.get("x_shape"));
        int batch = xs[0];
        List<Layer> layers = GoldenLayers.build(backend(), GoldenFixture.map(c, "config"), java.util.Arrays.copyOfRange(xs, 1, xs.length));
        try {
            List<Parameter> params = new ArrayList<>();
            for (Layer l : layers) {
                l.allocate(batch);
                params.addAll(l.parameters());
            }
            Map<String, Object> given = GoldenFixture.map(c, "params");
            assertEquals(given.keySet(), names(params), what + ": parameter names");
            for (Parameter p : params) backend().copyFromHost(GoldenFixture.floats(given.get(p.name())), p.value());
            float[] x = GoldenFixture.floats(c.get("x"));
            Tensor h = floats(what + ".x", x, x.length);
            for (Layer l : layers) h = l.forward(h, batch, true);
            long k = x.length;
            compare(what, "output", c.get("y"), host(h), k);
            float[] dy = GoldenFixture.floats(c.get("dy"));
            Tensor g = floats(what + ".dy", dy, dy.length);
            for (int i = layers.size() - 1; i >= 0; i--) g = layers.get(i).backward(g, batch);
            compare(what, "input grad", c.get("dx"), host(g), k);
            Map<String, Object> grads = GoldenFixture.map(c, "grads");
            for (Parameter p : params) compare(what, p.name() + " grad", grads.get(p.name()), host(p.grad()), k);
            if (c.containsKey("buffers_after")) {
                Map<String, Object> after = GoldenFixture.map(c, "buffers_after");
                List<StateBuffer> bufs = new ArrayList<>();
                for (Layer l : layers) bufs.addAll(l.buffers());
                assertEquals(after.keySet(), new java.util.HashSet<>(bufs.stream().map(StateBuffer::name).toList()), what + ": buffers");
                for (StateBuffer b : bufs) compare(what, b.name() + " after the step", after.get(b.name()), host(b.value()), k);
            }
        } finally {
            layers.forEach(Layer::close);
        }
    }

    private static java.util.Set<String> names(List<Parameter> ps) {
        return new java.util.HashSet<>(ps.stream().map(Parameter::name).toList());
    }

    /** The first expected.length values of got (activation buffers may be longer). */
    private static void compare(String what, String tensor, Object expected, float[] got, long k) {
        float[] e = GoldenFixture.floats(expected);
        float[] g = java.util.Arrays.copyOf(got, e.length);
        assertClose(e, g, LayerTolerances.golden(k, LayerTolerances.maxAbs(e)), what + ": " + tensor);
    }

    @Test
    void softmaxCrossEntropyMatchesPyTorchGolden() {
        Map<String, Object> c = GoldenFixture.map(fixture(), "cross_entropy");
        int rows = GoldenFixture.integer(c, "rows"), classes = GoldenFixture.integer(c, "classes");
        Tensor dlogits = zeros("xent.dlogits", DType.F32, rows, classes);
        XentResult r = xent(GoldenFixture.floats(c.get("logits")), GoldenFixture.ints(c.get("labels")), rows, classes, dlogits);
        double loss = ((Double) c.get("loss"));
        assertEquals(loss, r.lossSum() / rows, LayerTolerances.golden(classes, Math.abs(loss)), "golden cross-entropy: mean loss");
        compare("golden cross-entropy", "dlogits", c.get("dlogits"), host(dlogits), classes);
    }

    private XentResult xent(float[] logits, int[] labels, int rows, int classes, Tensor dlogits) {
        Tensor l = floats("xent.logits", logits, rows, classes);
        Tensor y = zeros("xent.labels", DType.I32, rows);
        backend().copyFromHost(labels, y);
        return backend().nn().softmaxCrossEntropy(l, y, rows, classes, 1f / rows, dlogits);
    }

    static final String MLP_YAML = """
            name: mlp
            input: [8]
            classes: 3
            layers:
              - {type: linear, name: fc1, out: 6}
              - relu
              - {type: linear, name: fc2, out: 3}
            """;

    @Test
    void maskedOptimizerStepsOfMlpMatchPyTorchGolden() {
        List<Map<String, Object>> cases = GoldenFixture.maps(fixture(), "optimizers");
        assertEquals(2, cases.size(), "golden optimizer cases");
        for (Map<String, Object> c : cases) {
            try (io.sparseretrain.core.nn.Model model = ModelSpec.parse("mlp.yaml", MLP_YAML).build(backend(), 1L)) {
                optimizerCase(c, model);
            }
        }
    }

    private void optimizerCase(Map<String, Object> c, io.sparseretrain.core.nn.Model model) {
        String what = "golden " + c.get("name");
        Map<String, Object> p0 = GoldenFixture.map(c, "params0"), masks = GoldenFixture.map(c, "masks");
        Map<String, Object> grads = GoldenFixture.map(c, "grads"), p1 = GoldenFixture.map(c, "params1"), h = GoldenFixture.map(c, "hyper");
        assertEquals(p0.keySet(), names(model.parameters()), what + ": parameter names");
        for (Parameter p : model.parameters()) {
            backend().copyFromHost(GoldenFixture.floats(p0.get(p.name())), p.value());
            if (masks.containsKey(p.name())) backend().copyFromHost(GoldenFixture.bytes(masks.get(p.name())), p.ensureMask(backend()));
        }
        int batch = 4;
        float[] x = GoldenFixture.floats(c.get("x"));
        Tensor logits = model.forward(floats(what + ".x", x, batch, 8), batch, true);
        Tensor dlogits = zeros(what + ".dlogits", DType.F32, batch, 3);
        Tensor labels = zeros(what + ".labels", DType.I32, batch);
        backend().copyFromHost(GoldenFixture.ints(c.get("labels")), labels);
        double loss = backend().nn().softmaxCrossEntropy(logits, labels, batch, 3, 1f / batch, dlogits).lossSum() / batch;
        double want = (Double) c.get("loss");
        assertEquals(want, loss, LayerTolerances.golden(8, Math.abs(want)), what + ": loss");
        model.backward(dlogits, batch);
        boolean sgd = "sgd".equals(h.get("optimizer"));
        float lr = GoldenFixture.number(h, "lr");
        for (Parameter p : model.parameters()) {
            compare(what, p.name() + " grad", grads.get(p.name()), host(p.grad()), 8);
            int n = (int) p.numel();
            Tensor s1 = zeros(p.name() + ".state1", DType.F32, n), s2 = zeros(p.name() + ".state2", DType.F32, n);
            if (sgd) {
                SgdConfig cfg = SgdConfig.nesterov(GoldenFixture.number(h, "momentum"), GoldenFixture.number(h, "weight_decay"));
                backend().optimizers().sgdStep(p.value(), p.grad(), s1, p.mask(), cfg, lr, true);
            } else {
                AdamWConfig cfg = new AdamWConfig(GoldenFixture.number(h, "beta1"), GoldenFixture.number(h, "beta2"),
                        GoldenFixture.number(h, "eps"), GoldenFixture.number(h, "weight_decay"));
                backend().optimizers().adamwStep(p.value(), p.grad(), s1, s2, p.mask(), cfg, lr, 1);
            }
            float[] w = host(p.value());
            compare(what, p.name() + " after one step", p1.get(p.name()), w, 8);
            if (p.mask() != null) assertZeroWhereMasked(w, hostBytes(p.mask()), what + ": " + p.name() + " after one step");
        }
    }
}
