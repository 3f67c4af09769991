package io.sparseretrain.core.nn;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.DType;
import io.sparseretrain.core.Tensor;

/**
 * Inverted dropout; the keep mask comes from a counter-based RNG keyed by (seed, call counter), so a
 * run replays identically on every backend and after a resume.
 */
public final class Dropout extends BaseLayer {
    private final float p;
    private final long seed;
    private long calls;
    private Tensor y;
    private Tensor keep;
    private Tensor dx;

    public Dropout(Backend backend, Shape in, float p, long seed) {
        super(backend, "", in, in);
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("dropout p = " + p + " is not in [0, 1)");
        this.p = p;
        this.seed = seed;
    }

    @Override
    protected void allocateActivations(int maxBatch) {
        y = activation("dropout.out", DType.F32, maxBatch * in.elements());
        keep = activation("dropout.keep", DType.U8, maxBatch * in.elements());
        dx = activation("dropout.grad_in", DType.F32, maxBatch * in.elements());
    }

    @Override
    public Tensor forward(Tensor x, int batch, boolean training) {
        requireAllocated(batch);
        if (!training || p == 0f) return x;
        long n = batch * in.elements();
        // Disjoint counter ranges per call (2^32 elements each), independent of the batch size.
        backend.nn().dropout(x, y, keep, n, p, seed, (calls++) << 32);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy, int batch) {
        if (p == 0f) return dy;
        backend.nn().dropoutBackward(dy, keep, dx, batch * in.elements(), p);
        return dx;
    }

    public long calls() {
        return calls;
    }

    public void setCalls(long calls) {
        this.calls = calls;
    }

    public float p() {
        return p;
    }

    /** The RNG key: a rebuilt layer with the same seed replays the same masks. */
    public long seed() {
        return seed;
    }
}
