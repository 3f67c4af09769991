package io.sparseretrain.backend.cpu.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparseretrain.backend.cpu.CpuBackend;
import io.sparseretrain.core.data.BatchLoader;
import io.sparseretrain.core.data.LabeledImages;
import io.sparseretrain.core.io.Checkpoint;
import io.sparseretrain.core.io.CheckpointFormatException;
import io.sparseretrain.core.nn.Model;
import io.sparseretrain.core.nn.Parameter;
import io.sparseretrain.core.ops.SgdConfig;
import io.sparseretrain.core.optim.Sgd;
import io.sparseretrain.core.schedule.LrSchedule;
import io.sparseretrain.core.schedule.Schedules;
import io.sparseretrain.core.train.DivergenceException;
import io.sparseretrain.core.train.StepListener;
import io.sparseretrain.core.train.Trainer;
import io.sparseretrain.testkit.EngineFixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training engine end to end on the CPU backend: learning, checkpoints, resume, guards. */
class EngineTest {
    static CpuBackend backend;
    static final LabeledImages TRAIN = EngineFixtures.quadrants(600, 1);
    static final LabeledImages TEST = EngineFixtures.quadrants(200, 2);

    @TempDir
    Path dir;

    @BeforeAll
    static void open() {
        backend = new CpuBackend();
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    private static Sgd sgd(Model m) {
        return new Sgd(backend, m.parameters(), SgdConfig.nesterov(0.9f, 1e-4f));
    }

    private static float[][] snapshot(Model m) {
        List<Parameter> ps = m.parameters();
        float[][] out = new float[ps.size()][];
        for (int i = 0; i < out.length; i++) out[i] = backend.copyToHostFloats(ps.get(i).value());
        return out;
    }

    @Test
    void bothModelsLearnTheQuadrantTask() {
        for (String yaml : List.of(EngineFixtures.MLP, EngineFixtures.CNN)) {
            try (Model m = EngineFixtures.build(backend, yaml, 3); Sgd opt = sgd(m); Trainer t = new Trainer(m, opt, 32)) {
                BatchLoader loader = new BatchLoader(TRAIN, 32, 5, true, false);
                LrSchedule s = Schedules.warmupLinear(0.05f, 0.001f, 10, 3L * loader.batchesPerEpoch());
                double before = t.evaluate(TEST).accuracy();
                for (int e = 0; e < 3; e++) t.trainEpoch(loader, e, 0, s, (long) e * loader.batchesPerEpoch(), StepListener.NONE);
                double after = t.evaluate(TEST).accuracy();
                assertTrue(after > 0.9 && after > before + 0.3, m.name() + ": accuracy " + before + " -> " + after);
            }
        }
    }

    @Test
    void resumingFromACheckpointIsBitIdentical() throws Exception {
        BatchLoader loader = new BatchLoader(TRAIN, 32, 9, true, false);
        long spe = loader.batchesPerEpoch();
        LrSchedule s = Schedules.warmupLinear(0.05f, 0.001f, 5, 2 * spe);
        float[][] straight;
        try (Model m = EngineFixtures.build(backend, EngineFixtures.CNN, 4); Sgd opt = sgd(m); Trainer t = new Trainer(m, opt, 32)) {
            t.trainEpoch(loader, 0, 0, s, 0, StepListener.NONE);
            Checkpoint.save(dir.resolve("e1.safetensors"), m, opt, Map.of("epochs_completed", "1"));
            t.trainEpoch(loader, 1, 0, s, spe, StepListener.NONE);
            straight = snapshot(m);
        }
        try (Model m = EngineFixtures.build(backend, EngineFixtures.CNN, 77); Sgd opt = sgd(m); Trainer t = new Trainer(m, opt, 32)) {
            Checkpoint.load(dir.resolve("e1.safetensors"), m, opt);
            // Dropout's call counter is part of the run state the checkpoint metadata does not carry here:
            // the CNN's dropout restarts its counter, so align it as DenseRun's resume does through epochs.
            m.layers().stream().filter(l -> l instanceof io.sparseretrain.core.nn.Dropout)
                    .forEach(l -> ((io.sparseretrain.core.nn.Dropout) l).setCalls(spe));
            t.trainEpoch(loader, 1, 0, s, spe, StepListener.NONE);
            float[][] resumed = snapshot(m);
            for (int i = 0; i < straight.length; i++) assertArrayEquals(straight[i], resumed[i], "parameter " + m.parameters().get(i).name());
        }
    }

    @Test
    void cudaGraphsAreRefusedOnTheCpuBackendNamingTheField() {
        try (Model m = EngineFixtures.build(backend, EngineFixtures.MLP, 1); Sgd opt = sgd(m); Trainer t = new Trainer(m, opt, 32)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.useCudaGraphs(true));
            assertTrue(e.getMessage().startsWith("cuda_graph: CUDA Graph capture needs the CUDA backend"), e.getMessage());
            assertTrue(!t.usesCudaGraphs());
            t.useCudaGraphs(false);  // turning it off is always allowed
        }
    }

