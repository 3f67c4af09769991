package io.sparseretrain.core.data;

import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Seeded shuffling and batching. The order of epoch e is a Fisher–Yates permutation drawn from
 * {@code SplittableRandom(seed).split()} advanced e times, so it depends only on (seed, epoch) —
 * which makes resuming and lottery-ticket replays reproduce the same data order. A background thread
 * fills the next batch while the current one is used (two reused buffers), keeping the gather off
 * the training step's critical path.
 */
public final class BatchLoader {
    private final LabeledImages data;
    private final int batchSize;
    private final long seed;
    private final boolean shuffle;
    private final boolean dropLast;

    public BatchLoader(LabeledImages data, int batchSize, long seed, boolean shuffle, boolean dropLast) {
        if (batchSize <= 0) throw new IllegalArgumentException("batch size " + batchSize + " must be positive");
        if (data.size() == 0) throw new IllegalArgumentException("data set is empty");
        this.data = data;
        this.batchSize = batchSize;
        this.seed = seed;
        this.shuffle = shuffle;
        this.dropLast = dropLast;
    }

    public int batchSize() {
        return batchSize;
    }

    public int batchesPerEpoch() {
        return dropLast ? data.size() / batchSize : (data.size() + batchSize - 1) / batchSize;
    }

    /** Examples in an epoch's last batch: the batch size, or the remainder a partial last batch holds. */
    public int lastBatchSize() {
        int rest = data.size() % batchSize;
        return dropLast || rest == 0 ? batchSize : rest;
    }

    public LabeledImages data() {
        return data;
    }

    /** The example order of an epoch (a permutation of 0..n-1, identity when not shuffling). */
    public int[] order(int epoch) {
        int n = data.size();
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        if (!shuffle) return idx;
        SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL * (epoch + 1L));
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        return idx;
    }

    /** Batches of an epoch, starting at batch {@code fromBatch} (for resuming mid-epoch). */
    public Epoch epoch(int epoch, int fromBatch) {
        return new Epoch(order(epoch), fromBatch);
    }

    /** Iterates one epoch with a prefetching thread; close it to stop the thread early. */
    public final class Epoch implements AutoCloseable {
        private final int[] order;
        private final BlockingQueue<Batch> ready = new ArrayBlockingQueue<>(1);
        private final BlockingQueue<Batch> free = new ArrayBlockingQueue<>(2);
        private final Thread worker;
        private final int total;
        private int delivered;
        private Batch current;
        private volatile RuntimeException failure;

        private Epoch(int[] order, int fromBatch) {
            this.order = order;
            this.total = batchesPerEpoch();
            this.delivered = Math.min(fromBatch, total);
            int per = data.featuresPerExample();
            free.add(new Batch(batchSize, per));
            free.add(new Batch(batchSize, per));
            worker = new Thread(this::fill, "sparseretrain-batch-prefetch");
            worker.setDaemon(true);
            worker.start();
        }

        private void fill() {
            try {
                for (int b = delivered; b < total; b++) {
                    Batch batch = free.take();
                    gather(b, batch);
                    ready.put(batch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                failure = e;
            }
        }

        private void gather(int b, Batch batch) {
            int per = data.featuresPerExample();
            int from = b * batchSize;
            int n = Math.min(batchSize, order.length - from);
            float[] src = data.features();
            for (int i = 0; i < n; i++) {
                int ex = order[from + i];
                System.arraycopy(src, ex * per, batch.features, i * per, per);
                batch.labels[i] = data.labels()[ex];
            }
            batch.size = n;
            batch.index = b;
        }

        public boolean hasNext() {
            return delivered < total;
        }

        /** The next batch; the previous one's buffers are recycled. */
        public Batch next() {
            if (!hasNext()) throw new NoSuchElementException("epoch has " + total + " batches");
            if (current != null) free.add(current);
            try {
                Batch b;
                while ((b = ready.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS)) == null) {
                    if (failure != null) throw failure;
                    if (!worker.isAlive() && ready.isEmpty()) throw new IllegalStateException("batch prefetch thread stopped");
                }
                current = b;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a batch", e);
            }
            delivered++;
            return current;
        }

        @Override
        public void close() {
            worker.interrupt();
        }
    }

    /** Splits off a held-out validation set of {@code fraction} of the examples, by a seeded permutation. */
    public static LabeledImages[] holdOut(LabeledImages all, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) throw new IllegalArgumentException("validation fraction " + fraction + " is not in (0, 1)");
        int n = all.size();
        int nVal = (int) Math.round(n * fraction);
        int[] idx = new BatchLoader(all, 1, seed, true, false).order(0);
        int per = all.featuresPerExample();
        float[] trainX = new float[(n - nVal) * per];
        int[] trainY = new int[n - nVal];
        float[] valX = new float[nVal * per];
        int[] valY = new int[nVal];
        for (int i = 0; i < n; i++) {
            int ex = idx[i];
            if (i < nVal) {
                System.arraycopy(all.features(), ex * per, valX, i * per, per);
                valY[i] = all.labels()[ex];
            } else {
                System.arraycopy(all.features(), ex * per, trainX, (i - nVal) * per, per);
                trainY[i - nVal] = all.labels()[ex];
            }
        }
        return new LabeledImages[] {
            new LabeledImages(trainX, trainY, all.channels(), all.height(), all.width(), all.classes()),
            new LabeledImages(valX, valY, all.channels(), all.height(), all.width(), all.classes())
        };
    }
}
