package io.sparseretrain.bench.gpu;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.DType;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.nn.Model;
import io.sparseretrain.core.ops.StepGraphs;
import io.sparseretrain.core.ops.XentAccumulator;
import io.sparseretrain.core.optim.DeviceStepScalars;
import io.sparseretrain.core.optim.Optimizer;
import io.sparseretrain.core.schedule.Schedules;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Times one {@link StepCase}'s training step through the public Java API, eager and replayed from a
 * CUDA Graph. The step body is GraphedSteps.runStep's: forward, the accumulating softmax cross-entropy
 * (into a device {@link XentAccumulator}, no host read), backward, device LR advance, masked optimizer
 * step, weightsChanged. Input x [batch, features] and labels [batch] are fixed random data uploaded once,
 * so no step copies anything from the host.
 *
 * <p>Protocol: one warm-up block per mode (eager first: its first step grows every workspace and makes
 * the capture legal; then the capture; then a block of launches), then {@code blocks} timed blocks of
 * {@code steps} steps per mode, eager and graph interleaved so that clock drift hits both alike; each
 * block is wall clock between two {@code backend.synchronize()}. Host issue time: 3 more blocks per mode,
 * wall and thread-CPU time of issuing the block with no synchronize at its end, per step (median of 3).
 */
final class StepRunner implements AutoCloseable {
    /** Per mode: ms per step of each timed block, and the host issue time per step. */
    record Timing(double[] blockMs, double issueWallUs, double issueCpuUs) {
        double median() {
            double[] s = blockMs.clone();
            Arrays.sort(s);
            return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        }

        double min() {
            return Arrays.stream(blockMs).min().orElse(Double.NaN);
        }
    }

    /**
     * eager always; graph null where the backend has no CUDA Graphs or the capture failed (graphFailure
     * says why; the eager numbers still stand); check says whether every step ran.
     */
    record Result(Timing eager, Timing graph, String graphFailure, String check) {}

    static final int ISSUE_BLOCKS = 3;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Backend backend;
    private final Model model;
    private final Optimizer optimizer;
    private final int rows;
    private final int steps;
    private final int blocks;
    private Tensor x;
    private Tensor labels;
    private Tensor dlogits;
    private DeviceStepScalars scalars;
    private XentAccumulator acc;
    private StepGraphs.Captured graph;
    private long stepsRun;  // on the device: eager bodies + graph launches (the capture runs nothing)

