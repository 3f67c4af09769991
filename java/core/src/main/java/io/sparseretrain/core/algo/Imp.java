package io.sparseretrain.core.algo;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.nn.Parameter;
import io.sparseretrain.core.prune.PruneReport;
import io.sparseretrain.core.schedule.AllrFactors;
import io.sparseretrain.core.schedule.AllrInputs;
import io.sparseretrain.core.schedule.ImpSchedule;
import io.sparseretrain.core.schedule.LrSchedule;
import io.sparseretrain.core.schedule.PretrainRecord;
import io.sparseretrain.core.schedule.RetrainMethod;
import io.sparseretrain.core.schedule.RetrainSchedule;
import io.sparseretrain.core.schedule.Schedules;
import io.sparseretrain.core.train.DataCursor;
import io.sparseretrain.core.train.Trainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One-shot pruning (1 cycle) and iterative magnitude pruning: each cycle prunes to its keep count,
 * then retrains with the chosen schedule (FT, LRW, SLR, CLR, LLR, ALLR) and a fresh optimizer state;
 * masks stay fixed while retraining. With a {@link Pretraining.Snapshot} it does lottery-ticket weight
 * rewinding instead: after each prune the surviving weights return to θ_k and pretraining's schedule
 * and data order replay from step k.
 */
public final class Imp {
    private Imp() {}

    /**
     * @param stepsPerCycle retraining steps of each cycle (ignored when rewinding: P − k each)
     * @param rewind        θ_k for weight rewinding, or null
     */
    public record Config(ImpSchedule sparsity, long[] stepsPerCycle, RetrainOptions retrain, Pretraining.Snapshot rewind) {
        public Config {
            if (rewind == null && stepsPerCycle.length != sparsity.cycles()) {
                throw new IllegalArgumentException(stepsPerCycle.length + " retraining budgets for " + sparsity.cycles() + " cycles");
            }
            for (int c = 0; c < stepsPerCycle.length; c++) {
                if (rewind == null && stepsPerCycle[c] <= 0) throw new IllegalArgumentException("cycle " + (c + 1) + " has " + stepsPerCycle[c] + " retraining steps; a cycle needs at least one");
            }
        }
    }

    public static List<CycleResult> run(SparseContext ctx, PretrainRecord pre, Config cfg) {
        List<CycleResult> out = new ArrayList<>();
        for (int c = 1; c <= cfg.sparsity().cycles(); c++) {
            long start = System.nanoTime();
            ctx.hook().beforePrune(c);
            PruneReport report = ctx.pruner().pruneKeeping(ctx.model(), cfg.sparsity().keptFractionAfterCycle(c), ctx.seed() * 1000 + c);
            DataCursor cursor = ctx.cursor();
            LrSchedule schedule;
            AllrFactors allr = null;
            long n;
            if (cfg.rewind() != null) {
                rewindWeights(ctx, cfg.rewind());
                long k = cfg.rewind().step();
                n = pre.steps() - k;
                if (n <= 0) throw new IllegalArgumentException("rewinding to step " + k + " of " + pre.steps() + " leaves nothing to replay");
                schedule = Schedules.recorded(Arrays.copyOfRange(pre.lr(), (int) k, pre.steps()));
                cursor = DataCursor.atStep(k, (int) ctx.stepsPerEpoch());
            } else {
                n = cfg.stepsPerCycle()[c - 1];
                RetrainSchedule rs = RetrainSchedule.create(cfg.retrain().method().name(), pre, n, cfg.retrain().warmup(),
                        cfg.retrain().method() == RetrainMethod.ALLR ? allrInputs(report, cfg.retrain()) : null);
                allr = rs.allrFactors().orElse(null);
                schedule = rs;
            }
            CycleResult r = retrain(ctx, c, cfg.sparsity().sparsityAfterCycle(c), report, schedule, n, cursor, cfg.retrain(), allr, start);
            out.add(r);
            ctx.hook().afterCycle(r);
        }
        return out;
    }

    /** Evaluate the pruned model, retrain n steps, evaluate again. Shared by IMP and BIMP. */
    static CycleResult retrain(SparseContext ctx, int c, double target, PruneReport report, LrSchedule schedule, long n,
                               DataCursor cursor, RetrainOptions opts, AllrFactors allr, long startNanos) {
        Trainer t = ctx.trainer();
        if (opts.recalibrateBatchNorm() > 0 && !ctx.model().batchNorms().isEmpty()) {
            t.recalibrateBatchNorm(ctx.loader(), opts.recalibrateBatchNorm());
        }
        ctx.hook().afterPrune(c);
        Trainer.EvalStats pruned = t.evaluate(ctx.eval());
        ctx.optimizer().reset();
        Trainer.EpochStats s = t.trainSteps(ctx.loader(), cursor, n, schedule, 0, ctx.listener());
        Trainer.EvalStats retrained = t.evaluate(ctx.eval());
        return new CycleResult(c, target, report.sparsity(), report.keptAfter(), report.prunable(), pruned.accuracy(), pruned.loss(),
                retrained.accuracy(), retrained.loss(), s.loss(), n, schedule.record(), allr, (System.nanoTime() - startNanos) / 1e9);
    }

    /** ALLR's inputs from the prune report, per the options (θ: all | prunable; s: cycle | target). */
    static AllrInputs allrInputs(PruneReport r, RetrainOptions o) {
        double before = o.allrNorm() == RetrainOptions.AllrNorm.ALL ? r.normBefore() : r.normBeforePrunable();
        double removed = o.allrNorm() == RetrainOptions.AllrNorm.ALL ? r.normRemoved() : r.normRemovedPrunable();
        double s = o.allrS() == RetrainOptions.AllrS.CYCLE ? r.fractionPruned() : r.sparsity();
        if (!(s > 0)) throw new IllegalArgumentException("ALLR needs a prune that removes weights; this cycle pruned none (s = " + s + ")");
        return new AllrInputs(before, Math.min(removed, before), s);
    }

    /** Surviving weights back to θ_k (pruned ones stay zero); all other parameters to θ_k as well. */
    static void rewindWeights(SparseContext ctx, Pretraining.Snapshot snap) {
        Backend b = ctx.model().backend();
        List<Parameter> ps = ctx.model().parameters();
        for (int i = 0; i < ps.size(); i++) {
            Parameter p = ps.get(i);
            b.copyFromHost(snap.values().get(i), p.value());
            if (p.mask() != null) b.masks().apply(p.value(), p.mask());
        }
    }
}
