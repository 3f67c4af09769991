package io.sparseretrain.backend.cuda;

import static io.sparseretrain.backend.cuda.GpuAssumptions.cudaOrSkip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparseretrain.core.data.BatchLoader;
import io.sparseretrain.core.data.LabeledImages;
import io.sparseretrain.core.nn.KernelMode;
import io.sparseretrain.core.nn.Model;
import io.sparseretrain.core.nn.Parameter;
import io.sparseretrain.core.nn.Precision;
import io.sparseretrain.core.ops.SgdConfig;
import io.sparseretrain.core.optim.Sgd;
import io.sparseretrain.core.prune.PruneSpec;
import io.sparseretrain.core.prune.Pruner;
import io.sparseretrain.core.schedule.LrSchedule;
import io.sparseretrain.core.schedule.Schedules;
import io.sparseretrain.core.train.StepListener;
import io.sparseretrain.core.train.Trainer;
import io.sparseretrain.testkit.EngineFixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * GPU only: the Trainer with {@code useCudaGraphs(true)} (retraining.cuda_graph / train --cuda-graph)
 * over 57 steps of a masked MLP (3 epochs of 600 examples, batch 32: 18 full batches replayed from
 * graphs and a partial batch of 24 run uncaptured each epoch; warm-up + linear decay, a new lr every
 * step) gives the uncaptured run's accuracy and weights bit for bit, and its losses to 1e-12 relative:
 * a replayed step is one graph whose loss goes to a device accumulator (sr_softmax_xent_acc, summed with
 * atomics, read once per epoch) instead of the host.
 */
class CudaGraphTrainerTest {
    @Test
    void aCapturedTrainingRunEqualsTheUncapturedRun() {
        try (CudaBackend cuda = cudaOrSkip()) {
            LabeledImages data = EngineFixtures.quadrants(600, 3);
            Result plain = train(cuda, data, false), graphed = train(cuda, data, true);
            for (int e = 0; e < plain.losses.length; e++) {
                assertEquals(plain.losses[e], graphed.losses[e], 1e-12 * Math.abs(plain.losses[e]), "mean loss of epoch " + e);
            }
            assertArrayEquals(plain.accuracies, graphed.accuracies, 0.0, "per-epoch accuracies");
            for (int i = 0; i < plain.weights.size(); i++) assertArrayEquals(plain.weights.get(i), graphed.weights.get(i), 0f, "parameter " + i);
            assertEquals(plain.steps, graphed.steps, "optimizer step counts");
        }
    }

    /**
     * Dropout (its call counter read and advanced on the device, so each replay draws the next mask),
     * batch norm and a residual block: captured == uncaptured. Tolerance 1e-5 relative per weight, not
     * bit identity, because batch-norm and pooling reductions on the GPU are not promised to sum in one
     * order; the CPU double (GraphedTrainingTest) holds the same run to bit identity.
     */
    @Test
    void aCapturedCnnRunWithDropoutTracksTheUncapturedRun() {
        try (CudaBackend cuda = cudaOrSkip()) {
            LabeledImages data = EngineFixtures.quadrants(600, 4);
            compareClose(train(cuda, data, false, EngineFixtures.CNN, false), train(cuda, data, true, EngineFixtures.CNN, false), 1e-5);
        }
    }

    /**
     * 2:4 kernels (transposable masks, bf16, cuSPARSELt forward and dX, per-step re-cast and re-compression
     * inside the graph; plans made by prepareKernels before the first step): captured == uncaptured within
     * 1e-5 relative (a split-k configuration chosen by the search may reduce in another order per launch).
     */
    @Test
    void aCapturedSparse24RunTracksTheUncapturedRun() {
        try (CudaBackend cuda = cudaOrSkip()) {
            LabeledImages data = EngineFixtures.quadrants(600, 5);
            compareClose(train(cuda, data, false, EngineFixtures.MLP, true), train(cuda, data, true, EngineFixtures.MLP, true), 1e-5);
        }
    }

    private static void compareClose(Result plain, Result graphed, double rel) {
        assertEquals(plain.steps, graphed.steps, "optimizer step counts");
        for (int e = 0; e < plain.losses.length; e++) {
            assertEquals(plain.losses[e], graphed.losses[e], 1e-4 * Math.abs(plain.losses[e]), "mean loss of epoch " + e);
        }
        for (int i = 0; i < plain.weights.size(); i++) {
            float[] a = plain.weights.get(i), b = graphed.weights.get(i);
            for (int j = 0; j < a.length; j++) {
                assertEquals(a[j], b[j], rel * (1 + Math.abs(a[j])), "parameter " + i + " element " + j);
            }
        }
    }

    private record Result(double[] losses, double[] accuracies, List<float[]> weights, long steps) {}

    private static Result train(CudaBackend cuda, LabeledImages data, boolean graphs) {
        return train(cuda, data, graphs, EngineFixtures.MLP, false);
    }

    private static Result train(CudaBackend cuda, LabeledImages data, boolean graphs, String yaml, boolean sparse24) {
        final int epochs = 3;
        try (Model m = EngineFixtures.build(cuda, yaml, 7);
             Sgd opt = new Sgd(cuda, m.parameters(), SgdConfig.nesterov(0.9f, 1e-4f));
             Trainer t = new Trainer(m, opt, 32)) {
            BatchLoader loader = new BatchLoader(data, 32, 1, true, false);
            if (sparse24) {
                new Pruner(PruneSpec.transposable24(Set.of())).prune(m, 0.5, 0);
                m.useKernels(KernelMode.SPARSE24, Precision.BF16, true);
                t.prepareKernels(loader, null);
            } else if (yaml.equals(EngineFixtures.MLP)) {
                Parameter fc1 = m.parameter("fc1.weight");
                cuda.masks().pruneMagnitudeGlobal(List.of(fc1.value()), List.of(fc1.ensureMask(cuda)), fc1.numel() / 4);
                cuda.masks().apply(fc1.value(), fc1.mask());
            }
            t.useCudaGraphs(graphs);
            int per = loader.batchesPerEpoch();
            LrSchedule lr = Schedules.warmupLinear(0.1f, 1e-3f, per, (long) per * epochs);
            double[] losses = new double[epochs], acc = new double[epochs];
            for (int e = 0; e < epochs; e++) {
                Trainer.EpochStats s = t.trainEpoch(loader, e, 0, lr, (long) e * per, StepListener.NONE);
                losses[e] = s.loss();
                acc[e] = s.accuracy();
            }
            List<float[]> w = new ArrayList<>();
            for (Parameter p : m.parameters()) w.add(cuda.copyToHostFloats(p.value()));
            return new Result(losses, acc, w, opt.steps());
        }
    }
}
