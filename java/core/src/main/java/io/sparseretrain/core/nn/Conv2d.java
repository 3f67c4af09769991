package io.sparseretrain.core.nn;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.DType;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.ops.ConvGeometry;
import java.util.ArrayList;
import java.util.List;

/**
 * 2-D convolution as im2col + GEMM on NHWC activations, weight [Cout, Cin, k, k] as torch.nn.Conv2d,
 * so every prunable weight is a GEMM operand (the masked and 2:4 paths treat it like a Linear one).
 */
public final class Conv2d extends BaseLayer {
    private final int cin;
    private final int cout;
    private final int k;
    private final int stride;
    private final int pad;
    private final Parameter weight;
    private final Parameter bias;
    private Tensor cols;
    private Tensor y;
    private Tensor dcols;
    private Tensor dx;
    private Sparse24Gemm sparse;  // null: no 2:4 GEMMs (the default)
    private Bf16Gemm bf16;        // null: F32 dense GEMMs (the default)

    public Conv2d(Backend backend, String name, Shape in, int cout, int k, int stride, int pad, boolean withBias) {
        super(backend, name, in, outShape(name, in, cout, k, stride, pad));
        this.cin = in.channels();
        this.cout = cout;
        this.k = k;
        this.stride = stride;
        this.pad = pad;
        this.weight = parameter("weight", Parameter.Kind.WEIGHT, cout, cin, k, k);
        this.bias = withBias ? parameter("bias", Parameter.Kind.BIAS, cout) : null;
    }

    private static Shape outShape(String name, Shape in, int cout, int k, int stride, int pad) {
        if (!in.isMap()) throw new IllegalArgumentException("Conv2d '" + name + "' needs an [h, w, c] input, got " + in);
        ConvGeometry g = new ConvGeometry(1, in.height(), in.width(), in.channels(), k, k, stride, pad);
        return Shape.map(g.outHeight(), g.outWidth(), cout);
    }

    private ConvGeometry geometry(int batch) {
        return new ConvGeometry(batch, in.height(), in.width(), cin, k, k, stride, pad);
    }

    @Override
    protected void allocateActivations(int maxBatch) {
        ConvGeometry g = geometry(maxBatch);
        cols = activation("cols", DType.F32, g.outPixels() * g.patchSize());
        dcols = activation("grad_cols", DType.F32, g.outPixels() * g.patchSize());
        y = activation("out", DType.F32, g.outPixels() * cout);
        dx = activation("grad_in", DType.F32, g.inputElements());
        if (sparse != null) sparse.allocate(g.outPixels());
        if (bf16 != null) bf16.allocate(g.outPixels());
    }

    /** The runtime's kernels from now on (2:4 forward and dcols, bf16 dense GEMMs); null goes back to F32 dense. */
    void useKernels(Sparse24Runtime rt) {
        sparse = rt == null || rt.mode() == KernelMode.DENSE ? null : rt.attach(name, weight, cout, cin, k * k);
        bf16 = rt == null || rt.precision() != Precision.BF16 ? null : rt.attachBf16(name, weight, cout, (long) cin * k * k);
        if (sparse != null && maxBatch > 0) sparse.allocate(geometry(maxBatch).outPixels());
        if (bf16 != null && maxBatch > 0) bf16.allocate(geometry(maxBatch).outPixels());
    }

    /** Decides the 2:4 kernels for a batch of {@code batch} now (plans, AUTO timing); overwrites cols and y. */
    void prepareKernels(int batch) {
        requireAllocated(batch);
        if (sparse != null) sparse.prepare(geometry(batch).outPixels(), inputGradient, cols, y);
    }

    @Override
    public Tensor forward(Tensor x, int batch, boolean training) {
        requireAllocated(batch);
        ConvGeometry g = geometry(batch);
        long rows = g.outPixels();
        long kdim = g.patchSize();
        backend.nn().im2col(x, cols, g);
        // y[B·OH·OW, Cout] = cols[B·OH·OW, Cin·k·k] · W[Cout, Cin·k·k]^T
        if (sparse != null && sparse.forward(cols, rows, y)) {
            if (bf16 != null) bf16.forwardRanElsewhere();
        } else if (bf16 != null) {
            bf16.forward(cols, rows, y);
        } else {
            backend.dense().gemm(false, true, rows, cout, kdim, 1f, cols, weight.value(), 0f, y);
        }
        if (bias != null) backend.nn().biasAdd(y, bias.value(), rows, cout);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy, int batch) {
        ConvGeometry g = geometry(batch);
        long rows = g.outPixels();
        long kdim = g.patchSize();
        // dW[Cout, K] = dy[rows, Cout]^T · cols[rows, K];  dcols[rows, K] = dy · W;  dx = col2im(dcols)
        if (bf16 != null) bf16.weightGrad(dy, cols, rows, weight.grad());
        else backend.dense().gemm(true, false, cout, kdim, rows, 1f, dy, cols, 0f, weight.grad());
        if (bias != null) backend.nn().biasGrad(dy, bias.grad(), rows, cout, false);
        if (!inputGradient) return null;
        if (sparse == null || !sparse.inputGrad(dy, rows, dcols)) {
            if (bf16 != null) bf16.inputGrad(dy, rows, dcols);
            else backend.dense().gemm(false, false, rows, kdim, cout, 1f, dy, weight.value(), 0f, dcols);
        }
        backend.nn().col2im(dcols, dx, g);
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
        return (long) out.height() * out.width() * cout * cin * k * k;
    }

    @Override
    public long sparseMultiplyAdds() {
        return (long) out.height() * out.width() * backend.masks().countNonzero(weight.value());
    }

    public Parameter weight() {
        return weight;
    }

    /** Null when built without bias. */
    public Parameter bias() {
        return bias;
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
