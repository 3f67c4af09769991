package io.sparseretrain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The CLI end to end, in process, through {@link Main#run}. */
class MainTest {
    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void infoShowsCpuAvailableAndCudaUnavailableWithReason() {
        Result r = run("info");
        assertEquals(0, r.code(), "info exit code; stderr: " + r.err());
        assertTrue(r.out().contains("cpu: available"), "info should list the cpu backend as available:\n" + r.out());
        assertTrue(r.out().contains("native.build: version="), "info should print the native build:\n" + r.out());
        // No GPU on the build machines: the runtime line (and a cuda provider, when present) gives the reason.
        assertTrue(Pattern.compile("cuda[^\\n]*unavailable: ?\\S+").matcher(r.out()).find(),
                "info should say why CUDA is unavailable:\n" + r.out());
    }

    @Test
    void demoPrunePrintsExactKeptCounts() {
        Result r = run("demo-prune", "--backend", "cpu", "--layers", "60x40,30x60,10x30", "--sparsity", "0.5,0.9", "--seed", "3");
        assertEquals(0, r.code(), "demo-prune exit code; stderr: " + r.err() + "\nstdout: " + r.out());
        long total = 60 * 40 + 30 * 60 + 10 * 30;
        assertTrue(r.out().contains(String.format("kept %,d of %,d (target %,d, exact)", Math.round(total * 0.5), total,
                Math.round(total * 0.5))), "exact kept count at 0.5:\n" + r.out());
        assertTrue(r.out().contains(String.format("kept %,d of %,d (target %,d, exact)", Math.round(total * 0.1), total,
                Math.round(total * 0.1))), "exact kept count at 0.9:\n" + r.out());
        assertTrue(r.out().contains("groups violating 2:4: 0"), "2:4 check:\n" + r.out());
    }

    @Test
    void badOptionExitsWithTwoAndNamesIt() {
        Result r = run("demo-prune", "--sparsty", "0.5");
        assertEquals(Main.USER_ERROR, r.code(), "exit code of an unknown option");
        assertTrue(r.err().contains("--sparsty"), "the message should name the option: " + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace for user errors: " + r.err());
    }

    @Test
    void badValueExitsWithTwoAndNamesIt() {
        Result r = run("demo-prune", "--backend", "cpu", "--layers", "60x40", "--sparsity", "0.9,0.5");
        assertEquals(Main.USER_ERROR, r.code(), "exit code of a decreasing sparsity list");
        assertTrue(r.err().contains("--sparsity"), "the message should name the option: " + r.err());
        Result b = run("demo-prune", "--backend", "tpu", "--layers", "8x8");
        assertEquals(Main.USER_ERROR, b.code(), "exit code of an unknown backend");
        assertTrue(b.err().contains("tpu"), "the message should name the backend: " + b.err());
    }

    @Test
    void badPrecisionExitsWithTwoAndNamesTheAllowedValues() {
        Result r = run("train", "--backend", "cpu", "--epochs", "1", "--precision", "fp16");
        assertEquals(Main.USER_ERROR, r.code(), "exit code of an unknown precision; stdout: " + r.out());
        assertTrue(r.err().contains("fp16") && r.err().contains("fp32") && r.err().contains("bf16"), r.err());
    }
}
