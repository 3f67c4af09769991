package io.sparseretrain.core.train;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.nn.Dropout;
import io.sparseretrain.core.nn.Model;
import io.sparseretrain.core.ops.StepGraphs;
import io.sparseretrain.core.ops.XentAccumulator;
import io.sparseretrain.core.optim.DeviceStepScalars;
import io.sparseretrain.core.optim.Optimizer;
import java.util.List;

/**
 * The training steps of one {@link Trainer#trainSteps} call replayed from a CUDA Graph (opt-in:
 * {@code retraining.cuda_graph}, {@code train --cuda-graph}). A step is copy-in (uncaptured), then ONE
 * graph: forward, the accumulating softmax cross-entropy (sr_softmax_xent_acc adds loss, correct count
 * and rows into a device {@link XentAccumulator} instead of returning them, so nothing synchronizes),
 * backward, advance of the device step scalars, masked optimizer step. The learning rate changes every
 * step without re-capture because the graph reads it from the LR table uploaded once for the run; the
 * accumulator is read once, by the Trainer, at the end of the call. The first full batch runs
 * uncaptured (workspaces grow, momentum's first step); the graph is captured on the second. A partial
 * last batch (another shape) runs the same body uncaptured; the graph lives for one call and is closed
 * with it, so new masks or shapes between calls mean a new capture. With 2:4 / bf16 kernels the graph
 * holds the per-step re-cast of W, its re-compression into the cached plan and the sparse products;
 * the warm-up step made the plans and ran each plan's one synchronizing (pattern-checked) compression.
 */
final class GraphedSteps implements AutoCloseable {
    private final Model model;
    private final Optimizer optimizer;
    private final StepGraphs graphs;
    private final DeviceStepScalars scalars;
    private final XentAccumulator acc;
    private final Tensor x;
    private final Tensor labels;
    private final Tensor dlogits;
    private final int batchSize;
    private final List<Dropout> dropouts;
    private StepGraphs.Captured step;
    private long launches;
    private boolean warmedUp;
    private int rows;

    /** Takes ownership of scalars and acc (closed with this). */
    GraphedSteps(Model model, Optimizer optimizer, StepGraphs graphs, DeviceStepScalars scalars, XentAccumulator acc, Tensor x,
                 Tensor labels, Tensor dlogits, int batchSize) {
        this.model = model;
        this.optimizer = optimizer;
        this.graphs = graphs;
        this.scalars = scalars;
        this.acc = acc;
        this.x = x;
        this.labels = labels;
        this.dlogits = dlogits;
        this.batchSize = batchSize;
        // dropout's call counter moves into memory for this call, so replays draw fresh masks
        this.dropouts = model.layers().stream().filter(l -> l instanceof Dropout)
                .map(l -> (Dropout) l).toList();
        try {
            for (var d : dropouts) d.useDeviceCounter(true);
        } catch (RuntimeException e) {
            for (var d : dropouts) d.useDeviceCounter(false);
            scalars.close();
            acc.close();
            throw e;
        }
    }

    /** One step on the batch already copied into x / labels; its loss goes to the accumulator. */
    void step(int n) {
        rows = n;
        if (n != batchSize || !warmedUp) {
            runStep();
            warmedUp |= n == batchSize;
            return;
        }
        if (step == null) {
            // the body's host side (step count, dropout call count) happens once, now; 2:4 plans were
            // made by the uncaptured warm-up step (or prepareKernels) and none may be made while capturing
            var kernels = model.sparse24();
            kernels.ifPresent(k -> k.capturing(true));
            try {
                step = graphs.capture(this::runStep);
            } finally {
                kernels.ifPresent(k -> k.capturing(false));
            }
        } else {
            optimizer.setSteps(optimizer.steps() + 1);  // a replay leaves the host count alone
        }
        step.launch();
        launches++;
    }

    /** Loss, correct count, rows and error flags of every step so far (synchronizes). */
    XentAccumulator.Totals totals() {
        return acc.read();
    }

    private void runStep() {
        Tensor logits = model.forward(x, rows, true);
        // mean loss over the batch: dlogits = (softmax − onehot) / n, as the uncaptured path
        model.backend().nn().softmaxCrossEntropyAcc(logits, labels, rows, model.classes(), 1f / rows, dlogits, acc.tensor());
        model.backward(dlogits, rows);
        scalars.advance();
        optimizer.step(scalars);
        model.weightsChanged();
    }

    static String refusal(Backend backend, Model model) {
        if (backend.stepGraphs().isEmpty()) {
            return "CUDA Graph capture needs the CUDA backend; backend '" + backend.name()
                    + "' runs every op synchronously as it is called, so there is nothing to capture (drop the option)";
        }
        return null;
    }

    @Override
    public void close() {
        // the host issued a captured forward once (at capture); the device ran it once per launch
        for (var d : dropouts) {
            if (launches > 1) d.addReplays(launches - 1);
            d.useDeviceCounter(false);
        }
        if (step != null) step.close();
        step = null;
        scalars.close();
        acc.close();
    }
}
