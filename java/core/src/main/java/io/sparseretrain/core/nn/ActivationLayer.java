package io.sparseretrain.core.nn;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.DType;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.ops.Activation;

/** ReLU or GELU; keeps its input for the backward pass. */
public final class ActivationLayer extends BaseLayer {
    private final Activation act;
    private Tensor y;
    private Tensor dx;
    private Tensor x;

    public ActivationLayer(Backend backend, Activation act, Shape in) {
        super(backend, "", in, in);
        this.act = act;
    }

    @Override
    protected void allocateActivations(int maxBatch) {
        y = activation(act.name().toLowerCase() + ".out", DType.F32, maxBatch * in.elements());
        dx = activation(act.name().toLowerCase() + ".grad_in", DType.F32, maxBatch * in.elements());
    }

    @Override
    public Tensor forward(Tensor input, int batch, boolean training) {
        requireAllocated(batch);
        x = input;
        backend.nn().activation(act, x, y, batch * in.elements());
        return y;
    }

    @Override
    public Tensor backward(Tensor dy, int batch) {
        backend.nn().activationBackward(act, x, dy, dx, batch * in.elements());
        return dx;
    }

    public Activation activation() {
        return act;
    }
}
