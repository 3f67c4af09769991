package io.sparseretrain.backend.cpu.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparseretrain.backend.cpu.CpuBackend;
import io.sparseretrain.core.io.Checkpoint;
import io.sparseretrain.core.io.CheckpointFormatException;
import io.sparseretrain.core.io.CompactedCheckpoint;
import io.sparseretrain.core.io.SafeTensors;
import io.sparseretrain.core.nn.Model;
import io.sparseretrain.core.nn.ModelSpec;
import io.sparseretrain.core.nn.ModelSpecWriter;
import io.sparseretrain.core.nn.Parameter;
import io.sparseretrain.core.prune.structured.InferenceTimer;
import io.sparseretrain.core.prune.structured.StructuredPruner;
import io.sparseretrain.core.prune.structured.StructuredResult;
import io.sparseretrain.core.prune.structured.StructuredSpec;
import io.sparseretrain.testkit.EngineFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A compacted model saves with its model file beside the checkpoint and loads back from the
 * checkpoint alone: same widths, bit-identical tensors and logits (same backend, same shapes, same
 * arithmetic, so exact equality is the right check).
 */
class CompactedCheckpointTest {
    static CpuBackend b;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() {
        b = new CpuBackend();
    }

    @AfterAll
    static void close() {
        b.close();
    }

    private static String yaml(String which) {
        return switch (which) {
            case "resnet" -> StructuredResidualTest.RESNET;
            case "cnn" -> StructuredPrunerTest.CNN;
            default -> StructuredPrunerTest.MLP;
        };
    }

    private static long[] inputShape(Model m, int n) {
        int[] d = m.inputShape().dims();
        long[] s = new long[d.length + 1];
        s[0] = n;
        for (int i = 0; i < d.length; i++) s[i + 1] = d[i];
        return s;
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "cnn", "resnet"})
    void saveThenLoadFromTheCheckpointAloneGivesIdenticalLogits(String which) throws Exception {
        try (Model m = EngineFixtures.build(b, yaml(which), 8)) {
            StructuredResidualTest.randomizeNorms(m, 2);
            try (StructuredResult r = StructuredPruner.compact(m, StructuredSpec.layerwise(0.4, StructuredSpec.Norm.L2), InferenceTimer.Timing.NONE)) {
                Path ckpt = dir.resolve(which + "-compact.safetensors");
                Path spec = CompactedCheckpoint.save(ckpt, r.model(), Map.of("seed", "8"), List.of("test"));
                assertEquals(dir.resolve(which + "-compact.model.yaml"), spec);
                assertEquals(spec.getFileName().toString(), SafeTensors.read(ckpt).metadata().get(CompactedCheckpoint.SPEC_KEY));
                long[] shape = inputShape(m, 7);
                int n = (int) java.util.Arrays.stream(shape).reduce(1, (a, c) -> a * c);
                float[] x = StructuredResidualTest.gaussian(new SplittableRandom(5), n, 0, 1);
                float[] want = StructuredResidualTest.logits(r.model(), x, shape);
                try (Model back = CompactedCheckpoint.build(b, ckpt, null)) {
                    assertEquals(r.model().parameters().size(), back.parameters().size());
                    for (Parameter p : r.model().parameters()) {
                        Parameter q = back.parameter(p.name());
                        assertArrayEquals(p.value().shape(), q.value().shape(), p.name());
                        assertArrayEquals(b.copyToHostFloats(p.value()), b.copyToHostFloats(q.value()), p.name());
                    }
                    assertArrayEquals(want, StructuredResidualTest.logits(back, x, shape), "logits after save → load");
                }
                // the written spec is a fixed point of parse → build → write
                try (Model rebuilt = ModelSpec.load(spec).build(b, 0)) {
                    assertEquals(ModelSpecWriter.toYaml(r.model(), List.of()), ModelSpecWriter.toYaml(rebuilt, List.of()));
                }
            }
        }
    }

    @Test
    void theOriginalModelFileNoLongerFitsAndTheErrorSaysWhichFileDoes() throws Exception {
        try (Model m = EngineFixtures.build(b, StructuredPrunerTest.MLP, 1);
             StructuredResult r = StructuredPruner.compact(m, StructuredSpec.layerwise(0.5, StructuredSpec.Norm.L1), InferenceTimer.Timing.NONE)) {
            Path ckpt = dir.resolve("small.safetensors");
            CompactedCheckpoint.save(ckpt, r.model(), Map.of(), List.of());
            Path original = dir.resolve("original.yaml");
            Files.writeString(original, StructuredPrunerTest.MLP);
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> CompactedCheckpoint.build(b, ckpt, original));
            assertTrue(e.getMessage().contains("fc1.weight") && e.getMessage().contains("small.model.yaml"), e.getMessage());
            Files.delete(dir.resolve("small.model.yaml"));
            e = assertThrows(CheckpointFormatException.class, () -> CompactedCheckpoint.build(b, ckpt, null));
            assertTrue(e.getMessage().contains("small.model.yaml") && e.getMessage().contains("does not exist"), e.getMessage());
            Path plain = dir.resolve("plain.safetensors");
            Checkpoint.save(plain, m, null, Map.of());
            e = assertThrows(CheckpointFormatException.class, () -> CompactedCheckpoint.build(b, plain, null));
            assertTrue(e.getMessage().contains("names no model file") && e.getMessage().contains("--model"), e.getMessage());
        }
    }
}
