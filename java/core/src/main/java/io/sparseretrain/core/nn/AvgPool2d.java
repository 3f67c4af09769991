package io.sparseretrain.core.nn;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.DType;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.ops.ConvGeometry;

/**
 * k×k average pooling on NHWC maps (count_include_pad, as PyTorch). {@link #global} pools the whole
 * map to 1×1 (ResNet's head); the output is then flat [c].
 */
public final class AvgPool2d extends BaseLayer {
    private final int k;
    private final int stride;
    private final int pad;
    private Tensor y;
    private Tensor dx;

    public AvgPool2d(Backend backend, Shape in, int k, int stride, int pad) {
        this(backend, in, k, stride, pad, Pooling.outShape("average pool", in, k, stride, pad));
    }

    private AvgPool2d(Backend backend, Shape in, int k, int stride, int pad, Shape out) {
        super(backend, "", in, out);
        this.k = k;
        this.stride = stride;
        this.pad = pad;
    }

    /** Global average pooling of a square map: [h, h, c] → flat [c]. */
    public static AvgPool2d global(Backend backend, Shape in) {
        if (!in.isMap() || in.height() != in.width()) {
            throw new IllegalArgumentException("global average pooling needs a square [h, h, c] map, got " + in);
        }
        return new AvgPool2d(backend, in, in.height(), 1, 0, Shape.flat(in.channels()));
    }

    private ConvGeometry geometry(int batch) {
        return new ConvGeometry(batch, in.height(), in.width(), in.channels(), k, k, stride, pad);
    }

    @Override
    protected void allocateActivations(int maxBatch) {
        y = activation("avgpool.out", DType.F32, maxBatch * out.elements());
        dx = activation("avgpool.grad_in", DType.F32, maxBatch * in.elements());
    }

    @Override
    public Tensor forward(Tensor x, int batch, boolean training) {
        requireAllocated(batch);
        backend.nn().avgPool(x, y, geometry(batch));
        return y;
    }

    @Override
    public Tensor backward(Tensor dy, int batch) {
        backend.nn().avgPoolBackward(dy, dx, geometry(batch));
        return dx;
    }

    public int kernel() {
        return k;
    }

    public int stride() {
        return stride;
    }

    public int padding() {
        return pad;
    }
}
