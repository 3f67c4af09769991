package io.sparseretrain.core.experiment;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.algo.Bimp;
import io.sparseretrain.core.algo.CycleResult;
import io.sparseretrain.core.algo.Gmp;
import io.sparseretrain.core.algo.Imp;
import io.sparseretrain.core.algo.Pretraining;
import io.sparseretrain.core.algo.SparseContext;
import io.sparseretrain.core.data.BatchLoader;
import io.sparseretrain.core.data.FashionMnist;
import io.sparseretrain.core.data.LabeledImages;
import io.sparseretrain.core.io.Checkpoint;
import io.sparseretrain.core.nn.KernelMode;
import io.sparseretrain.core.nn.Model;
import io.sparseretrain.core.nn.ModelSpec;
import io.sparseretrain.core.nn.Precision;
import io.sparseretrain.core.nn.Sparse24Runtime;
import io.sparseretrain.core.prune.Pruner;
import io.sparseretrain.core.recipe.Recipe;
import io.sparseretrain.core.schedule.BimpPlan;
import io.sparseretrain.core.schedule.GmpSchedule;
import io.sparseretrain.core.schedule.ImpSchedule;
import io.sparseretrain.core.schedule.LrSchedule;
import io.sparseretrain.core.schedule.PretrainRecord;
import io.sparseretrain.core.schedule.RetrainBudget;
import io.sparseretrain.core.schedule.RetrainMethod;
import io.sparseretrain.core.schedule.Schedules;
import io.sparseretrain.core.train.DataCursor;
import io.sparseretrain.core.train.Progress;
import io.sparseretrain.core.train.Trainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a recipe: for every seed, dense pretraining once (checkpointed), then every grid cell
 * (sparsity × retraining budget × schedule) from that checkpoint; each cell's result is written as
 * JSON when it ends, so {@code resume} skips finished cells and a kill loses at most the cell that
 * was running. Run folder: {@code seed-S/pretrained.safetensors}, {@code seed-S/<cell>/cycle-C-{before,after}-prune.safetensors},
 * {@code seed-S/<cell>/lr-cycle-C.csv}, {@code seed-S/<cell>/result.json}. A structured recipe
 * ({@code granularity: structured}) runs its cells with {@link StructuredCell}: the model is compacted
 * each cycle, so the cell folder holds {@code cycle-C-after-prune.safetensors} and
 * {@code retrained.safetensors}, each with its model file ({@code *.model.yaml}); the recipe's layer
 * names and fan-ins are checked against the built model before any data is read.
 */
public final class Experiment {
    private final Backend backend;
    private final Recipe recipe;
    private final Path out;
    private final boolean resume;
    private final PrintWriter log;

    public Experiment(Backend backend, Recipe recipe, Path out, boolean resume, PrintWriter log) {
        this.backend = backend;
        this.recipe = recipe;
        this.out = out;
        this.resume = resume;
        this.log = log;
    }

    /**
     * What can be checked of a recipe against its model and backend without data: structured layer
     * names and fan-ins, the pruning spec's names and the N:M / 2:4 shapes, and CUDA Graph options the
     * backend cannot honour. {@link #run} does it before any data is read or file written; the CLI's
     * {@code run --check} does only this.
     */
    public static void validate(Backend backend, Recipe recipe) throws IOException {
        try (Model m = ModelSpec.load(recipe.model()).build(backend, 0)) {
            if (recipe.isStructured()) StructuredCell.validate(recipe, m);
            else new Pruner(recipe.pruning()).validate(m);
            String why = Trainer.cudaGraphRefusal(m);
            if (why != null && recipe.pretraining().cudaGraph()) throw new IllegalArgumentException("pretraining.cuda_graph: " + why);
            if (why != null && recipe.retraining().cudaGraph()) throw new IllegalArgumentException("retraining.cuda_graph: " + why);
        }
    }

