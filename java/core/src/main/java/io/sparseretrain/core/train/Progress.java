package io.sparseretrain.core.train;

import java.io.PrintWriter;

/** A one-line progress bar with ETA per epoch, and a summary line per epoch. */
public final class Progress implements StepListener {
    private final PrintWriter out;
    private long epochStart = System.nanoTime();
    private int lastPercent = -1;
    private double runningLoss;

    private final boolean interactive;

    public Progress(PrintWriter out) {
        this.out = out;
        // Redrawn bars only on a terminal; logs and CI get the per-epoch summary lines alone.
        this.interactive = System.console() != null;
    }

    @Override
    public void afterStep(int epoch, int batch, int batches, long globalStep, float lr, double loss) {
        if (batch == 0) {
            epochStart = System.nanoTime();
            lastPercent = -1;
            runningLoss = loss;
        }
        if (!Double.isNaN(loss)) runningLoss = Double.isNaN(runningLoss) ? loss : 0.98 * runningLoss + 0.02 * loss;
        if (!interactive) return;
        int percent = (int) (100L * (batch + 1) / batches);
        if (percent / 5 == lastPercent / 5 && batch + 1 < batches) return;
        lastPercent = percent;
        double elapsed = (System.nanoTime() - epochStart) / 1e9;
        double eta = elapsed / (batch + 1) * (batches - batch - 1);
        int filled = percent / 5;
        out.printf("\repoch %3d [%s%s] %3d%% loss %.4f lr %.5f eta %5.1fs", epoch + 1, "#".repeat(filled), ".".repeat(20 - filled),
                percent, runningLoss, lr, eta);
        out.flush();
    }

    public void endEpoch(int epoch, int epochs, Trainer.EpochStats s, Trainer.EvalStats t) {
        out.printf((interactive ? "\r" : "") + "epoch %3d/%d  train loss %.4f acc %.2f%%  test loss %.4f acc %.2f%%  %.1fs%n", epoch + 1, epochs, s.loss(),
                100 * s.accuracy(), t.loss(), 100 * t.accuracy(), s.seconds());
        out.flush();
    }
}
