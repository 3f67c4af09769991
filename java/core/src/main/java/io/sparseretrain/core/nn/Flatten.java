package io.sparseretrain.core.nn;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.DType;
import io.sparseretrain.core.Tensor;

/**
 * [h, w, c] → flat [c·h·w] in PyTorch's (c, h, w) order, so the next Linear weight has the same
 * columns as in PyTorch: an NHWC→NCHW permutation when h·w > 1 and c > 1, nothing otherwise.
 */
public final class Flatten extends BaseLayer {
    private final boolean permute;
    private Tensor y;
    private Tensor dx;

    public Flatten(Backend backend, Shape in) {
        super(backend, "", in, Shape.flat((int) in.elements()));
        this.permute = in.isMap() && in.rowsPerExample() > 1 && in.channels() > 1;
    }

    @Override
    protected void allocateActivations(int maxBatch) {
        if (!permute) return;
        y = activation("flatten.out", DType.F32, maxBatch * in.elements());
        dx = activation("flatten.grad_in", DType.F32, maxBatch * in.elements());
    }

    @Override
    public Tensor forward(Tensor x, int batch, boolean training) {
        requireAllocated(batch);
        if (!permute) return x;
        backend.nn().permuteNhwc(x, y, batch, in.height(), in.width(), in.channels(), true);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy, int batch) {
        if (!permute) return dy;
        backend.nn().permuteNhwc(dy, dx, batch, in.height(), in.width(), in.channels(), false);
        return dx;
    }
}
