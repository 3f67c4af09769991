package io.sparseretrain.core.recipe;

import io.sparseretrain.core.algo.RetrainOptions;
import io.sparseretrain.core.config.Fields;
import io.sparseretrain.core.nn.KernelMode;
import io.sparseretrain.core.nn.Precision;
import io.sparseretrain.core.prune.PruneSpec;
import io.sparseretrain.core.prune.structured.InferenceTimer;
import io.sparseretrain.core.prune.structured.StructuredSpec;
import io.sparseretrain.core.schedule.RetrainMethod;
import io.sparseretrain.core.schedule.WarmupKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * YAML recipe → validated {@link Recipe}. Every field is checked (type, range, allowed words) and
 * invalid combinations are rejected with the reason — IMP cycles with N:M (the pattern fixes the
 * sparsity), ALLR-less BIMP, schedules that do not exist, structured pruning with mask-only options,
 * with algorithms that prune gradually with masks, or global structured scope over IMP cycles (the
 * first compaction leaves the layers with different fan-ins) — before any data is read. What needs the model's
 * shapes (structured layer names, global structured scope across different fan-ins) is checked by
 * {@link io.sparseretrain.core.experiment.Experiment} right after building the model, also before
 * any data is read.
 */
public final class RecipeParser {
    private RecipeParser() {}

