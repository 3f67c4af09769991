package io.sparseretrain.backend.cpu.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparseretrain.backend.cpu.CpuBackend;
import io.sparseretrain.core.DType;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.io.Checkpoint;
import io.sparseretrain.core.io.CompactedCheckpoint;
import io.sparseretrain.core.io.HostTensor;
import io.sparseretrain.core.io.SafeTensors;
import io.sparseretrain.core.nn.Model;
import io.sparseretrain.core.nn.ModelSpec;
import io.sparseretrain.core.prune.structured.InferenceTimer;
import io.sparseretrain.core.prune.structured.StructuredPruner;
import io.sparseretrain.core.prune.structured.StructuredResult;
import io.sparseretrain.core.prune.structured.StructuredSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import io.sparseretrain.testkit.ProjectTree;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints cross to PyTorch and back (scripts/torch_interop.py with Debian's python3-torch):
 * load_state_dict(strict=True) takes ours bit for bit and computes our logits; a PyTorch-trained
 * state_dict loads here and gives PyTorch's logits. Skipped, with the reason, where torch is absent.
 */
class TorchInteropTest {
    static final String PYTHON = "/usr/bin/python3";
    static CpuBackend backend;
    static Path root;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        root = ProjectTree.root("scripts/torch_interop.py");
        Assumptions.assumeTrue(Files.isExecutable(Path.of(PYTHON)), PYTHON + " not found");
        Process p = new ProcessBuilder(PYTHON, "-c", "import torch").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Assumptions.assumeTrue(p.waitFor() == 0, "PyTorch is not installed for " + PYTHON + " (apt-get install python3-torch): " + out.strip());
        backend = new CpuBackend();
    }

    @AfterAll
    static void tearDown() {
        if (backend != null) backend.close();
    }

    private static String python(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(PYTHON, root.resolve("scripts/torch_interop.py").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "torch_interop.py timed out");
        assertEquals(0, p.exitValue(), "torch_interop.py " + args[0] + " failed:\n" + out);
        return out;
    }

    private static Model build(String name, long seed) throws IOException {
        return ModelSpec.load(root.resolve("models/" + name + ".yaml")).build(backend, seed);
    }

    private static float[] logits(Model m, float[] input, int n) {
        try (Tensor x = backend.fromFloats("probe", input, input.length)) {
            Tensor y = m.forward(x, n, false);
            float[] all = backend.copyToHostFloats(y);
            return java.util.Arrays.copyOf(all, n * m.classes());
        }
    }

    private static float[] gaussian(int length, long seed) {
        float[] v = new float[length];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
        return v;
    }

    /** A few training-mode passes so that batch-norm running statistics are not the defaults. */
    private static void warmBatchNorm(Model m, float[] input, int n) {
        try (Tensor x = backend.fromFloats("warm", input, input.length)) {
            for (int i = 0; i < 3; i++) m.forward(x, n, true);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lenet-300-100", "conv4", "resnet20"})
    void pytorchLoadsOurCheckpointAndComputesOurLogits(String name) throws Exception {
        int n = 8;
        float[] input = gaussian(n * 784, 5);
        try (Model m = build(name, 11)) {
            warmBatchNorm(m, input, n);
            Path ckpt = dir.resolve(name + ".safetensors");
            Checkpoint.save(ckpt, m, null, Map.of());
            Path probe = dir.resolve(name + "-probe.safetensors");
            SafeTensors.write(probe, List.of(HostTensor.ofFloats("input", input, n, 28, 28, 1),
                    HostTensor.ofFloats("logits", logits(m, input, n), n, m.classes())), Map.of());
            String out = python("check-ours", name, ckpt.toString(), probe.toString());
            assertTrue(out.contains("identical"), out);
        }
    }

    /** A structurally pruned checkpoint: the twin comes from the model file written beside it (widths from the file). */
    @ParameterizedTest
    @ValueSource(strings = {"lenet-300-100", "conv4", "resnet20"})
    void pytorchBuildsTheCompactedModelFromItsModelFileAndComputesOurLogits(String name) throws Exception {
        int n = 4;
        float[] input = gaussian(n * 784, 6);
        try (Model m = build(name, 12)) {
            warmBatchNorm(m, input, n);
            try (StructuredResult res = StructuredPruner.compact(m, StructuredSpec.layerwise(0.5, StructuredSpec.Norm.L2), InferenceTimer.Timing.NONE)) {
                Path ckpt = dir.resolve(name + "-compact.safetensors");
                Path spec = CompactedCheckpoint.save(ckpt, res.model(), Map.of(), List.of("interop test"));
                Path probe = dir.resolve(name + "-compact-probe.safetensors");
                SafeTensors.write(probe, List.of(HostTensor.ofFloats("input", input, n, 28, 28, 1),
                        HostTensor.ofFloats("logits", logits(res.model(), input, n), n, m.classes())), Map.of());
                String out = python("check-ours", spec.toString(), ckpt.toString(), probe.toString());
                assertTrue(out.contains("identical"), out);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lenet-300-100", "conv4", "resnet20"})
    void aPytorchStateDictLoadsAndGivesPytorchsLogits(String name) throws Exception {
        Path sd = dir.resolve(name + "-torch.safetensors");
        Path probe = dir.resolve(name + "-torch-probe.safetensors");
        python("make-theirs", name, "3", sd.toString(), probe.toString());
        SafeTensors.Contents p = SafeTensors.read(probe);
        float[] input = p.require("input", probe).toFloats();
        float[] expected = p.require("logits", probe).toFloats();
        try (Model m = build(name, 0)) {
            Checkpoint.load(sd, m, null);
            float[] got = logits(m, input, 8);
            double maxDiff = 0, maxAbs = 0;
            for (int i = 0; i < got.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(got[i] - expected[i]));
                maxAbs = Math.max(maxAbs, Math.abs(expected[i]));
            }
            assertTrue(maxDiff <= 1e-4 * Math.max(1, maxAbs), name + ": max |logit diff| " + maxDiff + " (max |logit| " + maxAbs + ")");
        }
    }
}
