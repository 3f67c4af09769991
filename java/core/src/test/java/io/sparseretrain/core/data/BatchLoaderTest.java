package io.sparseretrain.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BatchLoaderTest {
    /** 10 examples of 2 features: example i holds (i, -i), label i % 3. */
    static LabeledImages tiny() {
        float[] x = new float[20];
        int[] y = new int[10];
        for (int i = 0; i < 10; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = -i;
            y[i] = i % 3;
        }
        return new LabeledImages(x, y, 1, 1, 2, 3);
    }

    @Test
    void orderDependsOnlyOnSeedAndEpoch() {
        BatchLoader a = new BatchLoader(tiny(), 4, 7, true, false);
        BatchLoader b = new BatchLoader(tiny(), 4, 7, true, false);
        assertArrayEquals(a.order(3), b.order(3));
        assertFalse(Arrays.equals(a.order(0), a.order(1)), "epochs differ");
        assertFalse(Arrays.equals(a.order(0), new BatchLoader(tiny(), 4, 8, true, false).order(0)), "seeds differ");
        int[] sorted = a.order(2).clone();
        Arrays.sort(sorted);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sorted);
    }

    @Test
    void batchesFollowTheOrderAndLastIsShort() {
        BatchLoader loader = new BatchLoader(tiny(), 4, 1, true, false);
        int[] order = loader.order(0);
        int seen = 0;
        try (BatchLoader.Epoch e = loader.epoch(0, 0)) {
            while (e.hasNext()) {
                Batch b = e.next();
                for (int i = 0; i < b.size(); i++) {
                    int ex = order[seen + i];
                    assertEquals(ex, b.features()[2 * i], "feature of example " + ex);
                    assertEquals(ex % 3, b.labels()[i]);
                }
                seen += b.size();
            }
        }
        assertEquals(10, seen);
        assertEquals(3, loader.batchesPerEpoch());
        assertEquals(2, new BatchLoader(tiny(), 4, 1, true, true).batchesPerEpoch());
    }

    @Test
    void resumingMidEpochGivesTheRemainingBatches() {
        BatchLoader loader = new BatchLoader(tiny(), 3, 5, true, false);
        try (BatchLoader.Epoch e = loader.epoch(2, 2)) {
            Batch b = e.next();
            assertEquals(2, b.index());
            assertEquals(loader.order(2)[6], (int) b.features()[0]);
        }
    }

    @Test
    void holdOutSplitsDisjointly() {
        LabeledImages[] parts = BatchLoader.holdOut(tiny(), 0.3, 11);
        assertEquals(7, parts[0].size());
        assertEquals(3, parts[1].size());
        float[] all = new float[10];
        int k = 0;
        for (LabeledImages p : parts) for (int i = 0; i < p.size(); i++) all[k++] = p.features()[2 * i];
        Arrays.sort(all);
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, all);
    }
}
