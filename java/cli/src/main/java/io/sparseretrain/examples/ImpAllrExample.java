package io.sparseretrain.examples;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.Backends;
import io.sparseretrain.core.algo.CycleResult;
import io.sparseretrain.core.algo.Imp;
import io.sparseretrain.core.algo.Pretraining;
import io.sparseretrain.core.algo.RetrainOptions;
import io.sparseretrain.core.algo.SparseContext;
import io.sparseretrain.core.data.BatchLoader;
import io.sparseretrain.core.data.FashionMnist;
import io.sparseretrain.core.io.Checkpoint;
import io.sparseretrain.core.nn.Model;
import io.sparseretrain.core.nn.ModelSpec;
import io.sparseretrain.core.ops.SgdConfig;
import io.sparseretrain.core.optim.Sgd;
import io.sparseretrain.core.prune.PruneSpec;
import io.sparseretrain.core.prune.Pruner;
import io.sparseretrain.core.schedule.ImpSchedule;
import io.sparseretrain.core.schedule.LrSchedule;
import io.sparseretrain.core.schedule.RetrainBudget;
import io.sparseretrain.core.schedule.RetrainMethod;
import io.sparseretrain.core.schedule.Schedules;
import io.sparseretrain.core.train.DataCursor;
import io.sparseretrain.core.train.StepListener;
import io.sparseretrain.core.train.Trainer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The Java API without a recipe: build LeNet-300-100, pretrain it densely, run IMP with ALLR to 90 %
 * sparsity in 3 cycles, save the sparse model.
 *
 * <pre>java -cp java/cli/target/sparseretrain-cli-*-all.jar io.sparseretrain.examples.ImpAllrExample [epochs] [retrainEpochs] [out.safetensors] [model.yaml]</pre>
 */
public final class ImpAllrExample {
    private ImpAllrExample() {}

    public static void main(String[] args) throws Exception {
        double epochs = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        double retrainEpochs = args.length > 1 ? Double.parseDouble(args[1]) : 1;
        Path out = Path.of(args.length > 2 ? args[2] : "runs/example/lenet-imp-allr.safetensors");
        Path modelFile = Path.of(args.length > 3 ? args[3] : "models/lenet-300-100.yaml");

        FashionMnist.Split data = FashionMnist.load(null);
        try (Backend backend = Backends.createDefault();
             Model model = ModelSpec.load(modelFile).build(backend, 0);
             Sgd sgd = new Sgd(backend, model.parameters(), SgdConfig.nesterov(0.9f, 1e-4f));
             Trainer trainer = new Trainer(model, sgd, 128)) {
            BatchLoader loader = new BatchLoader(data.train(), 128, 0, true, false);
            long spe = loader.batchesPerEpoch();
            SparseContext ctx = new SparseContext(trainer, loader, new DataCursor(0, 0), data.test(), new Pruner(PruneSpec.globalMagnitude()),
                    0, StepListener.NONE, SparseContext.CycleHook.NONE);

            // 1. dense pretraining: warm-up to 0.1 over one epoch (or less), then linear to 1e-3
            long p = Math.round(epochs * spe);
            long warm = Math.min(spe, p / 2);
            LrSchedule pre = Schedules.warmupLinear(0.1f, 1e-3f, warm, p);
            Pretraining.Result dense = Pretraining.run(ctx, pre, (int) warm, -1);
            System.out.printf("dense: %.2f%% test accuracy%n", 100 * dense.eval().accuracy());

            // 2. IMP to 90 % in 3 cycles, each retrained with ALLR
            ImpSchedule imp = ImpSchedule.cycles(0.9, 3);
            long[] budget = RetrainBudget.perCycle(Math.round(retrainEpochs * spe), imp.cycles());
            List<CycleResult> cycles = Imp.run(ctx, dense.record(), new Imp.Config(imp, budget, RetrainOptions.of(RetrainMethod.ALLR), null));
            for (CycleResult c : cycles) {
                System.out.printf("cycle %d: sparsity %.4f, after prune %.2f%%, after ALLR retraining %.2f%% (d1 %.3f, d2 %.3f, eta1 %.4f)%n",
                        c.cycle(), c.sparsity(), 100 * c.accuracyAfterPrune(), 100 * c.accuracyAfterRetrain(), c.allr().d1(), c.allr().d2(),
                        c.allr().eta1());
            }

            // 3. the sparse model, with masks, as safetensors (PyTorch state_dict names)
            Checkpoint.save(out, model, null, Map.of("example", "imp-allr"));
            System.out.println("saved " + out);
        }
    }
}
