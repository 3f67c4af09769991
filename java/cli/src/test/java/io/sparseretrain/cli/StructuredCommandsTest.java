package io.sparseretrain.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.Backends;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.data.FashionMnist;
import io.sparseretrain.core.io.Checkpoint;
import io.sparseretrain.core.io.CompactedCheckpoint;
import io.sparseretrain.core.io.SafeTensors;
import io.sparseretrain.core.nn.Model;
import io.sparseretrain.core.nn.ModelSpec;
import io.sparseretrain.core.prune.structured.InferenceTimer;
import io.sparseretrain.core.prune.structured.StructuredPruner;
import io.sparseretrain.core.prune.structured.StructuredResult;
import io.sparseretrain.core.prune.structured.StructuredSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code prune --granularity structured} end to end on a tiny model (no data needed): the compacted
 * checkpoint and its model file, loading from the checkpoint alone, errors that name the value and
 * keep what was saved; and {@code run} of a structured recipe on Fashion-MNIST with {@code eval} of
 * its compacted checkpoint.
 */
class StructuredCommandsTest {
    @TempDir
    Path dir;

    static final String TINY = """
            name: tiny
            input: [6]
            classes: 3
            layers:
              - {type: linear, name: fc1, out: 12}
              - relu
              - {type: linear, name: fc2, out: 8}
              - relu
              - {type: linear, name: fc3, out: 3}
            """;

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    private static float[] logits(Model m, float[] x, int n) {
        try (Tensor t = m.backend().fromFloats("x", x, n, 6)) {
            return m.backend().copyToHostFloats(m.forward(t, n, false));
        }
    }

    /** The tiny model file and a seeded checkpoint of it. */
    private Path[] tinyCheckpoint() throws Exception {
        Path spec = dir.resolve("tiny.yaml");
        Files.writeString(spec, TINY);
        Path ckpt = dir.resolve("tiny.safetensors");
        try (Backend b = Backends.create("cpu"); Model m = ModelSpec.load(spec).build(b, 7)) {
            Checkpoint.save(ckpt, m, null, Map.of("seed", "7"));
        }
        return new Path[] {spec, ckpt};
    }

    @Test
    void pruneStructuredWritesTheCompactedCheckpointAndItsModelFile() throws Exception {
        Path[] in = tinyCheckpoint();
        Path out = dir.resolve("out/tiny-s50.safetensors");
        Files.createDirectories(out.getParent());
        Result r = run("prune", "--backend", "cpu", "--model", in[0].toString(), "--checkpoint", in[1].toString(), "--out", out.toString(),
                "--granularity", "structured", "--sparsity", "0.5", "--norm", "l1", "--timing-examples", "0");
        assertEquals(0, r.code(), r.err() + r.out());
        Path spec = dir.resolve("out/tiny-s50.model.yaml");
        assertTrue(Files.exists(out) && Files.exists(spec), r.out());
        assertEquals("tiny-s50.model.yaml", SafeTensors.read(out).metadata().get(CompactedCheckpoint.SPEC_KEY));
        assertTrue(r.out().contains("fc1") && r.out().contains("saved " + out), r.out());
        float[] x = new float[5 * 6];
        SplittableRandom rnd = new SplittableRandom(1);
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        try (Backend b = Backends.create("cpu"); Model orig = ModelSpec.load(in[0]).build(b, 0)) {
            Checkpoint.load(in[1], orig, null);
            try (StructuredResult direct = StructuredPruner.compact(orig, StructuredSpec.layerwise(0.5, StructuredSpec.Norm.L1), InferenceTimer.Timing.NONE);
                 Model loaded = CompactedCheckpoint.build(b, out, null)) {
                assertArrayEquals(new long[] {6, 6}, loaded.parameter("fc1.weight").value().shape());
                assertArrayEquals(new long[] {4, 6}, loaded.parameter("fc2.weight").value().shape());
                assertArrayEquals(new long[] {3, 4}, loaded.parameter("fc3.weight").value().shape());
                assertArrayEquals(logits(direct.model(), x, 5), logits(loaded, x, 5), "the saved compacted model computes the library's logits");
            }
        }
        // the compacted checkpoint prunes again without --model: its model file comes from its metadata
        Path again = dir.resolve("out/tiny-s75.safetensors");
        Result r2 = run("prune", "--backend", "cpu", "--checkpoint", out.toString(), "--out", again.toString(), "--granularity", "structured",
                "--sparsity", "0.5", "--timing-examples", "16");
        assertEquals(0, r2.code(), r2.err() + r2.out());
        assertTrue(r2.out().contains("measured CPU eval forward"), r2.out());
        try (Backend b = Backends.create("cpu"); Model m = CompactedCheckpoint.build(b, again, null)) {
            assertArrayEquals(new long[] {3, 6}, m.parameter("fc1.weight").value().shape());
            assertArrayEquals(new long[] {2, 3}, m.parameter("fc2.weight").value().shape());
        }
        // unstructured pruning of a compacted checkpoint keeps its architecture: a model file beside the output too
        Path masked = dir.resolve("out/tiny-s75-masked.safetensors");
        Result r3 = run("prune", "--backend", "cpu", "--checkpoint", again.toString(), "--out", masked.toString(), "--sparsity", "0.5");
        assertEquals(0, r3.code(), r3.err() + r3.out());
        assertTrue(Files.exists(dir.resolve("out/tiny-s75-masked.model.yaml")), r3.out());
        try (Backend b = Backends.create("cpu"); Model m = CompactedCheckpoint.build(b, masked, null)) {
            assertArrayEquals(new long[] {3, 6}, m.parameter("fc1.weight").value().shape());
            assertTrue(m.parameter("fc1.weight").mask() != null, "the masks came along");
        }
    }

