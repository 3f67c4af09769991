package io.sparseretrain.core.train;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.data.BatchLoader;
import io.sparseretrain.core.data.FashionMnist;
import io.sparseretrain.core.io.Checkpoint;
import io.sparseretrain.core.nn.Model;
import io.sparseretrain.core.nn.KernelMode;
import io.sparseretrain.core.nn.ModelSpec;
import io.sparseretrain.core.nn.Precision;
import io.sparseretrain.core.ops.AdamWConfig;
import io.sparseretrain.core.ops.SgdConfig;
import io.sparseretrain.core.optim.AdamW;
import io.sparseretrain.core.optim.Optimizer;
import io.sparseretrain.core.optim.Sgd;
import io.sparseretrain.core.schedule.LrSchedule;
import io.sparseretrain.core.schedule.Schedules;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Dense training on Fashion-MNIST with checkpoints every {@code checkpointEvery} epochs
 * ({@code last.safetensors}, atomic), per-epoch metrics ({@code metrics.csv}) and the per-step LR
 * ({@code lr.csv}). With {@code resume} it continues after the last completed epoch: the data order
 * depends only on (seed, epoch), so the resumed run replays the same batches.
 */
public final class DenseRun {
    public record Result(Model model, Trainer.EvalStats test, double medianEpochSeconds, LrSchedule schedule) {}

    private DenseRun() {}

    public static Result run(Backend backend, DenseRunConfig c, PrintWriter out) throws IOException {
        ModelSpec spec = ModelSpec.load(c.modelFile());
        Model model = spec.build(backend, c.seed());
        // bf16 GEMM operands, fp32 accumulation; weights, gradients and optimizer state stay F32
        if (c.precision() == Precision.BF16) model.useKernels(KernelMode.DENSE, Precision.BF16, false);
        String noGraphs = c.cudaGraph() ? Trainer.cudaGraphRefusal(model) : null;
        if (noGraphs != null) {  // before any data or checkpoint work, naming the CLI option
            model.close();
            throw new IllegalArgumentException("--cuda-graph: " + noGraphs);
        }
        FashionMnist.Split data = FashionMnist.load(c.dataDir());
        Files.createDirectories(c.outDir());
        BatchLoader loader = new BatchLoader(data.train(), c.batchSize(), c.seed(), true, false);
        long stepsPerEpoch = loader.batchesPerEpoch();
        long total = stepsPerEpoch * c.epochs();
        LrSchedule schedule = Schedules.warmupLinear(c.lr(), c.lrEnd(), Math.round(c.warmupEpochs() * stepsPerEpoch), total);
        Optimizer opt = c.optimizer().equals("sgd")
                ? new Sgd(backend, model.parameters(), new SgdConfig(c.momentum(), 0f, c.weightDecay(), c.nesterov(), false))
                : new AdamW(backend, model.parameters(), new AdamWConfig(0.9f, 0.999f, 1e-8f, c.weightDecay()));
        Path last = c.outDir().resolve("last.safetensors");
        int firstEpoch = 0;
        if (c.resume() && Files.exists(last)) {
            Map<String, String> meta = Checkpoint.load(last, model, opt);
            firstEpoch = Integer.parseInt(meta.getOrDefault("epochs_completed", "0"));
            out.printf("resumed from %s after epoch %d (global step %d)%n", last, firstEpoch, opt.steps());
        }
        double[] epochSeconds = new double[c.epochs()];
        try (Trainer trainer = new Trainer(model, opt, c.batchSize())) {
            trainer.useCudaGraphs(c.cudaGraph());  // refused with the reason on the CPU backend
            Progress progress = new Progress(out);
            for (int e = firstEpoch; e < c.epochs(); e++) {
                Trainer.EpochStats s = trainer.trainEpoch(loader, e, 0, schedule, e * stepsPerEpoch, progress);
                Trainer.EvalStats t = trainer.evaluate(data.test());
                epochSeconds[e] = s.seconds();
                progress.endEpoch(e, c.epochs(), s, t);
                appendMetrics(c.outDir(), e, s, t);
                if ((e + 1) % c.checkpointEvery() == 0 || e + 1 == c.epochs()) {
                    Map<String, String> meta = new LinkedHashMap<>();
                    meta.put("epochs_completed", Integer.toString(e + 1));
                    meta.put("global_step", Long.toString((e + 1) * stepsPerEpoch));
                    meta.put("seed", Long.toString(c.seed()));
                    meta.put("test_accuracy", Double.toString(t.accuracy()));
                    Checkpoint.save(last, model, opt, meta);
                }
            }
            writeLr(c.outDir(), schedule);
            Trainer.EvalStats test = trainer.evaluate(data.test());
            opt.close();
            return new Result(model, test, median(epochSeconds, firstEpoch), schedule);
        }
    }

    private static double median(double[] v, int from) {
        double[] a = java.util.Arrays.copyOfRange(v, from, v.length);
        if (a.length == 0) return 0;
        java.util.Arrays.sort(a);
        return a[a.length / 2];
    }

    private static void appendMetrics(Path dir, int epoch, Trainer.EpochStats s, Trainer.EvalStats t) throws IOException {
        Path f = dir.resolve("metrics.csv");
        if (!Files.exists(f) || epoch == 0) Files.writeString(f, "epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds\n");
        Files.writeString(f, String.format("%d,%.6f,%.6f,%.6f,%.6f,%.3f%n", epoch + 1, s.loss(), s.accuracy(), t.loss(), t.accuracy(),
                s.seconds()), java.nio.file.StandardOpenOption.APPEND);
    }

    private static void writeLr(Path dir, LrSchedule schedule) throws IOException {
        StringBuilder sb = new StringBuilder("step,lr\n");
        float[] lr = schedule.record();
        for (int i = 0; i < lr.length; i++) sb.append(i).append(',').append(lr[i]).append('\n');
        Files.writeString(dir.resolve("lr.csv"), sb);
    }
}
