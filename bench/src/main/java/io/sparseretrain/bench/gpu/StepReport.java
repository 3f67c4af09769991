package io.sparseretrain.bench.gpu;

import io.sparseretrain.core.nn.KernelMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Markdown table and the CSV of a {@link JavaStepBench} run, and the native harness's eager − graph
 * gap read from mlp_step_bench's CSV (stage5_mlp.csv) to set against ours.
 */
final class StepReport {
    static final String NO_GRAPHS = "n/a (no CUDA Graphs on this backend)";

    /** One case's outcome: result, or the reason it failed (result null). */
    record Row(StepCase c, int steps, StepRunner.Result result, String failure) {}

    /** Native step ms by "mode/capture", e.g. "dense/eager"; and the file's device line. */
    record Native(Map<String, Double> stepMs, String device) {
        /** The native mode matching a Java MLP case: dense, or 2:4 with transposable masks. */
        Double gap(StepCase c) {
            String mode = c.kernels() == KernelMode.SPARSE24 ? "2:4 transposable (dX sparse)" : "dense";
            Double e = stepMs.get(mode + "/eager"), g = stepMs.get(mode + "/graph");
            return e == null || g == null ? null : e - g;
        }
    }

    private StepReport() {}

    /** Reads mlp_step_bench's CSV ("# device" lines, then mode,capture,step_ms,...); failed rows are left out. */
    static Native readNative(Path csv) throws IOException {
        Map<String, Double> ms = new HashMap<>();
        String device = "";
        int mode = -1, capture = -1, step = -1;
        for (String line : Files.readAllLines(csv)) {
            if (line.startsWith("#")) {
                if (device.isEmpty()) device = line.substring(1).trim();
                continue;
            }
            String[] f = line.split(",", -1);
            if (mode < 0) {
                List<String> head = List.of(f);
                mode = head.indexOf("mode");
                capture = head.indexOf("capture");
                step = head.indexOf("step_ms");
                if (mode < 0 || capture < 0 || step < 0) throw new IOException(csv + ": no mode,capture,step_ms header");
                continue;
            }
            if (f.length <= step || f[step].isBlank()) continue;
            try {
                ms.put(f[mode] + "/" + f[capture], Double.parseDouble(f[step]));
            } catch (NumberFormatException e) {
                // a FAILED row: nothing to compare with
            }
        }
        return new Native(ms, device);
    }

    static String markdown(List<Row> rows, Native nat, String header) {
        StringBuilder sb = new StringBuilder(header).append('\n');
        sb.append("| model | shape | batch | kernels | optimizer | steps × blocks | eager ms/step median (min) | graph ms/step median (min) "
                + "| eager − graph | native eager − graph | Java share of the graph step | host issue µs/step eager: wall / cpu "
                + "| graph: wall / cpu | check |\n");
        sb.append("|---|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Row r : rows) {
            StepCase c = r.c();
            sb.append("| ").append(c.model()).append(" | ").append(c.shape()).append(" | ").append(c.batch()).append(" | ")
                    .append(c.kernelsLabel()).append(" | ").append(c.optimizerLabel()).append(" | ");
            if (r.result() == null) {
                sb.append(r.steps()).append(" | FAILED: ").append(r.failure().replace('|', '/')).append(" |||||||| \n");
                continue;
            }
            StepRunner.Timing e = r.result().eager(), g = r.result().graph();
            sb.append(r.steps()).append(" × ").append(e.blockMs().length).append(" | ").append(ms(e)).append(" | ");
            if (g == null) {
                String why = r.result().graphFailure() == null ? NO_GRAPHS : "FAILED: " + r.result().graphFailure().replace('|', '/');
                sb.append(why).append(" | n/a | n/a | n/a | ");
            } else {
                double gap = e.median() - g.median();
                sb.append(ms(g)).append(" | ").append(fmt("%.3f ms (%+.1f %%)", gap, 100 * gap / g.median())).append(" | ");
                Double ng = nat == null || !c.model().equals("mlp") ? null : nat.gap(c);
                if (ng == null) {
                    sb.append("– | – | ");
                } else {
                    sb.append(fmt("%.3f ms", ng)).append(" | ").append(fmt("%+.2f %%", 100 * (gap - ng) / g.median())).append(" | ");
                }
            }
            sb.append(fmt("%.1f / %.1f", e.issueWallUs(), e.issueCpuUs())).append(" | ")
                    .append(g == null ? "n/a" : fmt("%.1f / %.1f", g.issueWallUs(), g.issueCpuUs())).append(" | ")
                    .append(r.result().check()).append(" |\n");
        }
        return sb.toString();
    }

    /** One line for run.sh's stage table: eager − graph over graph per case, e.g. "summary: eager-graph mlp dense +1.2%, lenet +40.0%". */
    static String summary(List<Row> rows) {
        java.util.StringJoiner j = new java.util.StringJoiner(", ", "summary: eager-graph ", "");
        for (Row r : rows) {
            String name = r.c().model() + (!r.c().model().equals("mlp") ? "" : r.c().kernels() == KernelMode.SPARSE24 ? " 2:4" : " dense");
            StepRunner.Result res = r.result();
            if (res == null || res.graphFailure() != null) {
                j.add(name + " FAILED");
            } else if (res.graph() == null) {
                j.add(name + " n/a");
            } else {
                j.add(name + fmt(" %+.1f%%", 100 * (res.eager().median() - res.graph().median()) / res.graph().median()));
            }
        }
        return j.toString();
    }

    static String csv(List<Row> rows, String device, String command) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(device).append('\n').append("# ").append(command).append('\n');
        sb.append("model,shape,batch,kernels,precision,optimizer,mode,steps_per_block,blocks,median_ms,min_ms,"
                + "issue_wall_us,issue_cpu_us,check\n");
        for (Row r : rows) {
            StepCase c = r.c();
            String head = String.join(",", c.model(), q(c.shape()), String.valueOf(c.batch()), c.kernels().word(), c.precision().word(),
                    c.optimizer());
            if (r.result() == null) {
                sb.append(head).append(",-,").append(r.steps()).append(",,,,,,").append(q("FAILED: " + r.failure())).append('\n');
                continue;
            }
            for (String mode : List.of("eager", "graph")) {
                StepRunner.Timing t = mode.equals("eager") ? r.result().eager() : r.result().graph();
                sb.append(head).append(',').append(mode).append(',').append(r.steps()).append(',');
                if (t == null) {
                    String why = r.result().graphFailure() == null ? NO_GRAPHS : "FAILED: " + r.result().graphFailure();
                    sb.append(",,,,,").append(q(why)).append('\n');
                    continue;
                }
                sb.append(t.blockMs().length).append(',').append(fmt("%.4f,%.4f,%.2f,%.2f", t.median(), t.min(), t.issueWallUs(),
                        t.issueCpuUs())).append(',').append(q(r.result().check())).append('\n');
            }
        }
        return sb.toString();
    }

    private static String ms(StepRunner.Timing t) {
        return fmt("%.3f (%.3f)", t.median(), t.min());
    }

    private static String q(String s) {
        return "\"" + s.replace("\"", "'") + "\"";
    }

    static String fmt(String f, Object... a) {
        return String.format(Locale.ROOT, f, a);
    }
}
