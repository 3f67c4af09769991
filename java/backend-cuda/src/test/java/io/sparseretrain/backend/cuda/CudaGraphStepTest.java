package io.sparseretrain.backend.cuda;

import static io.sparseretrain.backend.cuda.GpuAssumptions.cudaOrSkip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparseretrain.core.DType;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.nn.Model;
import io.sparseretrain.core.nn.ModelSpec;
import io.sparseretrain.core.nn.Parameter;
import io.sparseretrain.core.ops.SgdConfig;
import io.sparseretrain.core.ops.XentResult;
import io.sparseretrain.core.optim.DeviceStepScalars;
import io.sparseretrain.core.optim.Sgd;
import io.sparseretrain.core.schedule.LrSchedule;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * GPU only: a small MLP trained 60 steps with the learning rate changing every step, once uncaptured
 * and once with the step replayed from CUDA Graphs, gives bit-identical weights and losses. The step is
 * two graphs around the loss: G1 = forward, then sr_softmax_xent uncaptured (it returns loss and
 * accuracy to the host, which synchronizes, so it cannot be inside a graph), then G2 = backward +
 * advance of the device step scalars + masked SGD (Nesterov, wd). Batches are copied in before G1.
 */
class CudaGraphStepTest {
    private static final String MLP = """
            name: tiny-mlp
            input: [8, 8, 1]
            classes: 4
            layers:
              - flatten
              - {type: linear, name: fc1, out: 32}
              - relu
              - {type: linear, name: fc2, out: 4}
            """;
    private static final int BATCH = 16, STEPS = 60;
    private static final LrSchedule SCHEDULE = new LrSchedule() {
        @Override
        public float lr(long t) {
            return t < 10 ? 0.01f * (t + 1) : 0.1f * (STEPS - t) / (STEPS - 10);
        }

        @Override
        public long length() {
            return STEPS;
        }
    };

    @Test
    void capturedTrainingStepsEqualUncapturedStepsOverAChangingLr() {
        try (CudaBackend cuda = cudaOrSkip()) {
            Random r = new Random(11);
            List<float[]> xs = new ArrayList<>();
            List<int[]> ys = new ArrayList<>();
            for (int i = 0; i < STEPS; i++) {
                xs.add(Compare.randomFloats(r, BATCH * 64));
                int[] y = new int[BATCH];
                for (int j = 0; j < BATCH; j++) y[j] = r.nextInt(4);
                ys.add(y);
            }
            Run plain = run(cuda, xs, ys, false);
            Run graphed = run(cuda, xs, ys, true);
            assertArrayEquals(plain.losses, graphed.losses, 0.0, "per-step losses");
            for (int i = 0; i < plain.weights.size(); i++) {
                assertArrayEquals(plain.weights.get(i), graphed.weights.get(i), 0f, "parameter " + i + " after " + STEPS + " steps");
            }
            assertEquals(0, cuda.openTensorCount(), "tensors left open");
        }
    }

    private record Run(double[] losses, List<float[]> weights) {}

    private static Run run(CudaBackend cuda, List<float[]> xs, List<int[]> ys, boolean captured) {
        Model model = ModelSpec.parse("tiny-mlp", MLP).build(cuda, 5);
        double[] losses = new double[STEPS];
        try (Tensor x = cuda.zeros("x", DType.F32, (long) BATCH * 64); Tensor y = cuda.zeros("y", DType.I32, BATCH);
             Tensor dlogits = cuda.zeros("dlogits", DType.F32, (long) BATCH * 4);
             Sgd sgd = new Sgd(cuda, model.parameters(), SgdConfig.nesterov(0.9f, 1e-4f));
             DeviceStepScalars scalars = DeviceStepScalars.forRun(cuda, SCHEDULE, 0, STEPS, 0)) {
            model.allocate(BATCH);
            for (Parameter p : model.prunableParameters()) {  // a fixed random mask: pruned weights must stay 0
                byte[] m = Compare.randomMask(new Random(p.name().hashCode()), (int) p.numel(), 0.5);
                cuda.copyFromHost(m, p.ensureMask(cuda));
                cuda.masks().apply(p.value(), p.mask());
            }
            Tensor[] logits = new Tensor[1];
            Runnable forward = () -> logits[0] = model.forward(x, BATCH, true);
            Runnable update = () -> {
                model.backward(dlogits, BATCH);
                scalars.advance();
                sgd.step(scalars);
            };
            io.sparseretrain.nativebridge.CudaGraph g1 = null, g2 = null;
            try {
                for (int t = 0; t < STEPS; t++) {
                    cuda.copyFromHost(xs.get(t), x);
                    cuda.copyFromHost(ys.get(t), y);
                    // step 0 is the uncaptured warm-up (workspaces grow, momentum's first step)
                    if (captured && t == 1) {
                        g1 = io.sparseretrain.nativebridge.CudaGraph.capture(cuda.context(), forward);
                        g1.launch();
                    } else if (captured && t > 1) {
                        g1.launch();
                    } else {
                        forward.run();
                    }
                    XentResult xr = cuda.nn().softmaxCrossEntropy(logits[0], y, BATCH, 4, 1f / BATCH, dlogits);
                    losses[t] = xr.lossSum();
                    if (captured && t == 1) {
                        g2 = io.sparseretrain.nativebridge.CudaGraph.capture(cuda.context(), update);
                        g2.launch();
                    } else if (captured && t > 1) {
                        g2.launch();
                        sgd.setSteps(sgd.steps() + 1);  // the replay ran the step; keep the host count in line
                    } else {
                        update.run();
                    }
                }
            } finally {
                if (g1 != null) g1.close();
                if (g2 != null) g2.close();
            }
            cuda.synchronize();
            assertEquals(STEPS, sgd.steps(), "host step count");
            List<float[]> weights = new ArrayList<>();
            for (Parameter p : model.parameters()) weights.add(cuda.copyToHostFloats(p.value()));
            return new Run(losses, weights);
        } finally {
            model.close();
        }
    }
}
