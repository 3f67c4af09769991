package io.sparseretrain.core.nn;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.DType;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.ops.ConvGeometry;

/** k×k max pooling on NHWC maps, as torch.nn.MaxPool2d (stride defaults to k). */
public final class MaxPool2d extends BaseLayer {
    private final int k;
    private final int stride;
    private final int pad;
    private Tensor y;
    private Tensor argmax;
    private Tensor dx;

    public MaxPool2d(Backend backend, Shape in, int k, int stride, int pad) {
        super(backend, "", in, Pooling.outShape("max pool", in, k, stride, pad));
        this.k = k;
        this.stride = stride;
        this.pad = pad;
    }

    private ConvGeometry geometry(int batch) {
        return new ConvGeometry(batch, in.height(), in.width(), in.channels(), k, k, stride, pad);
    }

    @Override
    protected void allocateActivations(int maxBatch) {
        y = activation("maxpool.out", DType.F32, maxBatch * out.elements());
        argmax = activation("maxpool.argmax", DType.I32, maxBatch * out.elements());
        dx = activation("maxpool.grad_in", DType.F32, maxBatch * in.elements());
    }

    @Override
    public Tensor forward(Tensor x, int batch, boolean training) {
        requireAllocated(batch);
        backend.nn().maxPool(x, y, argmax, geometry(batch));
        return y;
    }

    @Override
    public Tensor backward(Tensor dy, int batch) {
        backend.nn().maxPoolBackward(dy, argmax, dx, geometry(batch));
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
