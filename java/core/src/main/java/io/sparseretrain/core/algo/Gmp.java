package io.sparseretrain.core.algo;

import io.sparseretrain.core.prune.PruneReport;
import io.sparseretrain.core.schedule.GmpSchedule;
import io.sparseretrain.core.schedule.LrSchedule;
import io.sparseretrain.core.train.Trainer;
import java.util.ArrayList;
import java.util.List;

/**
 * Gradual magnitude pruning (Zhu & Gupta): training with one LR schedule over the whole budget,
 * pruning to s(t) at every event of the cubic schedule; the optimizer is mask-aware, so pruned weights
 * and their momentum are zero from the event on. Training continues at full sparsity after the last
 * event until the budget ends.
 */
public final class Gmp {
    private Gmp() {}

    public static List<CycleResult> run(SparseContext ctx, GmpSchedule gmp, LrSchedule lr) {
        List<CycleResult> out = new ArrayList<>();
        Trainer t = ctx.trainer();
        long at = 0;
        int c = 0;
        for (GmpSchedule.PruneEvent e : gmp.pruneEvents()) {
            if (e.step() >= lr.length()) throw new IllegalArgumentException("GMP prunes at step " + e.step() + " beyond the budget of " + lr.length());
            if (e.step() > at) {
                t.trainSteps(ctx.loader(), ctx.cursor(), e.step() - at, lr, at, ctx.listener());
                at = e.step();
            }
            if (e.sparsity() <= 0) continue;
            long start = System.nanoTime();
            c++;
            ctx.hook().beforePrune(c);
            PruneReport r = ctx.pruner().prune(ctx.model(), e.sparsity(), ctx.seed() * 1000 + c);
            ctx.hook().afterPrune(c);
            out.add(new CycleResult(c, e.sparsity(), r.sparsity(), r.keptAfter(), r.prunable(), Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN, Double.NaN, 0, new float[0], null, (System.nanoTime() - start) / 1e9));
        }
        Trainer.EpochStats s = null;
        if (lr.length() > at) s = t.trainSteps(ctx.loader(), ctx.cursor(), lr.length() - at, lr, at, ctx.listener());
        Trainer.EvalStats eval = t.evaluate(ctx.eval());
        CycleResult last = out.isEmpty() ? null : out.get(out.size() - 1);
        CycleResult fin = new CycleResult(c + 1, gmp.target(), last == null ? 0 : last.sparsity(), last == null ? 0 : last.kept(),
                last == null ? 0 : last.prunable(), Double.NaN, Double.NaN, eval.accuracy(), eval.loss(), s == null ? Double.NaN : s.loss(),
                lr.length() - gmp.endStep(), new float[0], null, 0);
        out.add(fin);
        ctx.hook().afterCycle(fin);
        return out;
    }
}
