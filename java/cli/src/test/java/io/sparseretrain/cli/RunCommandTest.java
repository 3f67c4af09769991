package io.sparseretrain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparseretrain.core.data.FashionMnist;
import io.sparseretrain.examples.ImpAllrExample;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sparseretrain run} on a small recipe (real Fashion-MNIST, short budgets), resuming after a
 * lost cell, a bad recipe, and the recipe-free API example.
 */
class RunCommandTest {
    static Path root;

    @TempDir
    Path dir;

    @BeforeAll
    static void find() {
        root = Path.of("").toAbsolutePath();
        while (root != null && !Files.exists(root.resolve("models/lenet-300-100.yaml"))) root = root.getParent();
        Assumptions.assumeTrue(root != null, "models/ not found above the working directory");
        Assumptions.assumeTrue(Files.exists(Path.of(FashionMnist.DEFAULT_DIR, "train-images-idx3-ubyte.gz")),
                "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
    }

    private String[] run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    private Path recipe(String algorithm) throws Exception {
        Path r = dir.resolve("small.yaml");
        Files.writeString(r, "name: small\nmodel: " + root.resolve("models/lenet-300-100.yaml") + "\n"
                + "pretraining: {epochs: 2, lr: 0.1, lr_end: 0.001, warmup_epochs: 0.5}\n" + algorithm + "seeds: [0]\n");
        return r;
    }

    @Test
    void runWritesTheReportAndResumesALostCellIdentically() throws Exception {
        Path r = recipe("algorithm: {type: imp, cycles: 2, sparsities: [0.9], retrain_epochs: [0.1], schedules: [llr, allr]}\n");
        Path out = dir.resolve("run");
        String[] first = run("run", r.toString(), "--out", out.toString(), "--backend", "cpu");
        assertEquals("0", first[0], first[2] + first[1]);
        assertTrue(first[1].contains("| LLR |") && first[1].contains("| ALLR |"), first[1]);
        for (String f : new String[] {"report.md", "results.csv", "results.json", "accuracy-vs-sparsity.png", "lr-vs-step.png",
            "seed-0/pretrained.safetensors", "seed-0/lr-pretraining.csv"}) {
            assertTrue(Files.exists(out.resolve(f)), f + " missing");
        }
        Path cell = out.resolve("seed-0/imp-allr-s0.9000-e0.100");
        for (String f : new String[] {"cycle-1-before-prune.safetensors", "cycle-2-after-prune.safetensors", "lr-cycle-2.csv", "result.json"}) {
            assertTrue(Files.exists(cell.resolve(f)), f + " missing in " + cell);
        }
        String before = Files.readString(cell.resolve("result.json"));
        Files.delete(cell.resolve("result.json"));  // as if killed during this cell
        String[] second = run("run", r.toString(), "--out", out.toString(), "--backend", "cpu", "--resume");
        assertEquals("0", second[0], second[2]);
        assertTrue(second[1].contains("dense model from"), "pretraining is reused:\n" + second[1]);
        String after = Files.readString(cell.resolve("result.json"));
        assertEquals(before.replaceAll("\"seconds\":[^,}]*", ""), after.replaceAll("\"seconds\":[^,}]*", ""), "recomputed cell differs");

        // a recipe with other pretraining settings refuses to resume from this dense checkpoint
        Files.writeString(r, Files.readString(r).replace("epochs: 2,", "epochs: 3,"));
        String[] other = run("run", r.toString(), "--out", out.toString(), "--backend", "cpu", "--resume");
        assertEquals("2", other[0], other[1]);
        assertTrue(other[2].contains("was pretrained with"), other[2]);
    }

    @Test
    void aBadRecipeFailsBeforeAnyWorkWithExitCode2() throws Exception {
        Path r = recipe("algorithm: {type: one-shot, sparsities: [0.9], retrain_epochs: [1], schedule: [llr]}\n");
        String[] res = run("run", r.toString(), "--out", dir.resolve("bad").toString());
        assertEquals("2", res[0]);
        assertTrue(res[2].contains("unknown field 'schedule'"), res[2]);
        assertTrue(!Files.exists(dir.resolve("bad/seed-0")), "no work started");
    }

    @Test
    void aPatternTheModelCannotTakeFailsBeforePretraining() throws Exception {
        // Conv-4's conv1 has one input channel: no 2:4 group along Cin; found before 8 minutes of pretraining, not after
        Path r = dir.resolve("t24.yaml");
        Files.writeString(r, "name: t24\nmodel: " + root.resolve("models/conv4.yaml") + "\npretraining: {epochs: 1, warmup_epochs: 0}\n"
                + "pruning: {granularity: transposable24}\nalgorithm: {type: one-shot, sparsities: [0.5], retrain_epochs: [1]}\n");
        String[] res = run("run", r.toString(), "--out", dir.resolve("t24").toString(), "--backend", "cpu");
        assertEquals("2", res[0], res[1] + res[2]);
        assertTrue(res[2].contains("'conv1.weight' [32, 1, 3, 3]") && res[2].contains("pruning.dense: [conv1.weight]"), res[2]);
        assertTrue(!Files.exists(dir.resolve("t24/seed-0")), "no work started");
    }

    @Test
    void checkValidatesARecipeWithoutRunningIt() throws Exception {
        Path out = dir.resolve("checked");
        String[] main = run("run", root.resolve("models/recipes/main.yaml").toString(), "--check", "--backend", "cpu", "--out", out.toString());
        assertEquals("0", main[0], main[1] + main[2]);
        assertTrue(main[1].contains("recipe main: valid for backend cpu") && main[1].contains("18 cell(s)"), main[1]);
        String[] gpu = run("run", root.resolve("models/recipes/resnet20-24-gpu.yaml").toString(), "--check", "--backend", "cpu");
        assertEquals("2", gpu[0], gpu[1] + gpu[2]);
        assertTrue(gpu[2].contains("pretraining.cuda_graph: CUDA Graph capture needs the CUDA backend"), gpu[2]);
        assertTrue(!Files.exists(out), "--check wrote nothing");
    }

    @Test
    void theApiExampleRuns() throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Path saved = dir.resolve("example.safetensors");
        try {
            System.setOut(new PrintStream(buf, true));
            ImpAllrExample.main(new String[] {"1", "0.1", saved.toString(), root.resolve("models/lenet-300-100.yaml").toString()});
        } finally {
            System.setOut(old);
        }
        String out = buf.toString();
        assertTrue(out.contains("cycle 3: sparsity 0.9000"), out);
        assertTrue(Files.exists(saved), out);
    }
}
