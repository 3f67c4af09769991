package io.sparseretrain.core.train;

/**
 * Where the training data stream is: (epoch, batch within the epoch). Retraining cycles continue the
 * stream; lottery-ticket rewinding sets it back to step k's position to replay the same data order.
 */
public final class DataCursor {
    private int epoch;
    private int batch;

    public DataCursor(int epoch, int batch) {
        this.epoch = epoch;
        this.batch = batch;
    }

    /** The position after {@code step} steps from the start, with {@code batchesPerEpoch} per epoch. */
    public static DataCursor atStep(long step, int batchesPerEpoch) {
        return new DataCursor((int) (step / batchesPerEpoch), (int) (step % batchesPerEpoch));
    }

    public int epoch() {
        return epoch;
    }

    public int batch() {
        return batch;
    }

    void advance(int batchesPerEpoch) {
        if (++batch == batchesPerEpoch) {
            batch = 0;
            epoch++;
        }
    }

    @Override
    public String toString() {
        return "epoch " + epoch + ", batch " + batch;
    }
}
