package io.sparseretrain.backend.cpu.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparseretrain.backend.cpu.CpuBackend;
import io.sparseretrain.core.DType;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.data.BatchLoader;
import io.sparseretrain.core.data.LabeledImages;
import io.sparseretrain.core.nn.KernelMode;
import io.sparseretrain.core.nn.Model;
import io.sparseretrain.core.nn.Parameter;
import io.sparseretrain.core.nn.Precision;
import io.sparseretrain.core.ops.AdamWConfig;
import io.sparseretrain.core.ops.SgdConfig;
import io.sparseretrain.core.ops.StepGraphs;
import io.sparseretrain.core.optim.AdamW;
import io.sparseretrain.core.optim.Optimizer;
import io.sparseretrain.core.optim.Sgd;
import io.sparseretrain.core.prune.PruneSpec;
import io.sparseretrain.core.prune.Pruner;
import io.sparseretrain.core.schedule.LrSchedule;
import io.sparseretrain.core.schedule.Schedules;
import io.sparseretrain.core.train.StepListener;
import io.sparseretrain.core.train.Trainer;
import io.sparseretrain.testkit.EngineFixtures;
import io.sparseretrain.testkit.RecordingGraphs;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Graphed training steps ({@code Trainer.useCudaGraphs}) against the same steps run uncaptured, on the
 * CPU backend wrapped in {@link RecordingGraphs} — the CUDA Graph double that records a capture and
 * replays it with CUDA's rules. Bit-identical weights prove that the Java side of a graphed step keeps
 * nothing on the host that a replay would freeze (learning rate, step count, loss, 2:4 re-compression,
 * dropout's counter); the CUDA side of the same claim waits for a GPU (CudaGraphTrainerTest).
 */
class GraphedTrainingTest {
    static CpuBackend cpu;
    static final LabeledImages TRAIN = EngineFixtures.quadrants(600, 11);  // 18 full batches of 32 and one of 24
    static final LabeledImages TEST = EngineFixtures.quadrants(100, 12);

    @BeforeAll
    static void open() {
        cpu = new CpuBackend();
    }

    @AfterAll
    static void close() {
        cpu.close();
    }

    /** Parameters and optimizer state after two epochs, graphed or not, for a model built by {@code setup}. */
    private record Run(float[][] params, double loss, double accuracy, long replays) {}

    private static Run train(String yaml, boolean graphed, Function<Model, Optimizer> optimizer, boolean sparse24) {
        return train(yaml, graphed, optimizer, sparse24 ? KernelMode.SPARSE24 : KernelMode.DENSE, sparse24 ? Precision.BF16 : Precision.FP32);
    }

    private static Run train(String yaml, boolean graphed, Function<Model, Optimizer> optimizer, KernelMode kernels, Precision precision) {
        RecordingGraphs b = new RecordingGraphs(cpu);
        try (Model m = EngineFixtures.build(b, yaml, 5); Optimizer opt = optimizer.apply(m); Trainer t = new Trainer(m, opt, 32)) {
            BatchLoader loader = new BatchLoader(TRAIN, 32, 3, true, false);
            if (kernels != KernelMode.DENSE) new Pruner(PruneSpec.transposable24(Set.of())).prune(m, 0.5, 0);
            if (kernels != KernelMode.DENSE || precision != Precision.FP32) {
                m.useKernels(kernels, precision, true);
                t.prepareKernels(loader, TEST);
            }
            t.useCudaGraphs(graphed);
            long spe = loader.batchesPerEpoch();
            LrSchedule s = Schedules.warmupLinear(0.05f, 0.002f, 7, 2 * spe);  // a different lr every step
            Trainer.EpochStats last = null;
            for (int e = 0; e < 2; e++) last = t.trainEpoch(loader, e, 0, s, e * spe, StepListener.NONE);
            List<Parameter> ps = m.parameters();
            float[][] out = new float[ps.size()][];
            for (int i = 0; i < out.length; i++) out[i] = b.copyToHostFloats(ps.get(i).value());
            return new Run(out, last.loss(), last.accuracy(), b.replays());
        }
    }

    private static void assertSameRun(Run plain, Run graphed, String what) {
        for (int i = 0; i < plain.params().length; i++) assertArrayEquals(plain.params()[i], graphed.params()[i], what + ": parameter " + i);
        assertEquals(plain.accuracy(), graphed.accuracy(), what + ": accuracy of the last epoch");
        assertEquals(plain.loss(), graphed.loss(), 1e-6 * plain.loss(), what + ": mean loss of the last epoch");
        assertEquals(0, plain.replays());
        // per epoch (one trainSteps call): the first full batch warms up uncaptured, the other 17 replay
        assertEquals(2 * 17, graphed.replays(), what + ": graph launches");
    }

    private static Sgd sgd(Model m) {
        return new Sgd(m.backend(), m.parameters(), SgdConfig.nesterov(0.9f, 5e-4f));
    }

    @Test
    void sgdStepsReplayedFromAGraphEqualTheUncapturedSteps() {
        assertSameRun(train(EngineFixtures.MLP, false, GraphedTrainingTest::sgd, false),
                train(EngineFixtures.MLP, true, GraphedTrainingTest::sgd, false), "SGD, MLP");
    }

    @Test
    void adamWStepsReplayedFromAGraphEqualTheUncapturedSteps() {
        Function<Model, Optimizer> adamw = m -> new AdamW(m.backend(), m.parameters(), new AdamWConfig(0.9f, 0.999f, 1e-8f, 1e-2f));
        assertSameRun(train(EngineFixtures.MLP, false, adamw, false), train(EngineFixtures.MLP, true, adamw, false), "AdamW, MLP");
    }

    @Test
    void sparse24StepsReplayedFromAGraphEqualTheUncapturedSteps() {
        Run plain = train(EngineFixtures.MLP, false, GraphedTrainingTest::sgd, true);
        Run graphed = train(EngineFixtures.MLP, true, GraphedTrainingTest::sgd, true);
        assertSameRun(plain, graphed, "2:4 kernels (transposable, bf16), MLP");
        assertTrue(plain.accuracy() > 0.5, "the 2:4 MLP did not learn: " + plain.accuracy());
    }

    @Test
    void bf16DenseStepsReplayedFromAGraphEqualTheUncapturedSteps() {
        assertSameRun(train(EngineFixtures.MLP, false, GraphedTrainingTest::sgd, KernelMode.DENSE, Precision.BF16),
                train(EngineFixtures.MLP, true, GraphedTrainingTest::sgd, KernelMode.DENSE, Precision.BF16), "bf16 dense, MLP");
    }

    @Test
    void cnnStepsWithBatchNormAndDropoutReplayedFromAGraphEqualTheUncapturedSteps() {
        // conv + batch norm (running statistics move on the device) + residual block + dropout (its call
        // counter moves on the device: a frozen counter would repeat one mask, and the weights would differ)
        assertSameRun(train(EngineFixtures.CNN, false, GraphedTrainingTest::sgd, false),
                train(EngineFixtures.CNN, true, GraphedTrainingTest::sgd, false), "SGD, CNN with dropout");
    }

    @Test
    void aGraphedCallLeavesDropoutsCounterWhereTheUncapturedCallDoes() {
        RecordingGraphs b = new RecordingGraphs(cpu);
        try (Model m = EngineFixtures.build(b, EngineFixtures.CNN, 5); Sgd opt = sgd(m); Trainer t = new Trainer(m, opt, 32)) {
            var dropout = (io.sparseretrain.core.nn.Dropout) m.layers().stream()
                    .filter(l -> l instanceof io.sparseretrain.core.nn.Dropout).findFirst().orElseThrow();
            BatchLoader loader = new BatchLoader(TRAIN, 32, 3, true, false);
            t.useCudaGraphs(true);
            t.trainEpoch(loader, 0, 0, Schedules.constant(0.01f, loader.batchesPerEpoch()), 0, StepListener.NONE);
            assertEquals(loader.batchesPerEpoch(), dropout.calls(), "one dropout call per step, replays included");
            assertTrue(b.replays() > 0);
        }
    }

    @Test
    void theDoubleCatchesAHostScalarFrozenIntoAGraph() {
        // The pre-graph optimizer API takes lr as a host float: captured once, every replay reuses it.
        RecordingGraphs b = new RecordingGraphs(cpu);
        StepGraphs graphs = b.stepGraphs().orElseThrow();
        try (Tensor w = b.fromFloats("w", new float[] {1f}, 1); Tensor g = b.fromFloats("g", new float[] {1f}, 1);
             Sgd opt = new Sgd(b, List.of(), SgdConfig.plain())) {
            float[] lr = {0.5f};
            try (StepGraphs.Captured c = graphs.capture(() -> b.optimizers().sgdStep(w, g, null, null, SgdConfig.plain(), lr[0], true))) {
                lr[0] = 0.25f;  // what the schedule says next: a replay does not see it
                c.launch();
                c.launch();
            }
            assertArrayEquals(new float[] {0f}, b.copyToHostFloats(w), "two replays at the frozen lr 0.5: 1 - 0.5 - 0.5");
        }
    }

    @Test
    void whatACaptureCannotHoldIsRefusedNamingTheCall() {
        RecordingGraphs b = new RecordingGraphs(cpu);
        StepGraphs graphs = b.stepGraphs().orElseThrow();
        try (Tensor x = b.zeros("x", DType.F32, 4)) {
            IllegalStateException alloc = assertThrows(IllegalStateException.class, () -> graphs.capture(() -> b.zeros("scratch", DType.F32, 4)));
            assertTrue(alloc.getMessage().contains("zeros('scratch')") && alloc.getMessage().contains("allocates"), alloc.getMessage());
            IllegalStateException read = assertThrows(IllegalStateException.class, () -> graphs.capture(() -> b.masks().countNonzero(x)));
            assertTrue(read.getMessage().contains("MaskOps.countNonzero") && read.getMessage().contains("returns a value"), read.getMessage());
            IllegalStateException copy = assertThrows(IllegalStateException.class, () -> graphs.capture(() -> b.copyToHostFloats(x)));
            assertTrue(copy.getMessage().contains("copyToHostFloats(x)"), copy.getMessage());
            assertFalse(b.capturing(), "a failed capture must end the capture");
        }
    }
}