    @Test
    void transposable24PruneNamesTheLayerItCannotTakeAndKeepsDenseTheOnesListed() throws Exception {
        Path[] in = tinyCheckpoint();  // fc1 [12, 6]: K = 6; fc3 [3, 8]: 3 rows — neither takes 4x4 blocks
        Path out = dir.resolve("t24.safetensors");
        Result bad = run("prune", "--backend", "cpu", "--model", in[0].toString(), "--checkpoint", in[1].toString(), "--out", out.toString(),
                "--granularity", "transposable24");
        assertEquals(2, bad.code(), bad.out() + bad.err());
        assertTrue(bad.err().contains("'fc1.weight' [12, 6]") && bad.err().contains("--dense fc1.weight"), bad.err());
        assertTrue(!Files.exists(out), "nothing written");
        Result ok = run("prune", "--backend", "cpu", "--model", in[0].toString(), "--checkpoint", in[1].toString(), "--out", out.toString(),
                "--granularity", "transposable24", "--dense", "fc1.weight,fc3.weight");
        assertEquals(0, ok.code(), ok.out() + ok.err());
        try (Backend b = Backends.create("cpu"); Model m = ModelSpec.load(in[0]).build(b, 1)) {
            Checkpoint.load(out, m, null);
            assertEquals(48, b.masks().countNonzero(m.parameter("fc2.weight").value()), "fc2 [8, 12] is 2:4: half kept");
            assertEquals(0, b.masks().countNMViolations(m.parameter("fc2.weight").value(), 2, 4));
            assertEquals(72, b.masks().countNonzero(m.parameter("fc1.weight").value()), "fc1 kept dense");
        }
    }

