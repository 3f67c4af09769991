package io.sparseretrain.backend.cuda;

import static io.sparseretrain.backend.cuda.GpuAssumptions.cudaOrSkip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparseretrain.core.DType;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.nn.Model;
import io.sparseretrain.core.nn.Parameter;
import io.sparseretrain.core.ops.SgdConfig;
import io.sparseretrain.core.ops.XentAccumulator;
import io.sparseretrain.core.ops.XentResult;
import io.sparseretrain.core.optim.DeviceStepScalars;
import io.sparseretrain.core.optim.Sgd;
import io.sparseretrain.core.schedule.LrSchedule;
import io.sparseretrain.testkit.EngineFixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * GPU only: a small MLP trained 60 steps with the learning rate changing every step, once uncaptured
 * (sr_softmax_xent returning loss and accuracy) and once with the step replayed from ONE CUDA Graph:
 * forward + sr_softmax_xent_acc (loss, correct count into a device accumulator) + backward + advance of
 * the device step scalars + masked SGD (Nesterov, wd). Batches are copied in, and the accumulator zeroed,
 * before each launch; it is read after each step here to compare per-step values. Weights and correct
 * counts are bit-identical; losses agree to 1e-12 relative (the accumulator sums rows with atomics).
 */
class CudaGraphStepTest {
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
            for (int t = 0; t < STEPS; t++) {
                assertEquals(plain.losses[t], graphed.losses[t], 1e-12 * Math.abs(plain.losses[t]), "loss of step " + t);
            }
            assertArrayEquals(plain.correct, graphed.correct, "per-step correct counts");
            for (int i = 0; i < plain.weights.size(); i++) {
                assertArrayEquals(plain.weights.get(i), graphed.weights.get(i), 0f, "parameter " + i + " after " + STEPS + " steps");
            }
            assertEquals(0, cuda.openTensorCount(), "tensors left open");
        }
    }

    private record Run(double[] losses, long[] correct, List<float[]> weights) {}

    private static Run run(CudaBackend cuda, List<float[]> xs, List<int[]> ys, boolean captured) {
        Model model = EngineFixtures.build(cuda, EngineFixtures.MLP, 5);
        double[] losses = new double[STEPS];
        long[] correct = new long[STEPS];
        try (Tensor x = cuda.zeros("x", DType.F32, (long) BATCH * 64); Tensor y = cuda.zeros("y", DType.I32, BATCH);
             Tensor dlogits = cuda.zeros("dlogits", DType.F32, (long) BATCH * 4);
             Sgd sgd = new Sgd(cuda, model.parameters(), SgdConfig.nesterov(0.9f, 1e-4f));
             DeviceStepScalars scalars = DeviceStepScalars.forRun(cuda, SCHEDULE, 0, STEPS, 0);
             XentAccumulator acc = new XentAccumulator(cuda)) {
            model.allocate(BATCH);
            for (Parameter p : model.prunableParameters()) {  // a fixed random mask: pruned weights must stay 0
                byte[] m = Compare.randomMask(new Random(p.name().hashCode()), (int) p.numel(), 0.5);
                cuda.copyFromHost(m, p.ensureMask(cuda));
                cuda.masks().apply(p.value(), p.mask());
            }
            XentResult[] plainLoss = new XentResult[1];
            Runnable step = () -> {
                Tensor logits = model.forward(x, BATCH, true);
                if (captured) {
                    cuda.nn().softmaxCrossEntropyAcc(logits, y, BATCH, 4, 1f / BATCH, dlogits, acc.tensor());
                } else {
                    plainLoss[0] = cuda.nn().softmaxCrossEntropy(logits, y, BATCH, 4, 1f / BATCH, dlogits);
                }
                model.backward(dlogits, BATCH);
                scalars.advance();
                sgd.step(scalars);
            };
            io.sparseretrain.nativebridge.CudaGraph graph = null;
            try {
                for (int t = 0; t < STEPS; t++) {
                    cuda.copyFromHost(xs.get(t), x);
                    cuda.copyFromHost(ys.get(t), y);
                    if (captured) acc.zero();
                    // step 0 is the uncaptured warm-up (workspaces grow, momentum's first step)
                    if (captured && t == 1) {
                        graph = io.sparseretrain.nativebridge.CudaGraph.capture(cuda.context(), step);
                        graph.launch();
                    } else if (captured && t > 1) {
                        graph.launch();
                        sgd.setSteps(sgd.steps() + 1);  // the replay ran the step; keep the host count in line
                    } else {
                        step.run();
                    }
                    if (captured) {
                        XentAccumulator.Totals tot = acc.read();
                        assertEquals(0, tot.error(), "error flags at step " + t);
                        assertEquals(BATCH, tot.rows(), "rows at step " + t);
                        losses[t] = tot.lossSum();
                        correct[t] = tot.correct();
                    } else {
                        losses[t] = plainLoss[0].lossSum();
                        correct[t] = plainLoss[0].correct();
                    }
                }
            } finally {
                if (graph != null) graph.close();
            }
            cuda.synchronize();
            assertEquals(STEPS, sgd.steps(), "host step count");
            List<float[]> weights = new ArrayList<>();
            for (Parameter p : model.parameters()) weights.add(cuda.copyToHostFloats(p.value()));
            return new Run(losses, correct, weights);
        } finally {
            model.close();
        }
    }
}
