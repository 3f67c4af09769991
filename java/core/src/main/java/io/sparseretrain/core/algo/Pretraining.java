package io.sparseretrain.core.algo;

import io.sparseretrain.core.nn.Parameter;
import io.sparseretrain.core.schedule.LrSchedule;
import io.sparseretrain.core.schedule.PretrainRecord;
import io.sparseretrain.core.train.Trainer;
import java.util.ArrayList;
import java.util.List;

/**
 * Dense (pre)training with a standard schedule; records η per step (the retraining schedules are built
 * from it) and, for lottery-ticket rewinding, the weights θ_k after {@code rewindStep} steps
 * (k = 0: the initialisation).
 */
public final class Pretraining {
    private Pretraining() {}

    /** θ_k: every parameter's values (state_dict order) after k steps. */
    public record Snapshot(long step, List<float[]> values) {}

    public record Result(PretrainRecord record, Snapshot rewind, Trainer.EpochStats stats, Trainer.EvalStats eval) {}

    /**
     * @param warmupSteps the schedule's warm-up length (η_min is taken after it)
     * @param rewindStep  k for weight rewinding, or −1
     */
    public static Result run(SparseContext ctx, LrSchedule schedule, int warmupSteps, long rewindStep) {
        long total = schedule.length();
        if (rewindStep > total) throw new IllegalArgumentException("rewind step " + rewindStep + " is beyond pretraining's " + total + " steps");
        Snapshot snapshot = null;
        Trainer.EpochStats stats = null;
        long done = 0;
        if (rewindStep >= 0) {
            if (rewindStep > 0) stats = ctx.trainer().trainSteps(ctx.loader(), ctx.cursor(), rewindStep, schedule, 0, ctx.listener());
            done = rewindStep;
            snapshot = snapshot(ctx, rewindStep);
        }
        if (total > done) stats = ctx.trainer().trainSteps(ctx.loader(), ctx.cursor(), total - done, schedule, done, ctx.listener());
        Trainer.EvalStats eval = ctx.trainer().evaluate(ctx.eval());
        return new Result(PretrainRecord.of(schedule, warmupSteps), snapshot, stats, eval);
    }

    static Snapshot snapshot(SparseContext ctx, long step) {
        List<float[]> values = new ArrayList<>();
        for (Parameter p : ctx.model().parameters()) values.add(ctx.model().backend().copyToHostFloats(p.value()));
        return new Snapshot(step, values);
    }
}
