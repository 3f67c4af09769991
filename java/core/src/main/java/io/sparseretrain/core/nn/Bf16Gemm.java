package io.sparseretrain.core.nn;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.DType;
import io.sparseretrain.core.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * One layer's dense GEMMs in the bf16 compute mode: X, dY and W are rounded to bf16 (W once per step,
 * {@link #weightsChanged}) and every product runs through {@code DenseOps.gemmBf16} (fp32
 * accumulation, F32 results): Y = X·Wᵀ, dW = dYᵀ·X, dX = dY·W. Master weights stay F32. Buffers are
 * made for the largest row count and reused (prefixes), so a step allocates nothing.
 */
final class Bf16Gemm implements AutoCloseable {
    private final Backend backend;
    private final String layer;
    private final Parameter weight;
    private final long n;
    private final long k;
    private final List<Tensor> owned = new ArrayList<>();
    private final Tensor wBf16;  // BF16 [n, k]
    private Tensor xBf16;        // BF16 [rows, k]
    private Tensor dyBf16;       // BF16 [rows, n]
    private long maxRows;
    private boolean xFresh;      // xBf16 holds this step's X (the bf16 forward ran)
    private boolean dyFresh;     // dyBf16 holds this step's dY

    Bf16Gemm(Backend backend, String layer, Parameter weight, long n, long k) {
        this.backend = backend;
        this.layer = layer;
        this.weight = weight;
        this.n = n;
        this.k = k;
        this.wBf16 = own(backend.zeros(weight.name() + ".bf16", DType.BF16, n, k));
        weightsChanged();
    }

    private Tensor own(Tensor t) {
        owned.add(t);
        return t;
    }

    void allocate(long rows) {
        if (rows <= maxRows) return;
        for (Tensor t : new Tensor[] {xBf16, dyBf16}) {
            if (t != null) {
                owned.remove(t);
                t.close();
            }
        }
        maxRows = rows;
        xBf16 = own(backend.zeros(layer + ".bf16.x", DType.BF16, rows * k));
        dyBf16 = own(backend.zeros(layer + ".bf16.dy", DType.BF16, rows * n));
    }

    void weightsChanged() {
        backend.cast(weight.value(), wBf16, n * k);
    }

    /** y[rows, n] = bf16(x)·bf16(W)ᵀ. */
    void forward(Tensor x, long rows, Tensor y) {
        allocate(rows);
        backend.cast(x, xBf16, rows * k);
        xFresh = true;
        dyFresh = false;
        backend.dense().gemmBf16(false, true, rows, n, k, 1f, xBf16, wBf16, 0f, y);
    }

    /** The forward ran on another path (2:4): X is cast again when dW needs it. */
    void forwardRanElsewhere() {
        xFresh = false;
        dyFresh = false;
    }

    /** dW[n, k] = bf16(dy)ᵀ·bf16(x). */
    void weightGrad(Tensor dy, Tensor x, long rows, Tensor dw) {
        allocate(rows);
        castDy(dy, rows);
        if (!xFresh) {
            backend.cast(x, xBf16, rows * k);
            xFresh = true;
        }
        backend.dense().gemmBf16(true, false, n, k, rows, 1f, dyBf16, xBf16, 0f, dw);
    }

    /** dx[rows, k] = bf16(dy)·bf16(W). */
    void inputGrad(Tensor dy, long rows, Tensor dx) {
        allocate(rows);
        castDy(dy, rows);
        backend.dense().gemmBf16(false, false, rows, k, n, 1f, dyBf16, wBf16, 0f, dx);
    }

    private void castDy(Tensor dy, long rows) {
        if (dyFresh) return;
        backend.cast(dy, dyBf16, rows * n);
        dyFresh = true;
    }

    @Override
    public void close() {
        for (Tensor t : owned) t.close();
        owned.clear();
    }
}