    @Test
    void badStructuredInputsNameTheValueAndKeepWhatWasSaved() throws Exception {
        Path[] in = tinyCheckpoint();
        Path out = dir.resolve("kept.safetensors");
        Files.writeString(out, "an earlier result");
        String[] base = {"prune", "--backend", "cpu", "--model", in[0].toString(), "--checkpoint", in[1].toString(), "--out", out.toString(),
            "--granularity", "structured", "--timing-examples", "0"};
        Result r = run(concat(base, "--layers", "fc1,fc9"));
        assertEquals(Main.USER_ERROR, r.code(), r.out());
        assertTrue(r.err().contains("'fc9'") && r.err().contains("[fc1, fc2]"), r.err());
        r = run(concat(base, "--layers", "fc3"));
        assertEquals(Main.USER_ERROR, r.code(), r.out());
        assertTrue(r.err().contains("'fc3'"), "the classifier is not prunable: " + r.err());
        r = run(concat(base, "--norm", "l3"));
        assertEquals(Main.USER_ERROR, r.code());
        assertTrue(r.err().contains("--norm 'l3'"), r.err());
        r = run(concat(base, "--scope", "global"));
        assertEquals(Main.USER_ERROR, r.code());
        assertTrue(r.err().contains("different fan-in") && r.err().contains("'fc1' has fan-in 6"), r.err());
        r = run(concat(base, "--criterion", "random"));
        assertEquals(Main.USER_ERROR, r.code());
        assertTrue(r.err().contains("--criterion 'random'"), r.err());
        r = run(concat(base, "--sparsity", "1.0"));
        assertEquals(Main.USER_ERROR, r.code());
        assertTrue(r.err().contains("--sparsity 1.0"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace for user errors: " + r.err());
        assertEquals("an earlier result", Files.readString(out), "a failed prune left the existing --out alone");
        assertFalse(Files.exists(dir.resolve("kept.model.yaml")), "no model file written for a failed prune");
        Result same = run("prune", "--backend", "cpu", "--model", in[0].toString(), "--checkpoint", in[1].toString(), "--out", in[1].toString(),
                "--granularity", "structured");
        assertEquals(Main.USER_ERROR, same.code());
        assertTrue(same.err().contains("is the input checkpoint"), same.err());
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void runAStructuredRecipeThenEvalItsCompactedCheckpoint() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.exists(root.resolve("models/lenet-300-100.yaml"))) root = root.getParent();
        Assumptions.assumeTrue(root != null, "models/ not found above the working directory");
        Assumptions.assumeTrue(Files.exists(Path.of(FashionMnist.DEFAULT_DIR, "train-images-idx3-ubyte.gz")),
                "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
        Path recipe = dir.resolve("structured.yaml");
        Files.writeString(recipe, "name: structured-small\nmodel: " + root.resolve("models/lenet-300-100.yaml") + "\n"
                + "pretraining: {epochs: 1, lr: 0.1, lr_end: 0.001, warmup_epochs: 0.5}\n"
                + "pruning: {granularity: structured, norm: l2, timing: {examples: 256, batch: 128, warmup: 1, runs: 3}}\n"
                + "algorithm: {type: imp, cycles: 2, sparsities: [0.5], retrain_epochs: [0.1], schedules: [llr, allr]}\nseeds: [0]\n");
        Path out = dir.resolve("run");
        Result r = run("run", recipe.toString(), "--out", out.toString(), "--backend", "cpu");
        assertEquals(0, r.code(), r.err() + r.out());
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("## Structured pruning: compacted model") && report.contains("fc1 150/300, fc2 50/100, fc3 10/10"), report);
        assertTrue(report.contains("266,200 → 125,600"), "MACs 784·300+300·100+100·10 → 784·150+150·50+50·10:\n" + report);
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertTrue(csv.get(0).endsWith(",structured_widths,macs_dense,macs_compacted,speedup_theoretical,speedup_measured"), csv.get(0));
        // each cell: cycle 1 without the summary, cycle 2 (the last) with the compacted model's widths and speedups
        assertTrue(csv.stream().filter(l -> l.contains(",fc1 150/300;fc2 50/100;fc3 10/10,266200,125600,2.11943,")).count() == 2,
                String.join("\n", csv));
        assertTrue(csv.stream().filter(l -> l.endsWith(",,,,,")).count() == 2, String.join("\n", csv));
        Path cell = out.resolve("seed-0/imp-allr-s0.5000-e0.100");
        for (String f : new String[] {"cycle-1-after-prune.safetensors", "cycle-1-after-prune.model.yaml", "cycle-2-after-prune.safetensors",
            "retrained.safetensors", "retrained.model.yaml", "lr-cycle-2.csv", "result.json"}) {
            assertTrue(Files.exists(cell.resolve(f)), f + " missing in " + cell);
        }
        // cycle 1 of 2 keeps round(300·0.5^(1/2)) = 212 of fc1's neurons, cycle 2 the target 150
        assertTrue(Files.readString(cell.resolve("cycle-1-after-prune.model.yaml")).contains("name: fc1, out: 212"));
        String json = Files.readString(cell.resolve("result.json"));
        assertTrue(json.contains("\"structured\":{") && json.contains("\"macs_after\":125600"), json);

        Result ev = run("eval", "--backend", "cpu", "--checkpoint", cell.resolve("retrained.safetensors").toString());
        assertEquals(0, ev.code(), ev.err() + ev.out());
        Matcher acc = Pattern.compile("\"accuracy_after_retrain\":([0-9.]+)").matcher(json.substring(json.lastIndexOf("\"cycle\":2")));
        assertTrue(acc.find(), json);
        assertTrue(ev.out().contains(String.format(java.util.Locale.ROOT, "test accuracy %.2f%%", 100 * Double.parseDouble(acc.group(1)))),
                "eval of the compacted checkpoint reproduces the cell's final accuracy " + acc.group(1) + ":\n" + ev.out());

        // a lost cell is recomputed identically on --resume (timings aside)
        Files.delete(cell.resolve("result.json"));
        Result again = run("run", recipe.toString(), "--out", out.toString(), "--backend", "cpu", "--resume");
        assertEquals(0, again.code(), again.err());
        String strip = "\"(seconds|ms_before|ms_after)\":[^,}]*";
        assertEquals(json.replaceAll(strip, ""), Files.readString(cell.resolve("result.json")).replaceAll(strip, ""), "recomputed cell differs");
    }

    @Test
    void globalStructuredScopeAcrossDifferentFanInFailsBeforeAnyWork() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.exists(root.resolve("models/lenet-300-100.yaml"))) root = root.getParent();
        Assumptions.assumeTrue(root != null, "models/ not found above the working directory");
        Path recipe = dir.resolve("global.yaml");
        Files.writeString(recipe, "name: g\nmodel: " + root.resolve("models/lenet-300-100.yaml") + "\npretraining: {epochs: 2}\n"
                + "pruning: {granularity: structured, scope: global}\n"
                + "algorithm: {type: one-shot, sparsities: [0.5], retrain_epochs: [1]}\n");
        Result r = run("run", recipe.toString(), "--out", dir.resolve("g").toString(), "--backend", "cpu");
        assertEquals(Main.USER_ERROR, r.code(), r.out());
        assertTrue(r.err().contains("global.yaml: pruning:") && r.err().contains("different fan-in"), r.err());
        assertFalse(Files.exists(dir.resolve("g")), "no work started");
    }
}
