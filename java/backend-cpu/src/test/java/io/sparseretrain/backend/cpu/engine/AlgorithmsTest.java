package io.sparseretrain.backend.cpu.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparseretrain.backend.cpu.CpuBackend;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.algo.Bimp;
import io.sparseretrain.core.algo.CycleResult;
import io.sparseretrain.core.algo.Gmp;
import io.sparseretrain.core.algo.Imp;
import io.sparseretrain.core.algo.Pretraining;
import io.sparseretrain.core.algo.RetrainOptions;
import io.sparseretrain.core.algo.SparseContext;
import io.sparseretrain.core.data.BatchLoader;
import io.sparseretrain.core.data.LabeledImages;
import io.sparseretrain.core.nn.Model;
import io.sparseretrain.core.nn.Parameter;
import io.sparseretrain.core.ops.AdamWConfig;
import io.sparseretrain.core.ops.SgdConfig;
import io.sparseretrain.core.optim.AdamW;
import io.sparseretrain.core.optim.Optimizer;
import io.sparseretrain.core.optim.Sgd;
import io.sparseretrain.core.prune.PruneSpec;
import io.sparseretrain.core.prune.Pruner;
import io.sparseretrain.core.schedule.BimpPlan;
import io.sparseretrain.core.schedule.GmpSchedule;
import io.sparseretrain.core.schedule.ImpSchedule;
import io.sparseretrain.core.schedule.LrSchedule;
import io.sparseretrain.core.schedule.RetrainMethod;
import io.sparseretrain.core.schedule.Schedules;
import io.sparseretrain.core.train.DataCursor;
import io.sparseretrain.core.train.StepListener;
import io.sparseretrain.core.train.Trainer;
import io.sparseretrain.testkit.EngineFixtures;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** IMP (six schedules), weight rewinding, GMP and BIMP end to end on a tiny model (CPU). */
class AlgorithmsTest {
    static CpuBackend b;
    static final LabeledImages TRAIN = EngineFixtures.quadrants(512, 11);
    static final LabeledImages TEST = EngineFixtures.quadrants(128, 12);

    @BeforeAll
    static void open() {
        b = new CpuBackend();
    }

    @AfterAll
    static void close() {
        b.close();
    }

    /** Checks, after every cycle, that pruned weights and their optimizer state are exactly zero. */
    static final class ZeroCheck implements SparseContext.CycleHook {
        final Model model;
        final Optimizer opt;
        int checked;

        ZeroCheck(Model model, Optimizer opt) {
            this.model = model;
            this.opt = opt;
        }

        @Override
        public void afterCycle(CycleResult r) {
            for (Parameter p : model.prunableParameters()) {
                if (p.mask() == null) continue;
                byte[] m = b.copyToHostBytes(p.mask());
                float[] w = b.copyToHostFloats(p.value());
                for (Map.Entry<String, Tensor> s : opt.state().getOrDefault(p.name(), Map.of()).entrySet()) {
                    float[] st = b.copyToHostFloats(s.getValue());
                    for (int i = 0; i < m.length; i++) {
                        if (m[i] == 0) assertEquals(0f, st[i], p.name() + " " + s.getKey() + "[" + i + "] revived, cycle " + r.cycle());
                    }
                }
                for (int i = 0; i < m.length; i++) if (m[i] == 0) assertEquals(0f, w[i], p.name() + "[" + i + "] revived, cycle " + r.cycle());
            }
            checked++;
        }
    }

    private static <T> T withContext(Function<Model, Optimizer> optimizer, PruneSpec spec, java.util.function.BiFunction<SparseContext, ZeroCheck, T> body) {
        try (Model m = EngineFixtures.build(b, EngineFixtures.MLP, 7); Optimizer opt = optimizer.apply(m); Trainer t = new Trainer(m, opt, 32)) {
            ZeroCheck check = new ZeroCheck(m, opt);
            BatchLoader loader = new BatchLoader(TRAIN, 32, 3, true, false);
            SparseContext ctx = new SparseContext(t, loader, new DataCursor(0, 0), TEST, new Pruner(spec), 1, StepListener.NONE, check);
            return body.apply(ctx, check);
        }
    }

    static Optimizer sgd(Model m) {
        return new Sgd(b, m.parameters(), SgdConfig.nesterov(0.9f, 1e-3f));
    }