    /**
     * Owns neither model nor optimizer (the caller closes them); allocates c's batch on the model's
     * backend and the LR table (c's constant lr) for every step the run will take.
     */
    StepRunner(Model model, Optimizer optimizer, StepCase c, int steps, int blocks, long seed) {
        this.backend = model.backend();
        this.model = model;
        this.optimizer = optimizer;
        this.rows = c.batch();
        this.steps = steps;
        this.blocks = blocks;
        try {
            long features = model.inputShape().elements();
            SplittableRandom r = new SplittableRandom(seed);
            float[] xs = new float[Math.toIntExact(rows * features)];
            for (int i = 0; i < xs.length; i++) xs[i] = (float) (r.nextDouble() * 2 - 1);
            int[] ys = new int[rows];
            for (int i = 0; i < rows; i++) ys[i] = r.nextInt(model.classes());
            x = backend.fromFloats("bench_x", xs, rows * features);
            labels = backend.zeros("bench_labels", DType.I32, rows);
            backend.copyFromHost(ys, labels);
            dlogits = backend.zeros("bench_dlogits", DType.F32, (long) rows * model.classes());
            // every step of the run advances the scalars once: 2 warm-up, 2·blocks timed, 2·3 issue blocks
            int total = Math.toIntExact((long) steps * (2 + 2L * blocks + 2L * ISSUE_BLOCKS) + 1);
            scalars = DeviceStepScalars.forRun(backend, Schedules.constant(c.lr(), total), 0, total, optimizer.steps());
            acc = new XentAccumulator(backend);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** GraphedSteps.runStep, with public API only. */
    private void body() {
        Tensor logits = model.forward(x, rows, true);
        // mean loss over the batch: dlogits = (softmax − onehot) / rows
        backend.nn().softmaxCrossEntropyAcc(logits, labels, rows, model.classes(), 1f / rows, dlogits, acc.tensor());
        model.backward(dlogits, rows);
        scalars.advance();
        optimizer.step(scalars);
        model.weightsChanged();
    }

    private void eagerStep() {
        body();
        stepsRun++;
    }

    private void graphStep() {
        optimizer.setSteps(optimizer.steps() + 1);  // a replay leaves the host count alone (as in GraphedSteps)
        graph.launch();
        stepsRun++;
    }

    /** Warm-up, capture (where the backend has graphs), timed blocks, issue blocks; then the accumulator check. */
    Result run() {
        block(this::eagerStep);  // first steps: workspaces grow, momentum's first step, JIT
        String graphFailure = null;
        if (backend.stepGraphs().isPresent()) {
            try {
                capture(backend.stepGraphs().get());
                block(this::graphStep);
            } catch (RuntimeException e) {
                // a broken capture is a finding to report next to the eager numbers, not a reason to lose them
                graphFailure = e.getClass().getSimpleName() + ": " + e.getMessage();
                if (graph != null) graph.close();
                graph = null;
            }
        }
        double[] eager = new double[blocks];
        double[] graphed = graph == null ? null : new double[blocks];
        for (int b = 0; b < blocks; b++) {
            eager[b] = block(this::eagerStep);
            if (graph != null) graphed[b] = block(this::graphStep);
        }
        Timing e = issue(eager, this::eagerStep);
        Timing g = graph == null ? null : issue(graphed, this::graphStep);
        return new Result(e, g, graphFailure, check());
    }

    /**
     * As GraphedSteps: no 2:4 plan may be made while capturing (prepareKernels made them). The capture
     * runs nothing on the device, so the host step count it advanced goes back: each launch counts its own.
     */
    private void capture(StepGraphs graphs) {
        var kernels = model.sparse24();
        long stepsBefore = optimizer.steps();
        kernels.ifPresent(k -> k.capturing(true));
        try {
            graph = graphs.capture(this::body);
        } finally {
            kernels.ifPresent(k -> k.capturing(false));
            optimizer.setSteps(stepsBefore);
        }
    }

    /** ms per step of one block, wall clock between two synchronizes. */
    private double block(Runnable step) {
        backend.synchronize();
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) step.run();
        backend.synchronize();
        return (System.nanoTime() - t0) / 1e6 / steps;
    }

    /** Host time to issue a block (no synchronize at its end), per step: the median of ISSUE_BLOCKS blocks. */
    private Timing issue(double[] blockMs, Runnable step) {
        double[] wall = new double[ISSUE_BLOCKS], cpu = new double[ISSUE_BLOCKS];
        for (int i = 0; i < ISSUE_BLOCKS; i++) {
            backend.synchronize();
            long c0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            for (int s = 0; s < steps; s++) step.run();
            long t1 = System.nanoTime();
            long c1 = THREADS.getCurrentThreadCpuTime();
            wall[i] = (t1 - t0) / 1e3 / steps;
            cpu[i] = (c1 - c0) / 1e3 / steps;
        }
        backend.synchronize();
        Arrays.sort(wall);
        Arrays.sort(cpu);
        return new Timing(blockMs, wall[ISSUE_BLOCKS / 2], cpu[ISSUE_BLOCKS / 2]);
    }

    /** Every step (eager or replayed) added its rows to the accumulator, and no loss was NaN/Inf. */
    private String check() {
        XentAccumulator.Totals t = acc.read();
        long want = stepsRun * rows;
        StringBuilder sb = new StringBuilder();
        sb.append(t.rows() == want ? "ok" : "ROWS " + t.rows() + " != " + want);
        if ((t.error() & XentAccumulator.NONFINITE) != 0) sb.append(", NONFINITE loss");
        if ((t.error() & XentAccumulator.BAD_LABEL) != 0) sb.append(", BAD LABEL");
        sb.append(String.format(java.util.Locale.ROOT, " (%d steps, mean loss %.3f)", stepsRun, t.rows() == 0 ? 0 : t.lossSum() / t.rows()));
        return sb.toString();
    }

    @Override
    public void close() {
        if (graph != null) graph.close();
        graph = null;
        if (acc != null) acc.close();
        if (scalars != null) scalars.close();
        for (Tensor t : new Tensor[] {dlogits, labels, x}) if (t != null) t.close();
        acc = null;
        scalars = null;
        dlogits = labels = x = null;
    }
}
