package io.sparseretrain.core.optim;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.DType;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.schedule.LrSchedule;

/**
 * The learning rate and step count of a run of optimizer steps, kept in the backend's memory so that a
 * captured CUDA Graph of a whole step follows the schedule (sparseretrain.h, "device-resident step
 * scalars"). The LR table for the run is computed from the schedule and uploaded ONCE, before the run;
 * each {@link #advance()} then moves the scalars to the next entry on the device, with no host value
 * in the call. Use: {@code advance(); optimizer.step(scalars)} per step, uncaptured or captured alike.
 * On the CPU backend the same calls run the host reference (host memory).
 */
public final class DeviceStepScalars implements AutoCloseable {
    private final Backend backend;
    private final Tensor table;
    private final Tensor scalars;
    private final int length;
    private boolean closed;

    private DeviceStepScalars(Backend backend, Tensor table, Tensor scalars, int length) {
        this.backend = backend;
        this.table = table;
        this.scalars = scalars;
        this.length = length;
    }

    /**
     * Scalars for {@code steps} steps with lr = schedule.lr(scheduleOffset + i) at step i, continuing an
     * optimizer that has taken {@code stepsTaken} steps (AdamW's t goes on from there). Every lr is
     * checked here (finite, >= 0): the device cannot refuse a value mid-graph.
     */
    public static DeviceStepScalars forRun(Backend backend, LrSchedule schedule, long scheduleOffset, int steps,
                                           long stepsTaken) {
        if (steps <= 0) throw new IllegalArgumentException("device step scalars: steps = " + steps + " must be positive");
        if (stepsTaken < 0 || stepsTaken + steps > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("device step scalars: steps taken " + stepsTaken + " + " + steps
                    + " does not fit the device's 32-bit step counter");
        }
        float[] lrs = new float[steps];
        for (int i = 0; i < steps; i++) {
            float lr = schedule.lr(scheduleOffset + i);
            if (!Float.isFinite(lr) || lr < 0) {
                throw new IllegalArgumentException("device step scalars: the schedule's lr at step " + (scheduleOffset + i)
                        + " is " + lr + "; it must be finite and >= 0");
            }
            lrs[i] = lr;
        }
        Tensor table = backend.zeros("lr_table", DType.F32, steps);
        Tensor scalars = null;
        try {
            backend.copyFromHost(lrs, table);
            scalars = backend.zeros("step_scalars", DType.I32, 4);
            backend.copyFromHost(new int[] {0, (int) stepsTaken, 0, 0}, scalars);  // {lr, step, cursor, reserved}
            return new DeviceStepScalars(backend, table, scalars, steps);
        } catch (RuntimeException e) {
            table.close();
            if (scalars != null) scalars.close();
            throw e;
        }
    }

    /** Next step on the device: step + 1, lr from the table (its last entry past the end). */
    public void advance() {
        backend.optimizers().advanceStepScalars(scalars(), table);
    }

    /** The 16-byte scalar struct the optimizer steps read. */
    public Tensor scalars() {
        if (closed) throw new IllegalStateException("device step scalars are closed");
        return scalars;
    }

    public int tableLength() {
        return length;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        table.close();
        scalars.close();
    }
}
