package io.sparseretrain.core.nn;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.DType;
import io.sparseretrain.core.Tensor;

/**
 * Inverted dropout; the keep mask comes from a counter-based RNG keyed by (seed, call counter), so a
 * run replays identically on every backend and after a resume. While graphed steps run
 * ({@link #useDeviceCounter}) the counter also lives in backend memory, where the op reads and
 * advances it, so every replay of a captured forward draws the next mask, as the uncaptured path does.
 */
public final class Dropout extends BaseLayer {
    private final float p;
    private final long seed;
    private long calls;
    private Tensor y;
    private Tensor keep;
    private Tensor dx;
    private Tensor deviceCalls;  // I32 [1] while graphed steps run, else null

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
        if (deviceCalls != null) backend.nn().dropout(x, y, keep, n, p, seed, deviceCalls);  // offset from memory, then + 1
        else backend.nn().dropout(x, y, keep, n, p, seed, calls << 32);
        calls++;
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

    /**
     * Graphed steps: on, the counter is copied into backend memory and the forward reads and advances it
     * there (the mask of call c is the same either way: only the low 32 bits of c reach the offset); off
     * frees it. Meanwhile the host count moves once per forward the host issues — a captured forward
     * counts once however often it is replayed, so the owner of the graph adds the extra replays with
     * {@link #addReplays}.
     */
    public void useDeviceCounter(boolean on) {
        if (on && deviceCalls == null) {
            Tensor t = backend.zeros(qualified("dropout.calls"), DType.I32, 1);
            try {
                backend.copyFromHost(new int[] {(int) calls}, t);
            } catch (RuntimeException e) {
                t.close();
                throw e;
            }
            deviceCalls = t;
        } else if (!on && deviceCalls != null) {
            deviceCalls.close();
            deviceCalls = null;
        }
    }

    /** A captured forward ran {@code n} more times than the host issued it (replays after the first). */
    public void addReplays(long n) {
        if (n < 0) throw new IllegalArgumentException("replays = " + n + " must be >= 0");
        if (p > 0f) calls += n;  // a p = 0 forward never counts
    }

    @Override
    public void close() {
        useDeviceCounter(false);
        super.close();
    }

    public float p() {
        return p;
    }

    /** The RNG key: a rebuilt layer with the same seed replays the same masks. */
    public long seed() {
        return seed;
    }
}
