package io.sparseretrain.core.experiment;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.algo.CycleResult;
import io.sparseretrain.core.algo.RetrainOptions;
import io.sparseretrain.core.data.BatchLoader;
import io.sparseretrain.core.data.LabeledImages;
import io.sparseretrain.core.io.CompactedCheckpoint;
import io.sparseretrain.core.nn.Layer;
import io.sparseretrain.core.nn.Model;
import io.sparseretrain.core.nn.Parameter;
import io.sparseretrain.core.optim.Optimizer;
import io.sparseretrain.core.prune.structured.InferenceTimer;
import io.sparseretrain.core.prune.structured.ModelSurgery;
import io.sparseretrain.core.prune.structured.StructuredPruner;
import io.sparseretrain.core.prune.structured.StructuredReport;
import io.sparseretrain.core.prune.structured.StructuredResult;
import io.sparseretrain.core.prune.structured.StructuredSpec;
import io.sparseretrain.core.recipe.Recipe;
import io.sparseretrain.core.schedule.AllrFactors;
import io.sparseretrain.core.schedule.AllrInputs;
import io.sparseretrain.core.schedule.ImpSchedule;
import io.sparseretrain.core.schedule.PretrainRecord;
import io.sparseretrain.core.schedule.RetrainMethod;
import io.sparseretrain.core.schedule.RetrainSchedule;
import io.sparseretrain.core.train.DataCursor;
import io.sparseretrain.core.train.Progress;
import io.sparseretrain.core.train.Trainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One structured cell: from the dense model, J cycles (one-shot: 1) of prune + compact
 * ({@link StructuredPruner}) and retraining of the compacted model with the chosen schedule and a
 * fresh optimizer; cycle c keeps, per layer, round(width·(1−s)^e) of the dense width, e = c/J (or the
 * fixed-fraction exponent), so each cycle narrows the model further. ALLR's inputs come from the
 * compaction: ‖θ‖ before, ‖θ − θ_p‖ = the norm of every removed entry (rows, the consumers' columns,
 * BN entries), s = the fraction of Linear/Conv weights removed. The dense model is left as loaded.
 * Writes {@code cycle-C-after-prune.safetensors} and {@code retrained.safetensors}, each with its
 * model file ({@link CompactedCheckpoint}), and each cycle's LR curve.
 */
final class StructuredCell {
    private final Recipe r;
    private final Model dense;
    private final BatchLoader loader;
    private final LabeledImages test;
    private final PretrainRecord record;
    private final long pretrainSteps;
    private final long seed;
    private final PrintWriter log;

    StructuredCell(Recipe r, Model dense, BatchLoader loader, LabeledImages test, PretrainRecord record, long pretrainSteps, long seed,
                   PrintWriter log) {
        this.r = r;
        this.dense = dense;
        this.loader = loader;
        this.test = test;
        this.record = record;
        this.pretrainSteps = pretrainSteps;
        this.seed = seed;
        this.log = log;
    }

    /** Checks the spec against the model (layer names, fan-ins under global scope) without pruning. */
    static void validate(Recipe r, Model model) {
        try {
            StructuredPruner.rankable(model, r.structured().spec().withSparsity(0.5));
        } catch (IllegalArgumentException e) {
            throw new io.sparseretrain.core.recipe.RecipeException(r.source() + ": pruning: " + e.getMessage());
        }
    }