    public static Recipe load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new RecipeException(file + ": recipe file not found");
        return parse(file, Files.readString(file));
    }

    @SuppressWarnings("unchecked")
    public static Recipe parse(Path file, String yaml) {
        String src = file.toString();
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        } catch (RuntimeException e) {
            throw new RecipeException(src + ": not valid YAML: " + e.getMessage());
        }
        if (!(root instanceof Map<?, ?> top)) throw new RecipeException(src + ": expected a map at the top");
        Fields f = fields(src, "recipe", (Map<String, Object>) top, Set.of("name", "data", "model", "pretraining", "pruning", "algorithm", "seeds",
                "retraining"));
        Path base = file.toAbsolutePath().getParent();
        Recipe.Data data = data(src, f.map("data", false), base);
        Path model = resolve(base, f.string("model", null));
        if (!Files.isRegularFile(model)) throw new RecipeException(src + ": model file " + model + " not found");
        Recipe.Pretraining pre = pretraining(src, f.map("pretraining", true));
        Pruning pr = pruning(src, f.map("pruning", false));
        PruneSpec pruning = pr.spec();
        Recipe.Algorithm algo = algorithm(src, f.map("algorithm", true), pruning);
        List<Long> seeds = new ArrayList<>();
        for (double s : f.numbers("seeds", List.of(0.0))) {
            if (s != Math.rint(s) || s < 0) throw new RecipeException(src + ": seeds: " + s + " is not a non-negative integer");
            seeds.add((long) s);
        }
        Recipe.Retraining retraining = retraining(src, f.map("retraining", false), pruning);
        return new Recipe(f.string("name", "experiment"), file, data, model, pre, pruning, algo, List.copyOf(seeds), retraining,
                pr.structured());
    }

    private static Fields fields(String src, String where, Map<String, Object> m, Set<String> allowed) {
        return new Fields(src, where, m, allowed, RecipeException::new);
    }

    private static Path resolve(Path base, String p) {
        Path path = Path.of(p);
        if (path.isAbsolute()) return path;
        // relative to the working directory when it exists there, else to the recipe's folder or the
        // nearest folder above it that has it (recipes under models/recipes/ name models/x.yaml)
        if (Files.exists(path)) return path.toAbsolutePath();
        for (Path d = base; d != null; d = d.getParent()) {
            if (Files.exists(d.resolve(p))) return d.resolve(p);
        }
        return base.resolve(p);
    }

    private static Recipe.Data data(String src, Map<String, Object> m, Path base) {
        Fields f = fields(src, "data", m, Set.of("dataset", "dir", "batch", "validation"));
        f.choice("dataset", "fashion-mnist", Set.of("fashion-mnist"));
        Path dir = f.has("dir") ? resolve(base, f.string("dir", null)) : null;
        return new Recipe.Data(dir, f.positiveInt("batch", 128), f.fraction("validation", 0.0, 0.0, 0.5));
    }

    private static Recipe.Pretraining pretraining(String src, Map<String, Object> m) {
        Fields f = fields(src, "pretraining", m, Set.of("epochs", "optimizer", "momentum", "nesterov", "weight_decay", "schedule", "lr",
                "lr_end", "warmup_epochs", "cuda_graph"));
        int epochs = f.positiveInt("epochs", null);
        double warm = f.number("warmup_epochs", 1.0);
        if (!(warm >= 0 && warm < epochs)) throw new RecipeException(src + ": pretraining: field 'warmup_epochs' = " + warm + " must be in [0, epochs)");
        return new Recipe.Pretraining(epochs, f.choice("optimizer", "sgd", Set.of("sgd", "adamw")), (float) f.fraction("momentum", 0.9, 0, 1),
                f.bool("nesterov", true), (float) f.fraction("weight_decay", 1e-4, 0, 1), f.choice("schedule", "linear", Set.of("linear", "cosine")),
                (float) f.fraction("lr", 0.1, 1e-12, 100), (float) f.fraction("lr_end", 1e-3, 0, 100), warm, f.bool("cuda_graph", false));
    }

    /** The pruning section: the mask spec, and structured pruning's options when granularity is structured. */
    private record Pruning(PruneSpec spec, Recipe.Structured structured) {}

    private static final List<String> STRUCTURED_ONLY = List.of("norm", "layers", "fractions", "timing");
    private static final List<String> MASK_ONLY = List.of("allocation", "n", "m", "dense", "caps", "prunable");

    private static Pruning pruning(String src, Map<String, Object> m) {
        Fields f = fields(src, "pruning", m, Set.of("criterion", "scope", "granularity", "allocation", "n", "m", "dense", "caps", "prunable",
                "norm", "layers", "fractions", "timing"));
        String g = f.choice("granularity", "unstructured", Set.of("unstructured", "nm", "transposable24", "structured"));
        if (g.equals("structured")) return structured(src, f);
        for (String k : STRUCTURED_ONLY) {
            if (f.has(k)) throw new RecipeException(src + ": pruning: field '" + k + "' applies to granularity 'structured', not '" + g + "'");
        }
        PruneSpec.Criterion c = PruneSpec.Criterion.valueOf(f.choice("criterion", "magnitude", Set.of("magnitude", "random")).toUpperCase(Locale.ROOT));
        PruneSpec.Scope s = PruneSpec.Scope.valueOf(f.choice("scope", "global", Set.of("global", "layerwise")).toUpperCase(Locale.ROOT));
        String a = f.choice("allocation", "uniform", Set.of("uniform", "uniform+", "erk"));
        PruneSpec.Allocation alloc = a.equals("uniform+") ? PruneSpec.Allocation.UNIFORM_PLUS : PruneSpec.Allocation.valueOf(a.toUpperCase(Locale.ROOT));
        if (s == PruneSpec.Scope.GLOBAL && !a.equals("uniform")) {
            throw new RecipeException(src + ": pruning: allocation '" + a + "' applies to scope 'layerwise', not 'global'");
        }
        Map<String, Double> caps = sparsityMap(src, "caps", f.map("caps", false));
        PruneSpec.Granularity gran = switch (g) {
            case "nm" -> PruneSpec.Granularity.NM;
            case "transposable24" -> PruneSpec.Granularity.TRANSPOSABLE_24;
            default -> PruneSpec.Granularity.UNSTRUCTURED;
        };
        try {
            return new Pruning(new PruneSpec(c, s, gran, alloc, f.positiveInt("n", 2), f.positiveInt("m", 4), new HashSet<>(f.strings("dense", List.of())),
                    caps, new HashSet<>(f.strings("prunable", List.of()))), null);
        } catch (IllegalArgumentException e) {
            throw new RecipeException(src + ": pruning: " + e.getMessage());
        }
    }

    /**
     * retraining: {kernels: dense | sparse24 | auto, precision: fp32 | bf16, cuda_graph: false | true}. cuda_graph replays each
     * retraining step from CUDA Graphs (CUDA backend only, refused on the CPU backend when the run starts), with any kernels and precision. The 2:4 sparse GEMM needs 2:4 masks along the input
     * features: granularity nm with n 2, m 4 (forward sparse, dX dense) or transposable24 (both sparse).
     */
    private static Recipe.Retraining retraining(String src, Map<String, Object> m, PruneSpec pruning) {
        Fields f = fields(src, "retraining", m, Set.of("kernels", "precision", "cuda_graph"));
        KernelMode kernels = KernelMode.parse(f.choice("kernels", "dense", Set.of("dense", "sparse24", "auto")));
        if ("fp16".equals(m == null ? null : String.valueOf(m.get("precision")))) {
            throw new RecipeException(src + ": retraining: " + Precision.FP16_REFUSAL);
        }
        String precision = f.choice("precision", kernels == KernelMode.DENSE ? "fp32" : "bf16", Set.of("fp32", "bf16"));
        boolean cudaGraph = f.bool("cuda_graph", false);
        if (kernels == KernelMode.DENSE) return new Recipe.Retraining(kernels, Precision.parse(precision), false, cudaGraph);
        if (precision.equals("fp32")) {
            throw new RecipeException(src + ": retraining: kernels '" + kernels.word() + "' with precision 'fp32' is refused: "
                    + "the 2:4 sparse GEMM runs in bf16 (cuSPARSELt's 50% sparsity for float32 is 1:2, not the 2:4 our masks "
                    + "produce); use precision 'bf16' or kernels 'dense'");
        }
        boolean transposable = pruning.granularity() == PruneSpec.Granularity.TRANSPOSABLE_24;
        boolean nm24 = pruning.granularity() == PruneSpec.Granularity.NM && pruning.n() == 2 && pruning.m() == 4;
        if (!transposable && !nm24) {
            String masks = pruning.granularity() == PruneSpec.Granularity.NM ? "nm with n " + pruning.n() + ", m " + pruning.m()
                    : "'" + pruning.granularity().name().toLowerCase(Locale.ROOT) + "'";
            throw new RecipeException(src + ": retraining: kernels '" + kernels.word() + "' needs 2:4 masks, but pruning.granularity is "
                    + masks + ": use granularity 'nm' with n: 2, m: 4 (forward sparse, input gradient dense) or 'transposable24' "
                    + "(both sparse), or kernels 'dense'");
        }
        return new Recipe.Retraining(kernels, Precision.BF16, transposable, cudaGraph);
    }

    /**
     * granularity: structured — norm (l1 | l2, default l2), scope (layerwise by default; global only
     * across layers of one fan-in), layers (names to prune; default every prunable one), fractions
     * (per-layer sparsity overriding the grid's, layer-wise only), timing (examples, batch, warmup,
     * runs of the measured CPU inference comparison; examples 0 = off).
     */
    private static Pruning structured(String src, Fields f) {
        for (String k : MASK_ONLY) {
            if (f.has(k)) {
                throw new RecipeException(src + ": pruning: field '" + k + "' does not apply to granularity 'structured' (it removes whole "
                        + "neurons/filters and compacts the model; choose them with 'layers' and per-layer 'fractions')");
            }
        }
        String c = f.choice("criterion", "magnitude", Set.of("magnitude", "random"));
        if (!c.equals("magnitude")) {
            throw new RecipeException(src + ": pruning: criterion '" + c + "' with granularity 'structured' is not implemented: structured "
                    + "pruning ranks neurons by the norm of their weights (field 'norm': l1 or l2)");
        }
        String scope = f.choice("scope", "layerwise", Set.of("global", "layerwise"));
        String norm = f.choice("norm", "l2", Set.of("l1", "l2"));
        Set<String> layers = new HashSet<>(f.strings("layers", List.of()));
        if (f.has("layers") && layers.isEmpty()) throw new RecipeException(src + ": pruning: field 'layers' is empty (omit it to prune every prunable layer)");
        Map<String, Double> fractions = sparsityMap(src, "fractions", f.map("fractions", false));
        if (scope.equals("global") && !fractions.isEmpty()) {
            throw new RecipeException(src + ": pruning: per-layer 'fractions' need scope 'layerwise': global scope ranks all layers together "
                    + "against one target");
        }
        Fields t = fields(src, "pruning.timing", f.map("timing", false), Set.of("examples", "batch", "warmup", "runs"));
        InferenceTimer.Timing timing;
        StructuredSpec spec;
        try {
            timing = new InferenceTimer.Timing(t.nonNegativeInt("examples", 1000), t.positiveInt("batch", 256), t.nonNegativeInt("warmup", 3),
                    t.positiveInt("runs", 11));
            spec = new StructuredSpec(0, StructuredSpec.Norm.valueOf(norm.toUpperCase(Locale.ROOT)),
                    StructuredSpec.Scope.valueOf(scope.toUpperCase(Locale.ROOT)), layers, fractions);
        } catch (IllegalArgumentException e) {
            throw new RecipeException(src + ": pruning: " + e.getMessage());
        }
        PruneSpec mask = new PruneSpec(PruneSpec.Criterion.MAGNITUDE, PruneSpec.Scope.valueOf(scope.toUpperCase(Locale.ROOT)),
                PruneSpec.Granularity.STRUCTURED, PruneSpec.Allocation.UNIFORM, 2, 4, Set.of(), Map.of(), Set.of());
        return new Pruning(mask, new Recipe.Structured(spec, timing));
    }

    /** A map of name → sparsity in [0, 1). */
    private static Map<String, Double> sparsityMap(String src, String field, Map<String, Object> m) {
        Map<String, Double> out = new HashMap<>();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            if (!(e.getValue() instanceof Number n) || !(n.doubleValue() >= 0 && n.doubleValue() < 1)) {
                throw new RecipeException(src + ": pruning: " + field + ": '" + e.getKey() + "' = " + e.getValue() + " is not a sparsity in [0, 1)");
            }
            out.put(e.getKey(), n.doubleValue());
        }
        return out;
    }

    private static Recipe.Algorithm algorithm(String src, Map<String, Object> m, PruneSpec pruning) {
        Fields f = fields(src, "algorithm", m, Set.of("type", "sparsities", "retrain_epochs", "retrain_total_epochs", "schedules", "cycles",
                "fixed_fraction", "warmup", "allr", "rewind_epochs", "total_epochs", "dense_epochs", "interval_epochs",
                "allr_last_cycle_only", "recalibrate_bn"));
        String type = f.choice("type", null, Set.of("one-shot", "imp", "lth", "gmp", "bimp"));
        Recipe.Kind kind = Recipe.Kind.valueOf(type.replace('-', '_').toUpperCase(Locale.ROOT));
        List<Double> sparsities = pruning.isPatterned() ? List.of(0.5) : f.numbers("sparsities", null);
        for (double s : sparsities) {
            if (!(s > 0 && s < 1)) throw new RecipeException(src + ": algorithm: sparsity " + s + " is not in (0, 1)");
        }
        int cycles = f.nonNegativeInt("cycles", kind == Recipe.Kind.ONE_SHOT ? 1 : 0);
        double q = f.has("fixed_fraction") ? f.fraction("fixed_fraction", null, 1e-9, 1) : 0;
        if (pruning.isPatterned() && (kind != Recipe.Kind.ONE_SHOT || cycles > 1)) {
            throw new RecipeException(src + ": algorithm: type '" + type + "' with granularity " + pruning.granularity()
                    + " is invalid: an N:M / transposable pattern fixes the sparsity, so only one-shot pruning applies");
        }
        if (kind == Recipe.Kind.IMP || kind == Recipe.Kind.LTH) {
            if ((cycles == 0) == (q == 0)) throw new RecipeException(src + ": algorithm: " + type + " needs exactly one of 'cycles' or 'fixed_fraction'");
        }
        if (pruning.granularity() == PruneSpec.Granularity.STRUCTURED && kind != Recipe.Kind.ONE_SHOT && kind != Recipe.Kind.IMP) {
            throw new RecipeException(src + ": algorithm: type '" + type + "' with granularity 'structured' is invalid: structured pruning "
                    + "compacts the model after each prune, so it runs one-shot or as IMP cycles (each cycle compacts further); "
                    + (kind == Recipe.Kind.LTH ? "rewinding to the dense θ_k is not implemented for a compacted model"
                    : type.toUpperCase(Locale.ROOT) + " prunes gradually with masks while training from scratch"));
        }
        if (pruning.granularity() == PruneSpec.Granularity.STRUCTURED && pruning.scope() == PruneSpec.Scope.GLOBAL && kind == Recipe.Kind.IMP) {
            throw new RecipeException(src + ": algorithm: IMP cycles with global structured scope are invalid: after the first compaction "
                    + "each layer's fan-in is the previous layer's kept width, so the layers no longer share one fan-in and a second global "
                    + "ranking would rank them by shape; use scope 'layerwise' for IMP, or one-shot");
        }
        if (kind == Recipe.Kind.ONE_SHOT && cycles != 1) throw new RecipeException(src + ": algorithm: one-shot has 1 cycle, got cycles = " + cycles);
        List<String> schedules = new ArrayList<>();
        for (String s : f.strings("schedules", List.of(kind == Recipe.Kind.BIMP ? "allr" : "llr"))) {
            try {
                schedules.add(RetrainMethod.parse(s).name().toLowerCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new RecipeException(src + ": algorithm: schedules: " + e.getMessage());
            }
        }
        if (kind == Recipe.Kind.BIMP && !schedules.equals(List.of("allr"))) {
            throw new RecipeException(src + ": algorithm: BIMP retrains with ALLR; schedules must be [allr], got " + schedules);
        }
        double total = f.has("retrain_total_epochs") ? f.fraction("retrain_total_epochs", null, 1e-9, 1e6) : 0;
        List<Double> budgets = total > 0 ? List.of() : f.numbers("retrain_epochs", kind == Recipe.Kind.IMP || kind == Recipe.Kind.ONE_SHOT ? null : List.of(0.0));
        for (double b : budgets) {
            if ((kind == Recipe.Kind.IMP || kind == Recipe.Kind.ONE_SHOT) && !(b > 0)) {
                throw new RecipeException(src + ": algorithm: retrain_epochs " + b + " must be > 0 (a 0-step cycle is an error)");
            }
        }
        Map<String, Object> allr = f.map("allr", false);
        Fields af = fields(src, "algorithm.allr", allr, Set.of("norm", "s"));
        RetrainOptions opts = new RetrainOptions(RetrainMethod.LLR,
                WarmupKind.parse(f.choice("warmup", "linear", Set.of("linear", "cosine"))),
                RetrainOptions.AllrNorm.valueOf(af.choice("norm", "all", Set.of("all", "prunable")).toUpperCase(Locale.ROOT)),
                RetrainOptions.AllrS.valueOf(af.choice("s", "cycle", Set.of("cycle", "target")).toUpperCase(Locale.ROOT)),
                f.nonNegativeInt("recalibrate_bn", 0));
        double totalEpochs = kind == Recipe.Kind.BIMP || kind == Recipe.Kind.GMP ? f.fraction("total_epochs", null, 1e-9, 1e6) : 0;
        double dense = kind == Recipe.Kind.BIMP || kind == Recipe.Kind.GMP ? f.fraction("dense_epochs", null, 0, totalEpochs) : 0;
        double interval = kind == Recipe.Kind.GMP ? f.fraction("interval_epochs", null, 1e-9, 1e6) : 0;
        if (kind == Recipe.Kind.BIMP && !(dense > 0)) throw new RecipeException(src + ": algorithm: BIMP's dense_epochs must be > 0");
        if (kind == Recipe.Kind.GMP && cycles == 0) throw new RecipeException(src + ": algorithm: GMP needs 'cycles' (the number of pruning steps n)");
        if (kind == Recipe.Kind.BIMP && cycles == 0) throw new RecipeException(src + ": algorithm: BIMP needs 'cycles'");
        return new Recipe.Algorithm(kind, List.copyOf(sparsities), List.copyOf(budgets), total, List.copyOf(schedules), cycles, q, opts,
                kind == Recipe.Kind.LTH ? f.fraction("rewind_epochs", 0.0, 0, 1e6) : 0, totalEpochs, dense, interval,
                f.bool("allr_last_cycle_only", false));
    }
}