    @Test
    void checkpointRoundTripKeepsMasksAndOptimizerState() throws Exception {
        Path f = dir.resolve("ckpt.safetensors");
        try (Model m = EngineFixtures.build(backend, EngineFixtures.MLP, 1); Sgd opt = sgd(m); Trainer t = new Trainer(m, opt, 32)) {
            Parameter fc1 = m.parameter("fc1.weight");
            backend.masks().pruneMagnitudeGlobal(List.of(fc1.value()), List.of(fc1.ensureMask(backend)), fc1.numel() / 4);
            backend.masks().apply(fc1.value(), fc1.mask());
            BatchLoader loader = new BatchLoader(TRAIN, 32, 1, true, false);
            t.trainEpoch(loader, 0, 0, Schedules.constant(0.01f, loader.batchesPerEpoch()), 0, StepListener.NONE);
            Checkpoint.save(f, m, opt, Map.of("note", "round trip"));
            float[][] saved = snapshot(m);
            byte[] mask = backend.copyToHostBytes(fc1.mask());
            float[] momentum = backend.copyToHostFloats(opt.state().get("fc1.weight").get("momentum_buffer"));
            try (Model m2 = EngineFixtures.build(backend, EngineFixtures.MLP, 99); Sgd opt2 = sgd(m2)) {
                Map<String, String> meta = Checkpoint.load(f, m2, opt2);
                assertEquals("round trip", meta.get("note"));
                float[][] loaded = snapshot(m2);
                for (int i = 0; i < saved.length; i++) assertArrayEquals(saved[i], loaded[i]);
                assertArrayEquals(mask, backend.copyToHostBytes(m2.parameter("fc1.weight").mask()));
                assertArrayEquals(momentum, backend.copyToHostFloats(opt2.state().get("fc1.weight").get("momentum_buffer")));
                assertEquals(opt.steps(), opt2.steps());
                assertEquals(fc1.numel() / 4, backend.masks().countNonzero(m2.parameter("fc1.weight").value()));
            }
        }
    }

    @Test
    void aCheckpointOfAnotherModelFailsWithoutTouchingTheWeights() throws Exception {
        Path f = dir.resolve("cnn.safetensors");
        try (Model cnn = EngineFixtures.build(backend, EngineFixtures.CNN, 1)) {
            Checkpoint.save(f, cnn, null, Map.of());
        }
        try (Model mlp = EngineFixtures.build(backend, EngineFixtures.MLP, 1)) {
            float[][] before = snapshot(mlp);
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> Checkpoint.load(f, mlp, null));
            assertTrue(e.getMessage().contains("fc1.weight") && e.getMessage().contains(f.toString()), e.getMessage());
            float[][] after = snapshot(mlp);
            for (int i = 0; i < before.length; i++) assertArrayEquals(before[i], after[i]);
        }
    }

    @Test
    void divergingLossStopsWithAClearMessage() {
        try (Model m = EngineFixtures.build(backend, EngineFixtures.MLP, 1); Sgd opt = sgd(m); Trainer t = new Trainer(m, opt, 32)) {
            BatchLoader loader = new BatchLoader(TRAIN, 32, 1, true, false);
            DivergenceException e = assertThrows(DivergenceException.class,
                    () -> t.trainEpoch(loader, 0, 0, Schedules.constant(1e12f, loader.batchesPerEpoch()), 0, StepListener.NONE));
            assertTrue(e.getMessage().contains("diverged at epoch 0") && e.getMessage().contains("last good checkpoint"), e.getMessage());
        }
    }

    @Test
    void multiplyAddsCountDenseAndNonzeroWeights() {
        try (Model m = EngineFixtures.build(backend, EngineFixtures.MLP, 1)) {
            assertEquals(64 * 32 + 32 * 4, m.denseMultiplyAdds());
            Parameter fc1 = m.parameter("fc1.weight");
            backend.masks().pruneMagnitudeGlobal(List.of(fc1.value()), List.of(fc1.ensureMask(backend)), 512);
            backend.masks().apply(fc1.value(), fc1.mask());
            assertEquals(512 + 32 * 4, m.sparseMultiplyAdds());
        }
    }
}
