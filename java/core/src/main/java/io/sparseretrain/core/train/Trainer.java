package io.sparseretrain.core.train;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.DType;
import io.sparseretrain.core.NativeCallException;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.data.Batch;
import io.sparseretrain.core.data.BatchLoader;
import io.sparseretrain.core.data.LabeledImages;
import io.sparseretrain.core.nn.Model;
import io.sparseretrain.core.ops.XentAccumulator;
import io.sparseretrain.core.ops.XentResult;
import io.sparseretrain.core.optim.DeviceStepScalars;
import io.sparseretrain.core.optim.Optimizer;
import io.sparseretrain.core.schedule.LrSchedule;

/**
 * Runs epochs of forward → softmax cross-entropy → backward → masked optimizer step, and
 * evaluation. Input, label and gradient buffers are allocated once for the batch size; a step only
 * copies the batch in and two numbers (loss, correct count) out. Knows nothing of pruning.
 */
public final class Trainer implements AutoCloseable {
    private final Model model;
    private final Optimizer optimizer;
    private final int batchSize;
    private final Tensor x;
    private final Tensor labels;
    private final Tensor dlogits;
    private boolean cudaGraphs;

    public record EpochStats(int epoch, double loss, double accuracy, long steps, double seconds) {}

    public record EvalStats(double loss, double accuracy, long examples) {}

    public Trainer(Model model, Optimizer optimizer, int batchSize) {
        if (batchSize <= 0) throw new IllegalArgumentException("batch size " + batchSize + " must be positive");
        this.model = model;
        this.optimizer = optimizer;
        this.batchSize = batchSize;
        Backend b = model.backend();
        long features = model.inputShape().elements();
        this.x = b.zeros("input", DType.F32, batchSize * features);
        this.labels = b.zeros("labels", DType.I32, batchSize);
        this.dlogits = b.zeros("dlogits", DType.F32, (long) batchSize * model.classes());
        model.allocate(batchSize);
    }

