package io.sparseretrain.core.data;

import java.util.Arrays;

/**
 * A labelled image set in memory: n images of c×h×w float features (already normalized) and n int
 * labels in [0, classes).
 */
public record LabeledImages(float[] features, int[] labels, int channels, int height, int width, int classes) {
    public LabeledImages {
        int per = channels * height * width;
        if (per <= 0 || features.length != (long) labels.length * per) {
            throw new IllegalArgumentException(features.length + " features do not make " + labels.length + " images of "
                    + channels + "x" + height + "x" + width);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("label " + labels[i] + " of example " + i + " is outside [0, " + classes + ")");
            }
        }
    }

    public int size() {
        return labels.length;
    }

    public int featuresPerExample() {
        return channels * height * width;
    }

    /** Examples [from, to) as a new set (copies). */
    public LabeledImages range(int from, int to) {
        int per = featuresPerExample();
        return new LabeledImages(Arrays.copyOfRange(features, from * per, to * per), Arrays.copyOfRange(labels, from, to),
                channels, height, width, classes);
    }
}
