package io.sparseretrain.core.nn;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.DType;
import io.sparseretrain.core.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * y[B,out] = x[B,in]·Wᵀ + b, W [out, in] as torch.nn.Linear. In the 2:4 mode ({@link Model#useKernels})
 * the forward and, with transposable masks, dX run on the sparse GEMM in bf16; dW stays dense (F32, or
 * bf16 operands with precision BF16, which also runs every dense product of the layer in bf16).
 */
public final class Linear extends BaseLayer {
    private final int inFeatures;
    private final int outFeatures;
    private final Parameter weight;
    private final Parameter bias;
    private Tensor y;
    private Tensor dx;
    private Tensor x;
    private Sparse24Gemm sparse;  // null: no 2:4 GEMMs (the default)
    private Bf16Gemm bf16;        // null: F32 dense GEMMs (the default)

    public Linear(Backend backend, String name, Shape in, int outFeatures, boolean withBias) {
        super(backend, name, in, Shape.flat(outFeatures));
        if (in.isMap()) throw new IllegalArgumentException("Linear '" + name + "' needs a flat input, got " + in + " (add a flatten layer)");
        this.inFeatures = in.channels();
        this.outFeatures = outFeatures;
        this.weight = parameter("weight", Parameter.Kind.WEIGHT, outFeatures, inFeatures);
        this.bias = withBias ? parameter("bias", Parameter.Kind.BIAS, outFeatures) : null;
    }

    @Override
    protected void allocateActivations(int maxBatch) {
        y = activation("out", DType.F32, (long) maxBatch * outFeatures);
        dx = activation("grad_in", DType.F32, (long) maxBatch * inFeatures);
        if (sparse != null) sparse.allocate(maxBatch);
        if (bf16 != null) bf16.allocate(maxBatch);
    }

    /** The runtime's kernels from now on (2:4 forward and dX, bf16 dense GEMMs); null goes back to F32 dense. */
    void useKernels(Sparse24Runtime rt) {
        sparse = rt == null || rt.mode() == KernelMode.DENSE ? null : rt.attach(name, weight, outFeatures, inFeatures, 1);
        bf16 = rt == null || rt.precision() != Precision.BF16 ? null : rt.attachBf16(name, weight, outFeatures, inFeatures);
        if (sparse != null && maxBatch > 0) sparse.allocate(maxBatch);
        if (bf16 != null && maxBatch > 0) bf16.allocate(maxBatch);
    }

    /** Decides the 2:4 kernels for a batch of {@code batch} now (plans, AUTO timing); overwrites y and dx. */
    void prepareKernels(int batch) {
        requireAllocated(batch);
        if (sparse != null) sparse.prepare(batch, inputGradient, dx, y);
    }

    @Override
    public Tensor forward(Tensor input, int batch, boolean training) {
        requireAllocated(batch);
        x = input;
        // y[B,out] = x[B,in] · W[out,in]^T
        if (sparse != null && sparse.forward(x, batch, y)) {
            if (bf16 != null) bf16.forwardRanElsewhere();
        } else if (bf16 != null) {
            bf16.forward(x, batch, y);
        } else {
            backend.dense().gemm(false, true, batch, outFeatures, inFeatures, 1f, x, weight.value(), 0f, y);
        }
        if (bias != null) backend.nn().biasAdd(y, bias.value(), batch, outFeatures);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy, int batch) {
        // dW[out,in] = dy[B,out]^T · x[B,in];  db = Σ_B dy;  dx[B,in] = dy[B,out] · W[out,in]
        if (bf16 != null) bf16.weightGrad(dy, x, batch, weight.grad());
        else backend.dense().gemm(true, false, outFeatures, inFeatures, batch, 1f, dy, x, 0f, weight.grad());
        if (bias != null) backend.nn().biasGrad(dy, bias.grad(), batch, outFeatures, false);
        if (!inputGradient) return null;
        if (sparse != null && sparse.inputGrad(dy, batch, dx)) return dx;
        if (bf16 != null) bf16.inputGrad(dy, batch, dx);
        else backend.dense().gemm(false, false, batch, inFeatures, outFeatures, 1f, dy, weight.value(), 0f, dx);
        return dx;
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> ps = new ArrayList<>(List.of(weight));
        if (bias != null) ps.add(bias);
        return ps;
    }

    @Override
    public long denseMultiplyAdds() {
        return (long) inFeatures * outFeatures;
    }

    @Override
    public long sparseMultiplyAdds() {
        return backend.masks().countNonzero(weight.value());
    }

    public Parameter weight() {
        return weight;
    }

    /** Null when built without bias. */
    public Parameter bias() {
        return bias;
    }
}
