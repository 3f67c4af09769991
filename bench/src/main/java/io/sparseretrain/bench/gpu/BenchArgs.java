package io.sparseretrain.bench.gpu;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The command line of {@link JavaStepBench}. Every refusal names the option and the bad value; nothing
 * is built before all of them pass.
 *
 * @param backend   "cuda" or "cpu" (a device ordinal may follow: "cuda:1")
 * @param models    which step shapes, in order: a subset of {@link #MODELS}
 * @param steps     steps per timed block for every model; 0 = each model's default (StepCase)
 * @param blocks    timed blocks per mode (median and min over them), at least {@link #MIN_BLOCKS}
 * @param mlp       the MLP block's {d, h, tokens}: Linear d→h, GELU, Linear h→d, d classes
 * @param batch     the batch of LeNet-300-100 and ResNet-20
 * @param quick     --quick was given (the MLP block shrunk to 256→1024→256 at 512 tokens, for dry runs)
 * @param out       the Markdown table; the CSV goes next to it with the extension .csv
 * @param modelsDir where lenet-300-100.yaml and resnet20.yaml are read from
 * @param nativeCsv mlp_step_bench's CSV (stage5_mlp.csv), to set the native eager − graph gap against ours; may be null
 */
record BenchArgs(String backend, List<String> models, int steps, int blocks, int[] mlp, int batch, boolean quick, Path out,
                 Path modelsDir, Path nativeCsv) {
    static final List<String> MODELS = List.of("mlp", "lenet", "resnet20");
    static final int MIN_BLOCKS = 5;
    static final int[] MLP = {4096, 16384, 16384}, MLP_QUICK = {256, 1024, 512};

    static final String USAGE = """
            usage: JavaStepBench [--backend cuda|cpu] [--models mlp,lenet,resnet20] [--steps N] [--blocks B] [--quick]
                                 [--mlp D,H,TOKENS] [--batch N] [--out stage7_java_step.md] [--models-dir models]
                                 [--native stage5_mlp.csv]
              --steps   steps per timed block, every model (default: mlp 10, lenet 200, resnet20 20)
              --blocks  timed blocks per mode, >= 5 (default 7); median and min ms/step over them
              --quick   MLP 256->1024->256 with 512 tokens instead of 4096->16384->4096 with 16384 (dry runs)
              --mlp     the MLP block's width, hidden width and tokens (overrides --quick's)
              --batch   batch of LeNet-300-100 and ResNet-20 (default 128)
              --native  mlp_step_bench's CSV: adds the native eager - graph gap and Java's share of ours""";

    Path csv() {
        String f = out.getFileName().toString();
        String base = f.endsWith(".md") ? f.substring(0, f.length() - 3) : f;
        return out.resolveSibling(base + ".csv");
    }

    /** Parses {@code args}; IllegalArgumentException names the option and the value it refuses. */
    static BenchArgs parse(String... args) {
        String backend = "cuda";
        List<String> models = MODELS;
        int steps = 0;
        int blocks = 7;
        boolean quick = false;
        int[] mlp = null;
        int batch = 128;
        Path out = Path.of("stage7_java_step.md");
        Path modelsDir = Path.of("models");
        Path nativeCsv = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--quick")) {
                quick = true;
                continue;
            }
            if (!a.startsWith("--")) throw new IllegalArgumentException("unexpected argument '" + a + "' (options start with --)");
            if (i + 1 >= args.length) throw new IllegalArgumentException("option " + a + " needs a value");
            String v = args[++i];
            switch (a) {
                case "--backend" -> backend = backend(v);
                case "--models" -> models = models(v);
                case "--steps" -> steps = positive(a, v);
                case "--blocks" -> {
                    blocks = positive(a, v);
                    if (blocks < MIN_BLOCKS) {
                        throw new IllegalArgumentException("--blocks " + v + ": at least " + MIN_BLOCKS + " timed blocks are needed for a median");
                    }
                }
                case "--mlp" -> mlp = mlp(v);
                case "--batch" -> batch = positive(a, v);
                case "--out" -> out = Path.of(v);
                case "--models-dir" -> modelsDir = Path.of(v);
                case "--native" -> nativeCsv = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option '" + a + "'");
            }
        }
        if (mlp == null) mlp = quick ? MLP_QUICK : MLP;
        return new BenchArgs(backend, models, steps, blocks, mlp, batch, quick, out, modelsDir, nativeCsv);
    }

    /** The default MLP block of issue 5 (what mlp_step_bench times), so that the native gap applies. */
    boolean mlpIsIssueShape() {
        return java.util.Arrays.equals(mlp, MLP);
    }

    private static int[] mlp(String v) {
        String[] f = v.split(",", -1);
        if (f.length != 3) throw new IllegalArgumentException("--mlp '" + v + "' is not D,H,TOKENS (three numbers)");
        int[] out = new int[3];
        for (int i = 0; i < 3; i++) out[i] = positive("--mlp", f[i].trim());
        return out;
    }

    private static String backend(String v) {
        String name = v.contains(":") ? v.substring(0, v.indexOf(':')) : v;
        if (!name.equals("cuda") && !name.equals("cpu")) {
            throw new IllegalArgumentException("--backend '" + v + "' is not one of cuda, cpu (optionally cuda:N)");
        }
        return v;
    }

    private static List<String> models(String v) {
        Set<String> seen = new LinkedHashSet<>();
        for (String m : v.split(",", -1)) {
            String s = m.trim();
            if (!MODELS.contains(s)) throw new IllegalArgumentException("--models: '" + s + "' is not one of " + String.join(", ", MODELS));
            if (!seen.add(s)) throw new IllegalArgumentException("--models: '" + s + "' is listed twice");
        }
        return new ArrayList<>(seen);
    }

    private static int positive(String option, String v) {
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " '" + v + "' is not a whole number");
        }
        if (n <= 0) throw new IllegalArgumentException(option + " " + v + " must be positive");
        return n;
    }
}
