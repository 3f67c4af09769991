package io.sparseretrain.core.schedule;

/**
 * Learning rate per optimizer step t = 0..length()-1. Schedules are pure functions of t (no model
 * access), so a run's whole LR curve can be recorded, plotted and replayed on resume.
 */
public interface LrSchedule {
    float lr(long step);

    /** Number of steps the schedule covers. */
    long length();

    /** η(0..length−1) as an array (for recording and for the retraining schedules built on it). */
    default float[] record() {
        if (length() > Integer.MAX_VALUE) throw new IllegalStateException("schedule of " + length() + " steps is too long to record");
        float[] out = new float[(int) length()];
        for (int t = 0; t < out.length; t++) out[t] = lr(t);
        return out;
    }
}