    CellResult run(double s, double epochs, long[] budget, ImpSchedule imp, String sched, double denseAcc, Path cellDir) throws IOException {
        long start = System.nanoTime();
        Recipe.Structured st = r.structured();
        StructuredSpec target = st.spec().withSparsity(s);
        Map<String, Integer> widths = new LinkedHashMap<>();
        for (Layer l : StructuredPruner.rankable(dense, target)) widths.put(l.name(), l.outputShape().channels());
        long denseWeights = prunableNumel(dense);
        RetrainOptions opts = r.algorithm().retrain().withMethod(RetrainMethod.parse(sched));
        DataCursor cursor = DataCursor.atStep(pretrainSteps, loader.batchesPerEpoch());
        List<CycleResult> cycles = new ArrayList<>();
        Model cur = dense;
        Optimizer opt = null;
        Trainer trainer = null;
        try {
            for (int c = 1; c <= imp.cycles(); c++) {
                long t0 = System.nanoTime();
                double exponent = Math.log(imp.keptFractionAfterCycle(c)) / Math.log(1 - s);
                StructuredSpec relative = relativeTo(cur, target.atFraction(exponent), widths);
                StructuredResult res = StructuredPruner.compact(cur, relative, InferenceTimer.Timing.NONE);
                AllrInputs allrIn;
                try {
                    allrIn = allrInputs(cur, res.model(), denseWeights, opts);
                    if (opts.method() == RetrainMethod.ALLR && allrIn == null) {
                        throw new IllegalArgumentException("ALLR needs a prune that removes weights; structured cycle " + c + " removed none");
                    }
                } catch (RuntimeException e) {
                    res.close();
                    throw e;
                }
                if (cur != dense) close(cur, opt, trainer);
                opt = null;
                trainer = null;
                cur = res.model();
                opt = Optimizers.create(cur.backend(), cur, r.pretraining());
                trainer = new Trainer(cur, opt, r.data().batchSize());
                CompactedCheckpoint.save(cellDir.resolve("cycle-" + c + "-after-prune.safetensors"), cur, meta(), provenance(c, relative));
                if (opts.recalibrateBatchNorm() > 0 && !cur.batchNorms().isEmpty()) trainer.recalibrateBatchNorm(loader, opts.recalibrateBatchNorm());
                Trainer.EvalStats pruned = trainer.evaluate(test);
                long n = budget[c - 1];
                RetrainSchedule rs = RetrainSchedule.create(opts.method().name(), record, n, opts.warmup(),
                        opts.method() == RetrainMethod.ALLR ? allrIn : null);
                AllrFactors allr = rs.allrFactors().orElse(null);
                Trainer.EpochStats ts = trainer.trainSteps(loader, cursor, n, rs, 0, new Progress(log));
                Trainer.EvalStats retrained = trainer.evaluate(test);
                long kept = prunableNumel(cur);
                CycleResult cy = new CycleResult(c, imp.sparsityAfterCycle(c), 1 - (double) kept / denseWeights, kept, denseWeights,
                        pruned.accuracy(), pruned.loss(), retrained.accuracy(), retrained.loss(), ts.loss(), n, rs.record(), allr,
                        (System.nanoTime() - t0) / 1e9);
                if (cy.lr().length > 0) ResultsIo.writeLrCsv(cellDir.resolve("lr-cycle-" + c + ".csv"), cy.lr());
                cycles.add(cy);
            }
            Path ckpt = cellDir.resolve("retrained.safetensors");
            Path spec = CompactedCheckpoint.save(ckpt, cur, meta(), provenance(imp.cycles(), target));
            StructuredSummary summary = summary(cur, st.timing(), ckpt, spec);
            return new CellResult(seed, sched, s, epochs, denseAcc, cycles, (System.nanoTime() - start) / 1e9, summary);
        } finally {
            if (cur != dense) close(cur, opt, trainer);
        }
    }

