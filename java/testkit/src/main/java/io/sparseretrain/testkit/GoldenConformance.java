package io.sparseretrain.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.ops.AdamWConfig;
import io.sparseretrain.core.ops.SgdConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Mask-aware SGD / AdamW steps against torch.optim, from the fixture {@code golden/optim_golden.json}
 * written by {@code java/testkit/scripts/make_golden_optim.py} (format version 1). Tolerance:
 * {@link Tolerances#golden} — float32 element-wise updates, a few ulps per step.
 */
public abstract class GoldenConformance extends OptimizerConformance {
    static final int FORMAT_VERSION = 1;

    @SuppressWarnings("unchecked")
    private static Map<String, Object> fixture() {
        try (InputStream in = GoldenConformance.class.getResourceAsStream("/golden/optim_golden.json")) {
            if (in == null) throw new AssertionError("golden/optim_golden.json is not on the class path");
            return (Map<String, Object>) MiniJson.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot read golden/optim_golden.json", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static float[] floats(Object list) {
        List<Object> l = (List<Object>) list;
        float[] a = new float[l.size()];
        for (int i = 0; i < a.length; i++) a[i] = ((Double) l.get(i)).floatValue();
        return a;
    }

    private static float num(Map<String, Object> h, String key) {
        return ((Double) h.get(key)).floatValue();
    }

    @Test
    @SuppressWarnings("unchecked")
    void optimizerStepsMatchPyTorchGolden() {
        Map<String, Object> doc = fixture();
        assertEquals(FORMAT_VERSION, ((Double) doc.get("format_version")).intValue(), "golden fixture format version");
        List<Map<String, Object>> cases = (List<Map<String, Object>>) doc.get("cases");
        assertEquals(3, cases.size(), "golden cases");
        for (Map<String, Object> c : cases) {
            String name = (String) c.get("name");
            Map<String, Object> h = (Map<String, Object>) c.get("hyper");
            float[] w0 = floats(c.get("w0"));
            List<Object> maskList = (List<Object>) c.get("mask");
            byte[] mask = new byte[maskList.size()];
            for (int i = 0; i < mask.length; i++) mask[i] = (byte) ((Double) maskList.get(i)).intValue();
            List<Object> grads = (List<Object>) c.get("grads"), ws = (List<Object>) c.get("w");
            Map<String, Object> state = (Map<String, Object>) c.get("state");
            int n = w0.length;
            Tensor w = floats(name + ".weight", w0, n), m = bytes(name + ".mask", mask, n);
            Tensor s1 = floats(name + ".state1", new float[n], n), s2 = floats(name + ".state2", new float[n], n);
            boolean sgd = "sgd".equals(h.get("optimizer"));
            for (int step = 0; step < grads.size(); step++) {
                Tensor g = floats(name + ".grad", floats(grads.get(step)), n);
                float lr = num(h, "lr");
                if (sgd) {
                    SgdConfig cfg = new SgdConfig(num(h, "momentum"), num(h, "dampening"), num(h, "weight_decay"),
                            Boolean.TRUE.equals(h.get("nesterov")), false);
                    backend().optimizers().sgdStep(w, g, s1, m, cfg, lr, step == 0);
                } else {
                    AdamWConfig cfg = new AdamWConfig(num(h, "beta1"), num(h, "beta2"), num(h, "eps"), num(h, "weight_decay"));
                    backend().optimizers().adamwStep(w, g, s1, s2, m, cfg, lr, step + 1);
                }
                String at = "golden " + name + " after step " + (step + 1);
                double tol = Tolerances.golden(step + 1, 1.0);
                assertClose(floats(ws.get(step)), host(w), tol, at + ": weights");
                assertZeroWhereMasked(host(w), mask, at + ": weights");
                if (sgd) {
                    assertClose(floats(((List<Object>) state.get("momentum_buffer")).get(step)), host(s1), tol, at + ": momentum");
                } else {
                    assertClose(floats(((List<Object>) state.get("exp_avg")).get(step)), host(s1), tol, at + ": exp_avg");
                    assertClose(floats(((List<Object>) state.get("exp_avg_sq")).get(step)), host(s2), tol, at + ": exp_avg_sq");
                }
            }
        }
    }
}
