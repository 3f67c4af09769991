package io.sparseretrain.core.train;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.nn.Model;
import io.sparseretrain.core.ops.StepGraphs;
import io.sparseretrain.core.ops.XentResult;
import io.sparseretrain.core.optim.DeviceStepScalars;
import io.sparseretrain.core.optim.Optimizer;
import java.util.function.IntFunction;

/**
 * The training steps of one {@link Trainer#trainSteps} call replayed from CUDA Graphs (opt-in:
 * {@code retraining.cuda_graph}, {@code train --cuda-graph}). The loss cannot be inside a graph:
 * sr_softmax_xent returns loss and correct count to the host, which synchronizes. So a step is
 * copy-in, graph F (forward), the loss uncaptured, graph U (backward, advance of the device step
 * scalars, masked optimizer step): two launches and one small op instead of dozens of launches, and
 * the learning rate changes every step without re-capture because U reads it from the LR table
 * uploaded once for the run. The first full batch runs uncaptured (workspaces grow, momentum's first
 * step); F and U are captured on the second. A partial last batch (another shape) runs uncaptured
 * through the same device-scalar path; graphs live for one call and are closed with it, so new
 * masks or shapes between calls mean a new capture.
 */
final class GraphedSteps implements AutoCloseable {
    private final Model model;
    private final Optimizer optimizer;
    private final StepGraphs graphs;
    private final DeviceStepScalars scalars;
    private final Tensor x;
    private final Tensor dlogits;
    private final int batchSize;
    private StepGraphs.Captured forward;
    private StepGraphs.Captured update;
    private boolean warmedUp;
    private Tensor logits;
    private int rows;

    GraphedSteps(Model model, Optimizer optimizer, StepGraphs graphs, DeviceStepScalars scalars, Tensor x, Tensor dlogits,
                 int batchSize) {
        this.model = model;
        this.optimizer = optimizer;
        this.graphs = graphs;
        this.scalars = scalars;
        this.x = x;
        this.dlogits = dlogits;
        this.batchSize = batchSize;
    }

    /** One step on the batch already copied into x / labels; {@code loss} computes dlogits from logits. */
    XentResult step(int n, IntFunction<XentResult> loss) {
        rows = n;
        if (n != batchSize || !warmedUp) {
            runForward();
            XentResult r = loss.apply(n);
            runUpdate();
            warmedUp |= n == batchSize;
            return r;
        }
        if (forward == null) forward = graphs.capture(this::runForward);
        forward.launch();
        XentResult r = loss.apply(n);
        if (update == null) {
            update = graphs.capture(this::runUpdate);  // the body's host side (step count) happened once, now
        } else {
            optimizer.setSteps(optimizer.steps() + 1);  // a replay leaves the host count alone
        }
        update.launch();
        return r;
    }

    /** Logits of the last forward (the same tensor on every replay). */
    Tensor logits() {
        return logits;
    }

    private void runForward() {
        logits = model.forward(x, rows, true);
    }

    private void runUpdate() {
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
        if (model.sparse24().isPresent()) {
            return "model '" + model.name() + "' uses kernels sparse24/auto or precision bf16, whose per-step "
                    + "re-compression and re-cast are not verified under capture yet; use kernels dense, precision fp32";
        }
        for (var l : model.layers()) {
            if (l instanceof io.sparseretrain.core.nn.Dropout) {
                return "model '" + model.name() + "' has dropout, whose seed is a host scalar a graph would freeze "
                        + "(the same mask every step); drop the option or the dropout layer";
            }
        }
        return null;
    }

    @Override
    public void close() {
        if (forward != null) forward.close();
        if (update != null) update.close();
        forward = null;
        update = null;
        scalars.close();
    }
}
