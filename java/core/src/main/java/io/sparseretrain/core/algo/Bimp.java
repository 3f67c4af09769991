package io.sparseretrain.core.algo;

import io.sparseretrain.core.prune.PruneReport;
import io.sparseretrain.core.schedule.BimpPlan;
import io.sparseretrain.core.schedule.LrSchedule;
import io.sparseretrain.core.schedule.PretrainRecord;
import io.sparseretrain.core.schedule.RetrainSchedule;
import java.util.ArrayList;
import java.util.List;

/**
 * Budgeted IMP: dense training for T0 steps with a linear schedule to 0, then IMP in the remaining
 * T − T0 steps, pruning at fixed intervals to reach the target at the end, retraining every cycle
 * with ALLR whose d₂ uses T0 (option {@code allrLastCycleOnly}: the reference code's first version,
 * LLR in the earlier cycles).
 */
public final class Bimp {
    private Bimp() {}

    public static List<CycleResult> run(SparseContext ctx, BimpPlan plan, float peak, long warmup, RetrainOptions opts,
                                        boolean allrLastCycleOnly) {
        LrSchedule dense = plan.denseSchedule(peak, warmup);
        ctx.trainer().trainSteps(ctx.loader(), ctx.cursor(), plan.denseSteps(), dense, 0, ctx.listener());
        PretrainRecord denseRecord = PretrainRecord.of(dense, (int) warmup);
        List<CycleResult> out = new ArrayList<>();
        for (int c = 1; c <= plan.cycles(); c++) {
            long start = System.nanoTime();
            ctx.hook().beforePrune(c);
            PruneReport report = ctx.pruner().pruneKeeping(ctx.model(), plan.sparsity().keptFractionAfterCycle(c), ctx.seed() * 1000 + c);
            RetrainSchedule schedule = allrLastCycleOnly && c < plan.cycles()
                    ? RetrainSchedule.create("llr", denseRecord, plan.cycleLength(c), opts.warmup(), null)
                    : plan.retrainSchedule(c, denseRecord, Imp.allrInputs(report, opts), opts.warmup());
            CycleResult r = Imp.retrain(ctx, c, plan.sparsity().sparsityAfterCycle(c), report, schedule, plan.cycleLength(c), ctx.cursor(),
                    opts, schedule.allrFactors().orElse(null), start);
            out.add(r);
            ctx.hook().afterCycle(r);
        }
        return out;
    }
}