    public List<CellResult> run() throws IOException {
        validate(backend, recipe);
        ModelSpec spec = ModelSpec.load(recipe.model());
        Files.createDirectories(out);
        Files.copy(recipe.source(), out.resolve("recipe.yaml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        FashionMnist.Split split = FashionMnist.load(recipe.data().dir());
        LabeledImages train = split.train();
        if (recipe.data().validationFraction() > 0) train = BatchLoader.holdOut(train, recipe.data().validationFraction(), 12345)[0];
        List<CellResult> all = new ArrayList<>();
        for (long seed : recipe.seeds()) {
            try (SeedRun run = new SeedRun(backend, recipe, spec, train, split.test(), seed, out.resolve("seed-" + seed), resume, log)) {
                all.addAll(run.runAll());
            }
        }
        Files.writeString(out.resolve("results.csv"), ResultsIo.toCsv(all));
        StringBuilder json = new StringBuilder("[\n");
        for (int i = 0; i < all.size(); i++) json.append(i == 0 ? "" : ",\n").append(ResultsIo.toJson(all.get(i)));
        Files.writeString(out.resolve("results.json"), json.append("\n]\n"));
        Files.writeString(out.resolve("report.md"), Report.markdown(recipe, all));
        return all;
    }

    /** One seed: the model, its optimizer and trainer live for all cells of the seed. */
    static final class SeedRun implements AutoCloseable {
        private final Recipe r;
        private final long seed;
        private final Path dir;
        private final boolean resume;
        private final PrintWriter log;
        private final Model model;
        private final Trainer trainer;
        private final BatchLoader loader;
        private final LabeledImages test;
        private final long stepsPerEpoch;

        SeedRun(Backend b, Recipe r, ModelSpec spec, LabeledImages train, LabeledImages test, long seed, Path dir, boolean resume,
                PrintWriter log) throws IOException {
            this.r = r;
            this.seed = seed;
            this.dir = dir;
            this.resume = resume;
            this.log = log;
            this.test = test;
            Files.createDirectories(dir);
            this.model = spec.build(b, seed);
            this.loader = new BatchLoader(train, r.data().batchSize(), seed, true, false);
            this.stepsPerEpoch = loader.batchesPerEpoch();
            this.trainer = new Trainer(model, Optimizers.create(b, model, r.pretraining()), r.data().batchSize());
            trainer.useCudaGraphs(r.pretraining().cudaGraph());  // pretraining and BIMP/GMP's dense phase; retraining sets its own
        }

        String algorithmName() {
            return r.algorithm().kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }

        /** What the dense checkpoint depends on; a resumed run refuses a checkpoint made otherwise. */
        String pretrainingFingerprint() {
            return r.model().getFileName() + " batch " + r.data().batchSize() + " " + r.pretraining().fingerprint() + " validation "
                    + r.data().validationFraction();
        }

        long steps(double epochs) {
            return Math.round(epochs * stepsPerEpoch);
        }

        LrSchedule pretrainSchedule(long n) {
            Recipe.Pretraining p = r.pretraining();
            long warm = steps(p.warmupEpochs());
            return p.schedule().equals("cosine") ? Schedules.warmupCosine(p.peak(), p.end(), warm, n)
                    : Schedules.warmupLinear(p.peak(), p.end(), warm, n);
        }

        SparseContext context(DataCursor cursor, SparseContext.CycleHook hook) {
            return new SparseContext(trainer, loader, cursor, test, new Pruner(r.pruning()), seed, new Progress(log), hook);
        }

        List<CellResult> runAll() throws IOException {
            Recipe.Algorithm a = r.algorithm();
            if (a.kind() == Recipe.Kind.BIMP || a.kind() == Recipe.Kind.GMP) return budgeted();
            long p = steps(r.pretraining().epochs());
            LrSchedule pre = pretrainSchedule(p);
            Path pretrained = dir.resolve("pretrained.safetensors");
            Pretraining.Snapshot rewind = null;
            double denseAcc;
            if (resume && Files.exists(pretrained) && (a.kind() != Recipe.Kind.LTH)) {
                Map<String, String> meta = Checkpoint.load(pretrained, model, null);
                if (!pretrainingFingerprint().equals(meta.get("pretraining"))) {
                    throw new io.sparseretrain.core.recipe.RecipeException(pretrained + " was pretrained with [" + meta.get("pretraining")
                            + "], this recipe asks for [" + pretrainingFingerprint() + "]: use another --out or drop --resume");
                }
                denseAcc = Double.parseDouble(meta.getOrDefault("test_accuracy", "NaN"));
                log.printf("seed %d: dense model from %s (test accuracy %.2f%%)%n", seed, pretrained, 100 * denseAcc);
            } else {
                log.printf("seed %d: pretraining %d epochs (%d steps)%n", seed, r.pretraining().epochs(), p);
                long k = a.kind() == Recipe.Kind.LTH ? steps(a.rewindEpochs()) : -1;
                Pretraining.Result res = Pretraining.run(context(new DataCursor(0, 0), SparseContext.CycleHook.NONE), pre,
                        (int) steps(r.pretraining().warmupEpochs()), k);
                rewind = res.rewind();
                denseAcc = res.eval().accuracy();
                Checkpoint.save(pretrained, model, null, Map.of("seed", Long.toString(seed), "test_accuracy", Double.toString(denseAcc),
                        "global_step", Long.toString(p), "pretraining", pretrainingFingerprint()));
                ResultsIo.writeLrCsv(dir.resolve("lr-pretraining.csv"), pre.record());
                log.printf("seed %d: dense test accuracy %.2f%%%n", seed, 100 * denseAcc);
            }
            PretrainRecord record = PretrainRecord.of(pre, (int) steps(r.pretraining().warmupEpochs()));
            List<CellResult> cells = new ArrayList<>();
            for (double s : a.sparsities()) {
                for (double e : budgets(a)) {
                    for (String sched : a.schedules()) {
                        String key = CellResult.key(algorithmName(), sched, s, e);
                        Path cellDir = dir.resolve(key);
                        Path result = cellDir.resolve("result.json");
                        if (resume && Files.exists(result)) {
                            cells.add(ResultsIo.fromJson(Files.readString(result)));
                            continue;
                        }
                        Files.createDirectories(cellDir);
                        model.useKernels(KernelMode.DENSE, Precision.FP32, false);  // F32 dense again before the masks go
                        Checkpoint.load(pretrained, model, null);  // dense again: weights, BN, masks cleared
                        long start = System.nanoTime();
                        ImpSchedule imp = a.kind() == Recipe.Kind.ONE_SHOT ? ImpSchedule.oneShot(s)
                                : a.cycles() > 0 ? ImpSchedule.cycles(s, a.cycles()) : ImpSchedule.fixedFraction(s, a.fixedFraction());
                        long[] budget = a.retrainTotalEpochs() > 0 ? RetrainBudget.splitTotal(steps(a.retrainTotalEpochs()), imp.cycles())
                                : RetrainBudget.perCycle(steps(e), imp.cycles());
                        if (r.isStructured()) {
                            CellResult cell = new StructuredCell(r, model, loader, test, record, p, seed, log).run(s, e, budget, imp, sched, denseAcc, cellDir);
                            Files.writeString(result, ResultsIo.toJson(cell));
                            StructuredSummary st = cell.structured();
                            log.printf("seed %d %-4s structured %.3f retrain %.2f ep: pruned %.2f%% -> retrained %.2f%%; widths %s; MACs %,d -> %,d "
                                    + "(%.2fx theoretical, %s measured) (%.1fs)%n", seed, sched, s, e, 100 * cell.cycles().get(0).accuracyAfterPrune(),
                                    100 * cell.finalAccuracy(), st.widthsText(), st.macsBefore(), st.macsAfter(), st.theoreticalSpeedup(),
                                    Double.isFinite(st.measuredSpeedup()) ? String.format(java.util.Locale.ROOT, "%.2fx", st.measuredSpeedup()) : "not",
                                    cell.seconds());
                            cells.add(cell);
                            continue;
                        }
                        Imp.Config cfg = new Imp.Config(imp, budget, a.retrain().withMethod(RetrainMethod.parse(sched)),
                                a.kind() == Recipe.Kind.LTH ? rewind : null);
                        List<CycleResult> cycles = Imp.run(context(DataCursor.atStep(p, (int) stepsPerEpoch), new Saver(cellDir)), record, cfg);
                        CellResult cell = new CellResult(seed, sched, s, e, denseAcc, cycles, (System.nanoTime() - start) / 1e9);
                        Files.writeString(result, ResultsIo.toJson(cell));
                        log.printf("seed %d %-4s sparsity %.3f retrain %.2f ep: pruned %.2f%% -> retrained %.2f%% (%.1fs)%n", seed, sched, s, e,
                                100 * cell.last().accuracyAfterPrune(), 100 * cell.finalAccuracy(), cell.seconds());
                        cells.add(cell);
                    }
                }
            }
            return cells;
        }

        private List<Double> budgets(Recipe.Algorithm a) {
            return a.retrainTotalEpochs() > 0 ? List.of(a.retrainTotalEpochs()) : a.retrainEpochs();
        }

        /** BIMP and GMP train from scratch within the total budget, one cell per sparsity. */
        private List<CellResult> budgeted() throws IOException {
            Recipe.Algorithm a = r.algorithm();
            List<CellResult> cells = new ArrayList<>();
            long total = steps(a.totalEpochs());
            long dense = steps(a.denseEpochs());
            String name = a.kind() == Recipe.Kind.BIMP ? "bimp" : "gmp";
            Path init = dir.resolve("init.safetensors");
            Checkpoint.save(init, model, null, Map.of("seed", Long.toString(seed)));
            for (double s : a.sparsities()) {
                String key = CellResult.key(algorithmName(), name, s, a.totalEpochs());
                Path cellDir = dir.resolve(key);
                Path result = cellDir.resolve("result.json");
                if (resume && Files.exists(result)) {
                    cells.add(ResultsIo.fromJson(Files.readString(result)));
                    continue;
                }
                Files.createDirectories(cellDir);
                // the previous cell's retraining left its kernels and graph option: this cell's dense phase
                // starts as the first one did (F32 dense, pretraining.cuda_graph)
                model.useKernels(KernelMode.DENSE, Precision.FP32, false);
                trainer.useCudaGraphs(r.pretraining().cudaGraph());
                Checkpoint.load(init, model, null);
                trainer.optimizer().reset();
                long start = System.nanoTime();
                SparseContext ctx = context(new DataCursor(0, 0), new Saver(cellDir));
                List<CycleResult> cycles;
                if (a.kind() == Recipe.Kind.BIMP) {
                    BimpPlan plan = new BimpPlan(total, dense, s, a.cycles());
                    cycles = Bimp.run(ctx, plan, r.pretraining().peak(), steps(r.pretraining().warmupEpochs()), a.retrain(), a.allrLastCycleOnly());
                } else {
                    GmpSchedule g = new GmpSchedule(s, dense, a.cycles(), steps(a.gmpIntervalEpochs()));
                    cycles = Gmp.run(ctx, g, pretrainSchedule(total));
                }
                CellResult cell = new CellResult(seed, name, s, a.totalEpochs(), Double.NaN, cycles, (System.nanoTime() - start) / 1e9);
                Files.writeString(result, ResultsIo.toJson(cell));
                log.printf("seed %d %s sparsity %.3f (%.1f epochs): %.2f%% (%.1fs)%n", seed, name, s, a.totalEpochs(), 100 * cell.finalAccuracy(),
                        cell.seconds());
                cells.add(cell);
            }
            return cells;
        }

        /** Checkpoints before and after every prune, and each cycle's LR curve. */
        final class Saver implements SparseContext.CycleHook {
            private final Path cellDir;

            Saver(Path cellDir) {
                this.cellDir = cellDir;
            }

            private void save(String name) {
                try {
                    Checkpoint.save(cellDir.resolve(name), model, null, Map.of("seed", Long.toString(seed)));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }

            @Override
            public void beforePrune(int cycle) {
                if (r.algorithm().kind() != Recipe.Kind.GMP) save("cycle-" + cycle + "-before-prune.safetensors");
            }

            @Override
            public void afterPrune(int cycle) {
                if (r.algorithm().kind() != Recipe.Kind.GMP) save("cycle-" + cycle + "-after-prune.safetensors");
                // the masks are final for this cycle: retrain on the recipe's kernels, every plan made now
                Recipe.Retraining rt = r.retraining();
                if (rt.kernels() != KernelMode.DENSE || rt.precision() != Precision.FP32) {
                    var kernels = model.useKernels(rt.kernels(), rt.precision(), rt.transposable());
                    if (rt.kernels() != KernelMode.DENSE) keepUnpatternedDense(kernels);
                    trainer.prepareKernels(loader, test);
                    writeKernels(kernels, cycle);
                }
                trainer.useCudaGraphs(rt.cudaGraph());  // retraining steps (pretraining follows pretraining.cuda_graph)
            }

            /** Which layers run sparse for which rows, and why the others run dense: kernels.json and the log. */
            private void writeKernels(Sparse24Runtime kernels, int cycle) {
                try {
                    Files.writeString(cellDir.resolve("kernels.json"), kernels.toJson());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                if (cycle > 1) return;  // the same choices each cycle unless a shape changed: logged once
                log.printf("seed %d: retraining kernels %s, %s%n", seed, r.retraining().kernels().word(),
                        r.retraining().precision().name().toLowerCase(java.util.Locale.ROOT));
                for (String line : kernels.describe()) log.printf("  %s%n", line);
                kernels.fallbacks().forEach((layer, why) -> log.printf("  %s: %s%n", layer, why));
            }

            /** Weights the pruning spec leaves without the 2:4 pattern run dense, saying why. */
            private void keepUnpatternedDense(Sparse24Runtime kernels) {
                java.util.Set<String> patterned = new java.util.HashSet<>();
                for (var p : new Pruner(r.pruning()).patterned(model)) patterned.add(p.name());
                for (var p : model.prunableParameters()) {
                    if (patterned.contains(p.name())) continue;
                    kernels.keepDense(p.name(), r.pruning().dense().contains(p.name()) ? "pruning.dense keeps it dense (not 2:4)"
                            : "not in pruning.prunable (not 2:4)");
                }
            }

            @Override
            public void afterCycle(CycleResult result) {
                try {
                    if (result.lr().length > 0) ResultsIo.writeLrCsv(cellDir.resolve("lr-cycle-" + result.cycle() + ".csv"), result.lr());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }

        @Override
        public void close() {
            trainer.optimizer().close();
            trainer.close();
            model.close();
        }
    }
}