    public Model model() {
        return model;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /**
     * One epoch (or its remainder from {@code fromBatch}) with η(firstStep + i) from the schedule.
     * Returns mean loss and accuracy over the batches run.
     */
    public EpochStats trainEpoch(BatchLoader loader, int epoch, int fromBatch, LrSchedule schedule, long firstStep,
                                 StepListener listener) {
        if (loader.batchSize() != batchSize) {
            throw new IllegalArgumentException("loader batch size " + loader.batchSize() + " differs from the trainer's " + batchSize);
        }
        long n = Math.max(0, loader.batchesPerEpoch() - fromBatch);
        return trainSteps(loader, new DataCursor(epoch, fromBatch), n, schedule, firstStep, listener);
    }

    /**
     * Decides the model's 2:4 kernels (plans, AUTO's timed choice) for every batch size that training on
     * {@code train} and evaluating on {@code eval} (may be null) will use, before the first step, so
     * no step — and no captured step — makes a plan. A no-op without 2:4 kernels.
     */
    public void prepareKernels(BatchLoader train, LabeledImages eval) {
        int evalLast = eval == null ? 0 : new BatchLoader(eval, batchSize, 0, false, false).lastBatchSize();
        model.prepareKernels(batchSize, train.lastBatchSize(), evalLast);
    }

    /**
     * Opt-in: replay each training step from CUDA Graphs (see GraphedSteps), with the learning rate
     * read on the device from the run's LR table, dropout's call counter advanced on the device and 2:4 /
     * bf16 kernels re-cast and re-compressed inside the graph. Refused, naming the field, on a backend
     * without graph capture (the CPU backend).
     */
    public void useCudaGraphs(boolean on) {
        if (on) {
            String refusal = GraphedSteps.refusal(model.backend(), model);
            if (refusal != null) throw new IllegalArgumentException("cuda_graph: " + refusal);
        }
        this.cudaGraphs = on;
    }

    /** Why this model on its backend cannot replay steps from CUDA Graphs, or null when it can. */
    public static String cudaGraphRefusal(Model model) {
        return GraphedSteps.refusal(model.backend(), model);
    }

    public boolean usesCudaGraphs() {
        return cudaGraphs;
    }

    private XentResult trainStep(Batch batch, float lr, int epoch, long step, GraphedSteps graphed) {
        Backend b = model.backend();
        int n = batch.size();
        b.copyFromHost(batch.features(), x);
        b.copyFromHost(batch.labels(), labels);
        if (graphed != null) {
            graphed.step(n);
            return null;  // the loss is in the device accumulator, read once per trainSteps call
        }
        Tensor logits = model.forward(x, n, true);
        XentResult r = loss(logits, n, lr, epoch, step);
        model.backward(dlogits, n);
        optimizer.step(lr);
        model.weightsChanged();  // 2:4 layers re-cast W to bf16 (recompressed before the next product)
        return r;
    }

    private XentResult loss(Tensor logits, int n, float lr, int epoch, long step) {
        try {
            // mean loss over the batch: dlogits = (softmax − onehot) / n
            return model.backend().nn().softmaxCrossEntropy(logits, labels, n, model.classes(), 1f / n, dlogits);
        } catch (NativeCallException e) {
            if ("SR_ERR_NONFINITE".equals(e.status())) {
                throw new DivergenceException("training diverged at epoch " + epoch + ", global step " + step + " (lr " + lr
                        + "): the logits are NaN/Inf. The last good checkpoint is kept; lower the learning rate or check the data.", e);
            }
            throw e;
        }
    }

    /**
     * {@code n} optimizer steps from the data position {@code cursor} (which moves on, across epoch
     * boundaries), with η(scheduleOffset + i) for step i. Returns mean loss and accuracy over them.
     */
    public EpochStats trainSteps(BatchLoader loader, DataCursor cursor, long n, LrSchedule schedule, long scheduleOffset,
                                 StepListener listener) {
        long start = System.nanoTime();
        int firstEpoch = cursor.epoch();
        double lossSum = 0;
        long correct = 0, examples = 0, done = 0;
        int batches = loader.batchesPerEpoch();
        // the run's LR table and the loss accumulator go to the device once, here; the graph lives for this call only
        try (GraphedSteps graphed = !cudaGraphs || n == 0 ? null : graphedSteps(schedule, scheduleOffset, n)) {
            while (done < n) {
                try (BatchLoader.Epoch it = loader.epoch(cursor.epoch(), cursor.batch())) {
                    while (done < n && it.hasNext()) {
                        Batch batch = it.next();
                        float lr = schedule.lr(scheduleOffset + done);
                        XentResult r = trainStep(batch, lr, cursor.epoch(), scheduleOffset + done, graphed);
                        if (r != null) {
                            lossSum += r.lossSum();
                            correct += r.correct();
                        }
                        examples += batch.size();
                        listener.afterStep(cursor.epoch(), batch.index(), batches, scheduleOffset + done, lr,
                                r == null ? Double.NaN : r.lossSum() / batch.size());
                        done++;
                        cursor.advance(batches);
                    }
                }
            }
            if (graphed != null) {
                XentAccumulator.Totals t = graphed.totals();
                checkGraphedTotals(t, firstEpoch, scheduleOffset, done, schedule);
                lossSum = t.lossSum();
                correct = t.correct();
            }
        }
        return new EpochStats(firstEpoch, examples == 0 ? 0 : lossSum / examples, examples == 0 ? 0 : (double) correct / examples,
                done, (System.nanoTime() - start) / 1e9);
    }

    private GraphedSteps graphedSteps(LrSchedule schedule, long scheduleOffset, long n) {
        Backend b = model.backend();
        DeviceStepScalars scalars = DeviceStepScalars.forRun(b, schedule, scheduleOffset, Math.toIntExact(n), optimizer.steps());
        XentAccumulator acc;
        try {
            acc = new XentAccumulator(b);
        } catch (RuntimeException e) {
            scalars.close();
            throw e;
        }
        return new GraphedSteps(model, optimizer, b.stepGraphs().orElseThrow(), scalars, acc, x, labels, dlogits, batchSize);
    }

    // A replayed step cannot fail mid-graph: the accumulator's sticky flags stand for the errors the
    // uncaptured loss raises at once, reported here for the call's range of steps (same exception types).
    private static void checkGraphedTotals(XentAccumulator.Totals t, int epoch, long first, long done, LrSchedule schedule) {
        String steps = "global steps " + first + ".." + (first + done - 1);
        if ((t.error() & XentAccumulator.BAD_LABEL) != 0) {
            throw new IllegalArgumentException("softmax cross-entropy: a label in " + steps
                    + " is outside [0, classes) (found by the graphed steps' accumulator; those rows were skipped)");
        }
        if ((t.error() & XentAccumulator.NONFINITE) != 0) {
            throw new DivergenceException("training diverged in epoch " + epoch + "'s " + steps + " (lr " + schedule.lr(first)
                    + " at the first): the logits are NaN/Inf. The last good checkpoint is kept; lower the learning rate or "
                    + "check the data.", null);
        }
    }

    /** Loss and top-1 accuracy over a whole set, in eval mode (batch norm on running statistics). */
    public EvalStats evaluate(LabeledImages data) {
        BatchLoader loader = new BatchLoader(data, batchSize, 0, false, false);
        Backend b = model.backend();
        double lossSum = 0;
        long correct = 0;
        try (BatchLoader.Epoch it = loader.epoch(0, 0)) {
            while (it.hasNext()) {
                Batch batch = it.next();
                int n = batch.size();
                b.copyFromHost(batch.features(), x);
                b.copyFromHost(batch.labels(), labels);
                Tensor logits = model.forward(x, n, false);
                XentResult r = b.nn().softmaxCrossEntropy(logits, labels, n, model.classes(), 1f, null);
                lossSum += r.lossSum();
                correct += r.correct();
            }
        }
        return new EvalStats(lossSum / data.size(), (double) correct / data.size(), data.size());
    }

    /**
     * Re-estimates batch-norm running statistics on {@code batches} training batches in training mode
     * without updating weights (after pruning, before retraining).
     */
    public void recalibrateBatchNorm(BatchLoader loader, int batches) {
        model.batchNorms().forEach(bn -> bn.resetRunningStats());
        Backend b = model.backend();
        try (BatchLoader.Epoch it = loader.epoch(0, 0)) {
            for (int i = 0; i < batches && it.hasNext(); i++) {
                Batch batch = it.next();
                b.copyFromHost(batch.features(), x);
                model.forward(x, batch.size(), true);
            }
        }
    }

    @Override
    public void close() {
        x.close();
        labels.close();
        dlogits.close();
    }
}