    @Test
    void impWithEveryScheduleKeepsExactCountsAndNeverRevives() {
        for (RetrainMethod method : RetrainMethod.values()) {
            for (Function<Model, Optimizer> opt : List.<Function<Model, Optimizer>>of(AlgorithmsTest::sgd,
                    m -> new AdamW(b, m.parameters(), new AdamWConfig(0.9f, 0.999f, 1e-8f, 0.01f)))) {
                withContext(opt, PruneSpec.globalMagnitude(), (ctx, check) -> {
                    LrSchedule pre = Schedules.warmupLinear(0.05f, 0.001f, 16, 64);
                    Pretraining.Result p = Pretraining.run(ctx, pre, 16, -1);
                    ImpSchedule imp = ImpSchedule.cycles(0.9, 3);
                    List<CycleResult> rs = Imp.run(ctx, p.record(), new Imp.Config(imp, new long[] {20, 20, 20}, RetrainOptions.of(method), null));
                    long n = 64 * 32 + 32 * 4;
                    for (int c = 1; c <= 3; c++) {
                        assertEquals(imp.keptAfterCycle(n, c), rs.get(c - 1).kept(), method + " cycle " + c);
                        assertEquals(20, rs.get(c - 1).lr().length);
                    }
                    if (method == RetrainMethod.ALLR) assertNotNull(rs.get(0).allr(), "ALLR reports d1, d2, eta1");
                    assertEquals(3, check.checked);
                    assertTrue(rs.get(2).accuracyAfterRetrain() > 0.5, method + ": " + rs.get(2).accuracyAfterRetrain());
                    return null;
                });
            }
        }
    }

    @Test
    void weightRewindingRestoresThetaKOnSurvivors() {
        withContext(AlgorithmsTest::sgd, PruneSpec.globalMagnitude(), (ctx, check) -> {
            LrSchedule pre = Schedules.warmupLinear(0.05f, 0.001f, 8, 48);
            Pretraining.Result p = Pretraining.run(ctx, pre, 8, 16);
            float[] thetaK = p.rewind().values().get(0);  // fc1.weight at step 16
            float[][] atCycleStart = new float[1][];
            SparseContext ctx2 = new SparseContext(ctx.trainer(), ctx.loader(), ctx.cursor(), ctx.eval(), ctx.pruner(), ctx.seed(),
                    ctx.listener(), new SparseContext.CycleHook() {
                        @Override
                        public void afterPrune(int cycle) {
                            atCycleStart[0] = b.copyToHostFloats(ctx.model().parameter("fc1.weight").value());
                        }
                    });
            List<CycleResult> rs = Imp.run(ctx2, p.record(), new Imp.Config(ImpSchedule.oneShot(0.5), new long[0], RetrainOptions.of(RetrainMethod.LRW), p.rewind()));
            byte[] mask = b.copyToHostBytes(ctx.model().parameter("fc1.weight").mask());
            float[] expected = thetaK.clone();
            for (int i = 0; i < mask.length; i++) if (mask[i] == 0) expected[i] = 0f;
            assertArrayEquals(expected, atCycleStart[0], "survivors at θ_k, pruned at 0");
            assertEquals(48 - 16, rs.get(0).retrainSteps(), "replays pretraining from k");
            assertArrayEquals(java.util.Arrays.copyOfRange(p.record().lr(), 16, 48), rs.get(0).lr());
            return null;
        });
    }

    @Test
    void gmpFollowsTheCubicSchedule() {
        withContext(AlgorithmsTest::sgd, PruneSpec.globalMagnitude(), (ctx, check) -> {
            GmpSchedule g = new GmpSchedule(0.8, 10, 4, 10);
            List<CycleResult> rs = Gmp.run(ctx, g, Schedules.warmupLinear(0.05f, 0.0f, 5, 80));
            List<GmpSchedule.PruneEvent> events = g.pruneEvents().stream().filter(e -> e.sparsity() > 0).toList();
            for (int i = 0; i < events.size(); i++) assertEquals(events.get(i).sparsity(), rs.get(i).targetSparsity(), 1e-12);
            CycleResult fin = rs.get(rs.size() - 1);
            assertEquals(0.8, fin.sparsity(), 1e-3);
            assertTrue(fin.accuracyAfterRetrain() > 0.5);
            return null;
        });
    }

    @Test
    void bimpReachesTheTargetAtTheEndWithAllrInEveryCycle() {
        withContext(AlgorithmsTest::sgd, PruneSpec.globalMagnitude(), (ctx, check) -> {
            BimpPlan plan = new BimpPlan(96, 48, 0.9, 3);
            List<CycleResult> rs = Bimp.run(ctx, plan, 0.05f, 8, RetrainOptions.of(RetrainMethod.ALLR), false);
            assertEquals(3, rs.size());
            long n = 64 * 32 + 32 * 4;
            assertEquals(Math.round(n * 0.1), rs.get(2).kept());
            long steps = rs.stream().mapToLong(CycleResult::retrainSteps).sum();
            assertEquals(96 - 48, steps, "cycles fill the budget after the dense phase");
            rs.forEach(r -> assertNotNull(r.allr(), "ALLR in cycle " + r.cycle()));
            return null;
        });
    }
}