    /**
     * The cycle's per-layer targets (kept counts of the dense widths) as sparsities of the current,
     * already narrower model: layer-wise s' = 1 − keep/current width per layer; global s' = 1 − goal/current total.
     */
    static StructuredSpec relativeTo(Model cur, StructuredSpec cycleTarget, Map<String, Integer> denseWidths) {
        Map<String, Integer> now = new LinkedHashMap<>();
        for (Layer l : StructuredPruner.rankable(cur, cycleTarget)) now.put(l.name(), l.outputShape().channels());
        if (cycleTarget.scope() == StructuredSpec.Scope.GLOBAL) {
            long total = denseWidths.values().stream().mapToLong(Integer::longValue).sum();
            long current = now.values().stream().mapToLong(Integer::longValue).sum();
            long goal = Math.max(denseWidths.size(), Math.min(current, Math.round(total * (1 - cycleTarget.sparsity()))));
            return new StructuredSpec(1 - (double) goal / current, cycleTarget.norm(), cycleTarget.scope(), cycleTarget.layers(), Map.of());
        }
        Map<String, Double> f = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : now.entrySet()) {
            int keep = Math.min(e.getValue(), StructuredSpec.keepCount(denseWidths.get(e.getKey()), cycleTarget.sparsityOf(e.getKey())));
            f.put(e.getKey(), 1 - (double) keep / e.getValue());
        }
        return new StructuredSpec(0, cycleTarget.norm(), cycleTarget.scope(), cycleTarget.layers(), f);
    }

    private static AllrInputs allrInputs(Model before, Model after, long denseWeights, RetrainOptions o) {
        boolean all = o.allrNorm() == RetrainOptions.AllrNorm.ALL;
        double sqBefore = sumSquares(before, all), sqAfter = sumSquares(after, all);
        double s = o.allrS() == RetrainOptions.AllrS.CYCLE ? 1 - (double) prunableNumel(after) / prunableNumel(before)
                : 1 - (double) prunableNumel(after) / denseWeights;
        if (!(s > 0)) return null;  // nothing removed: ALLR has no input (RetrainSchedule refuses ALLR without one)
        double before2 = Math.sqrt(sqBefore);
        return new AllrInputs(before2, Math.min(before2, Math.sqrt(Math.max(0, sqBefore - sqAfter))), s);
    }

    private static double sumSquares(Model m, boolean all) {
        double sq = 0;
        for (Parameter p : all ? m.parameters() : m.prunableParameters()) {
            for (float v : m.backend().copyToHostFloats(p.value())) sq += (double) v * v;
        }
        return sq;
    }

    static long prunableNumel(Model m) {
        return m.prunableParameters().stream().mapToLong(Parameter::numel).sum();
    }

    private StructuredSummary summary(Model small, InferenceTimer.Timing timing, Path ckpt, Path spec) {
        List<StructuredReport.LayerWidth> ws = new ArrayList<>();
        Map<String, Integer> now = new LinkedHashMap<>();
        for (Layer l : ModelSurgery.weightLayers(small)) now.put(l.name(), l.outputShape().channels());
        for (Layer l : ModelSurgery.weightLayers(dense)) ws.add(new StructuredReport.LayerWidth(l.name(), now.get(l.name()), l.outputShape().channels()));
        double msBefore = Double.NaN, msAfter = Double.NaN;
        if (timing.enabled()) {
            InferenceTimer.Medians m = InferenceTimer.compare(dense, small, timing, 0x5eedL + seed);
            msBefore = m.a();
            msAfter = m.b();
        }
        return new StructuredSummary(ws, dense.parameterCount(), small.parameterCount(), dense.denseMultiplyAdds(), small.denseMultiplyAdds(),
                msBefore, msAfter, timing.examples(), timing.batch(), timing.runs(), ckpt.getFileName().toString(), spec.getFileName().toString());
    }

    private Map<String, String> meta() {
        return Map.of("seed", Long.toString(seed), "pruning", "structured");
    }

    private List<String> provenance(int cycle, StructuredSpec spec) {
        return List.of("Structurally pruned " + dense.name() + " (from " + r.model().getFileName() + "), cycle " + cycle + ": " + spec.norm()
                + " norm, " + spec.scope() + " scope; written by SparseRetrain beside its checkpoint");
    }

    private static void close(Model m, Optimizer opt, Trainer t) {
        if (t != null) t.close();
        if (opt != null) opt.close();
        m.close();
    }
}
