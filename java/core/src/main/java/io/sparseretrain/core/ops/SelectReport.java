package io.sparseretrain.core.ops;

/**
 * Outcome of a global top-k selection (magnitude or random pruning).
 *
 * @param thresholdKey the 32-bit key of the last kept entry: for magnitude pruning the float bits of
 *                     |w| ({@link Float#intBitsToFloat} gives the threshold magnitude); 0 when k = 0
 * @param keptAbove    live entries with a key above the threshold (all kept)
 * @param keptTies     entries equal to the threshold that were kept (lowest tensor, then element index)
 * @param liveBefore   live entries before the call
 */
public record SelectReport(int thresholdKey, long keptAbove, long keptTies, long liveBefore) {
    public long kept() {
        return keptAbove + keptTies;
    }

    /** The magnitude threshold, for magnitude pruning. */
    public float thresholdMagnitude() {
        return Float.intBitsToFloat(thresholdKey);
    }
}
