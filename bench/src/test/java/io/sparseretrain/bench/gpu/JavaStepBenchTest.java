package io.sparseretrain.bench.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparseretrain.backend.cpu.CpuBackend;
import io.sparseretrain.core.nn.Model;
import io.sparseretrain.core.optim.Optimizer;
import io.sparseretrain.testkit.RecordingGraphs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JavaStepBench's refusals, its report arithmetic (Java's share next to the native gap), one end-to-end
 * run of every model on the CPU backend at small sizes (the graph columns say n/a there), and the graph
 * path through testkit's CUDA Graph double.
 */
class JavaStepBenchTest {
    @TempDir
    Path tmp;

    private static void assertRefused(String expectedInMessage, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchArgs.parse(args), String.join(" ", args));
        assertTrue(e.getMessage().contains(expectedInMessage), "message '" + e.getMessage() + "' should name '" + expectedInMessage + "'");
    }

    @Test
    void refusalsNameTheOptionAndTheBadValue() {
        assertRefused("'tpu'", "--backend", "tpu");
        assertRefused("'vgg'", "--models", "mlp,vgg");
        assertRefused("'lenet' is listed twice", "--models", "lenet,lenet");
        assertRefused("--steps 0", "--steps", "0");
        assertRefused("--steps 'ten'", "--steps", "ten");
        assertRefused("--blocks 3", "--blocks", "3");
        assertRefused("--mlp '64,256'", "--mlp", "64,256");
        assertRefused("--batch -1", "--batch", "-1");
        assertRefused("'--fast'", "--fast", "1");
        assertRefused("--out needs a value", "--out");
        assertRefused("'mlp'", "mlp");
    }

    @Test
    void defaultsAreIssue5sShapesAndQuickShrinksTheMlpOnly() {
        BenchArgs d = BenchArgs.parse();
        assertEquals("cuda", d.backend());
        assertEquals(List.of("mlp", "lenet", "resnet20"), d.models());
        assertTrue(d.mlpIsIssueShape());
        assertEquals(128, d.batch());
        assertEquals(Path.of("stage7_java_step.csv"), d.csv());
        BenchArgs q = BenchArgs.parse("--quick", "--out", "x/t.md");
        assertEquals(List.of(256, 1024, 512), List.of(q.mlp()[0], q.mlp()[1], q.mlp()[2]));
        assertEquals(128, q.batch());
        assertEquals(Path.of("x/t.csv"), q.csv());
    }

    @Test
    void javasShareIsOurGapLessTheNativeGapOverOurGraphStep() throws Exception {
        Path csv = tmp.resolve("stage5_mlp.csv");
        Files.writeString(csv, """
                # device: test GPU
                # MLP block 16384 tokens
                mode,capture,step_ms,speedup_vs_dense,fwd_ms,bwd_ms,adamw_cast_ms,compress_ms,compress_share,host_issue_us,host_issue_cpu_us,calls_per_step,check,note
                dense,eager,20.5000,1.0000,5,10,4,0,0,120.0,110.0,14,"-",""
                dense,graph,20.0000,1.0000,,,,,,4.0,4.0,1,"-","AdamW step count frozen at capture"
                2:4 transposable (dX sparse),eager,,,,,,,,,,,"","FAILED: plan refused"
                """);
        StepReport.Native nat = StepReport.readNative(csv);
        assertEquals("device: test GPU", nat.device());
        StepCase dense = StepCase.list(BenchArgs.parse("--models", "mlp")).get(0);
        StepCase sparse = StepCase.list(BenchArgs.parse("--models", "mlp")).get(1);
        assertEquals(0.5, nat.gap(dense), 1e-12);
        assertEquals(null, nat.gap(sparse), "a failed native row gives no gap");
        // ours: eager 21.0, graph 20.0 ms → gap 1.0 ms (+5.0 %); native gap 0.5 ms → Java share 0.5 / 20 = +2.50 %
        var eager = new StepRunner.Timing(new double[] {21, 21.5, 20.9, 21, 22}, 300, 250);
        var graph = new StepRunner.Timing(new double[] {20, 20.1, 19.9, 20, 20.5}, 5, 5);
        List<StepReport.Row> rows = List.of(new StepReport.Row(dense, 10, new StepRunner.Result(eager, graph, null, "ok"), null),
                new StepReport.Row(sparse, 10, new StepRunner.Result(eager, null, "IllegalStateException: capture broke", "ok"), null));
        String md = StepReport.markdown(rows, nat, "");
        assertTrue(md.contains("| 21.000 (20.900) | 20.000 (19.900) | 1.000 ms (+5.0 %) | 0.500 ms | +2.50 % | 300.0 / 250.0 | 5.0 / 5.0 | ok |"), md);
        // a failed capture keeps the eager numbers and says why in the graph column
        assertTrue(md.contains("| 21.000 (20.900) | FAILED: IllegalStateException: capture broke | n/a | n/a | n/a | 300.0 / 250.0 | n/a | ok |"), md);
        assertEquals("summary: eager-graph mlp dense +5.0%, mlp 2:4 FAILED", StepReport.summary(rows));
    }

    @Test
    void aCpuRunOfEveryModelWritesTheTableAndTheCsv() throws Exception {
        Path models = Path.of("..", "models").toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(models.resolve("resnet20.yaml")), "models/ not found from " + Path.of("").toAbsolutePath());
        Path out = tmp.resolve("step.md");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc = JavaStepBench.run(new String[] {"--backend", "cpu", "--mlp", "32,128,64", "--batch", "4", "--steps", "1",
            "--blocks", "5", "--models-dir", models.toString(), "--out", out.toString()}, new PrintStream(buf, true, StandardCharsets.UTF_8));
        String log = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, log);
        String md = Files.readString(out);
        List<String> rows = md.lines().filter(l -> l.startsWith("| mlp") || l.startsWith("| lenet") || l.startsWith("| resnet20")).toList();
        assertEquals(4, rows.size(), md);
        assertTrue(rows.get(0).contains("dense bf16") && rows.get(1).contains("2:4 transposable bf16"), md);
        for (String r : rows) {
            assertTrue(r.contains(StepReport.NO_GRAPHS), r);
            // 1 warm-up + 5 timed + 3 issue blocks of 1 step, eager only, every row counted by the accumulator
            assertTrue(r.contains("| ok (9 steps, mean loss "), r);
        }
        assertTrue(md.contains("**MLP block 32→128→32 at 64 tokens** (--mlp)"), md);
        assertTrue(md.contains("**batch 4** for LeNet-300-100 and ResNet-20"), md);
        List<String> csv = Files.readAllLines(tmp.resolve("step.csv"));
        assertEquals(2 + 1 + 8, csv.size(), String.join("\n", csv));  // 2 comment lines, header, 4 cases x 2 modes
        assertTrue(csv.get(3).startsWith("mlp,\"32→128→32, GELU\",64,dense,bf16,adamw,eager,1,5,"), csv.get(3));
        assertTrue(csv.get(4).endsWith(",graph,1,,,,,,\"" + StepReport.NO_GRAPHS + "\""), csv.get(4));
        assertTrue(log.contains("2:4 fc2 [n=32, k=128]: sparse FORWARD:64, INPUT_GRAD:64"), log);
        assertTrue(log.contains("summary: eager-graph mlp dense n/a, mlp 2:4 n/a, lenet n/a, resnet20 n/a"), log);
    }

    /**
     * The graph path on the CPU through testkit's CUDA Graph double, which refuses inside a capture what
     * CUDA refuses (host copies, synchronizes, allocation, plans): the step body captures, every launch
     * replays it, and the device accumulator counts the rows of every eager AND replayed step. ResNet-20 is
     * left out for time (its blocks under the double: GraphedTrainingTest's CNN case).
     */
    @Test
    void theGraphPathCapturesOnceAndEveryLaunchReplaysTheStep() throws Exception {
        Path models = Path.of("..", "models").toAbsolutePath().normalize();
        BenchArgs args = BenchArgs.parse("--backend", "cpu", "--models", "mlp,lenet", "--mlp", "32,128,64", "--batch", "4",
                "--models-dir", models.toString());
        try (CpuBackend cpu = new CpuBackend()) {
            List<StepCase> cases = StepCase.list(args);
            assertEquals(3, cases.size());
            for (StepCase c : cases) {
                RecordingGraphs b = new RecordingGraphs(cpu);
                try (Model m = c.build(b, 3); Optimizer opt = c.optimizer(m); StepRunner r = new StepRunner(m, opt, c, 1, 5, 3)) {
                    StepRunner.Result res = r.run();
                    String what = c.model() + " " + c.kernelsLabel();
                    assertEquals(null, res.graphFailure(), what);
                    assertEquals(5, res.graph().blockMs().length, what);
                    // 1 step per block: 1 warm-up + 5 timed + 3 issue blocks per mode
                    assertEquals(1 + 5 + 3, b.replays(), what + ": graph launches");
                    assertTrue(res.check().startsWith("ok (18 steps, mean loss "), what + ": " + res.check());
                    assertEquals(18, opt.steps(), what + ": the host step count follows the replays");
                }
            }
        }
    }
}
