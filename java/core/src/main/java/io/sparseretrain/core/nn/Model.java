package io.sparseretrain.core.nn;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A feed-forward network: an ordered list of layers from an NHWC (or flat) input to class logits.
 * Parameter and buffer names follow PyTorch's state_dict for the same architecture.
 */
public final class Model implements AutoCloseable {
    private final String name;
    private final Backend backend;
    private final Shape input;
    private final int classes;
    private final List<Layer> layers;
    private int maxBatch;
    private Sparse24Runtime sparse24;  // null: dense kernels
    private final int backwardStop;    // index of the first layer after leading flattens: backward ends there

    public Model(String name, Backend backend, Shape input, int classes, List<Layer> layers) {
        if (layers.isEmpty()) throw new IllegalArgumentException("model '" + name + "' has no layers");
        Shape last = layers.get(layers.size() - 1).outputShape();
        if (last.isMap() || last.channels() != classes) {
            throw new IllegalArgumentException("model '" + name + "' ends in " + last + ", expected " + classes + " logits");
        }
        Set<String> seen = new LinkedHashSet<>();
        for (Layer l : layers) {
            for (Parameter p : l.parameters()) {
                if (!seen.add(p.name())) throw new IllegalArgumentException("model '" + name + "' has two parameters named '" + p.name() + "'");
            }
        }
        this.name = name;
        this.backend = backend;
        this.input = input;
        this.classes = classes;
        this.layers = List.copyOf(layers);
        // The input needs no gradient, and a flatten in front only reshapes it: the first layer that
        // computes anything skips its input gradient (LeNet's fc1 behind flatten skips its dX GEMM, as
        // PyTorch does for an input without grad) and the flattens before it are not run backward.
        int first = 0;
        while (first < layers.size() - 1 && layers.get(first) instanceof Flatten) first++;
        for (int i = 0; i <= first; i++) layers.get(i).skipInputGradient();
        this.backwardStop = first;
    }

    public String name() {
        return name;
    }

    public Backend backend() {
        return backend;
    }

    public Shape inputShape() {
        return input;
    }

    public int classes() {
        return classes;
    }

    public List<Layer> layers() {
        return layers;
    }

    public void allocate(int batch) {
        if (batch <= maxBatch) return;
        for (Layer l : layers) l.allocate(batch);
        maxBatch = batch;
    }

    /** Logits [batch, classes] for the first {@code batch} examples of x (NHWC or flat, F32). */
    public Tensor forward(Tensor x, int batch, boolean training) {
        allocate(batch);
        Tensor h = x;
        for (Layer l : layers) h = l.forward(h, batch, training);
        return h;
    }

    /**
     * Backpropagates dlogits down to the first layer that is not a flatten, filling every parameter
     * gradient (no input gradient is formed there: nothing needs it).
     */
    public void backward(Tensor dlogits, int batch) {
        Tensor g = dlogits;
        for (int i = layers.size() - 1; i >= backwardStop; i--) g = layers.get(i).backward(g, batch);
    }

    /**
     * Chooses the GEMM kernels of every Linear and Conv2d layer (nested ones included). SPARSE24 / AUTO
     * run forward (and, with {@code transposableMasks}, the input gradient) on the backend's 2:4 sparse
     * GEMM in bf16, dense per layer where the shape cannot; DENSE goes back. The masks must be 2:4 along
     * the input features already (prune first). {@code precision} BF16 runs the dense GEMMs (fallbacks
     * included) on bf16 operands with fp32 accumulation; the 2:4 kernels need it (FP32 2:4 is refused).
     * DENSE + FP32 is the default F32 path. Replaces (and closes) any earlier runtime.
     */
    public Sparse24Runtime useKernels(KernelMode mode, Precision precision, boolean transposableMasks) {
        if (sparse24 != null) {
            for (Layer l : gemmLayers()) attach(l, null);
            sparse24.close();
            sparse24 = null;
        }
        if (mode == KernelMode.DENSE && precision == Precision.FP32) return null;
        sparse24 = new Sparse24Runtime(backend, mode, precision, transposableMasks);
        for (Layer l : gemmLayers()) attach(l, sparse24);
        return sparse24;
    }

    private static void attach(Layer l, Sparse24Runtime rt) {
        if (l instanceof Linear lin) lin.useKernels(rt);
        if (l instanceof Conv2d conv) conv.useKernels(rt);
    }

    /**
     * Decides the 2:4 kernels of every layer for each batch size a run will use (full batches, the last
     * partial training batch, the last eval batch): plans, the pattern check of the first compression
     * and AUTO's timed choice happen here, at start-up, instead of inside the first step of each size,
     * and a mask that is not 2:4 fails here, naming the layer. Overwrites activation buffers (call it
     * between steps). A no-op without 2:4 kernels; sizes ≤ 0 are skipped, repeated sizes cost nothing.
     */
    public void prepareKernels(int... batchSizes) {
        if (sparse24 == null || sparse24.mode() == KernelMode.DENSE) return;
        int max = 0;
        for (int b : batchSizes) max = Math.max(max, b);
        if (max == 0) return;
        allocate(max);
        for (int b : batchSizes) {
            if (b <= 0) continue;
            for (Layer l : gemmLayers()) {
                if (l instanceof Linear lin) lin.prepareKernels(b);
                if (l instanceof Conv2d conv) conv.prepareKernels(b);
            }
        }
    }

    /** The kernel runtime while one is in use (2:4 and/or bf16). */
    public java.util.Optional<Sparse24Runtime> sparse24() {
        return java.util.Optional.ofNullable(sparse24);
    }

    /**
     * The weights changed (after every optimizer step; after pruning or loading): the 2:4 layers re-cast
     * W to bf16 and recompress before their next product. No-op with dense kernels.
     */
    public void weightsChanged() {
        if (sparse24 != null) sparse24.weightsChanged();
    }

    private List<Layer> gemmLayers() {
        List<Layer> out = new ArrayList<>();
        for (Layer l : layers) collectGemmLayers(l, out);
        return out;
    }

    private static void collectGemmLayers(Layer l, List<Layer> out) {
        if (l instanceof Linear || l instanceof Conv2d) out.add(l);
        if (l instanceof BasicBlock b) for (Layer c : b.children()) collectGemmLayers(c, out);
    }

    /** Every trainable parameter in state_dict order. */
    public List<Parameter> parameters() {
        List<Parameter> ps = new ArrayList<>();
        for (Layer l : layers) ps.addAll(l.parameters());
        return ps;
    }

    /** Linear and Conv weights. */
    public List<Parameter> prunableParameters() {
        return parameters().stream().filter(Parameter::isPrunable).toList();
    }

    public List<StateBuffer> buffers() {
        List<StateBuffer> bs = new ArrayList<>();
        for (Layer l : layers) bs.addAll(l.buffers());
        return bs;
    }

    /** Every batch norm layer, nested ones included. */
    public List<BatchNorm> batchNorms() {
        List<BatchNorm> out = new ArrayList<>();
        for (Layer l : layers) collectBatchNorms(l, out);
        return out;
    }

    private static void collectBatchNorms(Layer l, List<BatchNorm> out) {
        if (l instanceof BatchNorm bn) out.add(bn);
        if (l instanceof BasicBlock b) for (Layer c : b.children()) collectBatchNorms(c, out);
    }

    public Parameter parameter(String paramName) {
        for (Parameter p : parameters()) if (p.name().equals(paramName)) return p;
        throw new IllegalArgumentException("model '" + name + "' has no parameter '" + paramName + "'");
    }

    public long parameterCount() {
        return parameters().stream().mapToLong(Parameter::numel).sum();
    }

    /** Dense multiply-adds per example over Conv and Linear layers. */
    public long denseMultiplyAdds() {
        return layers.stream().mapToLong(Layer::denseMultiplyAdds).sum();
    }

    /** Multiply-adds per example over nonzero Conv and Linear weights. */
    public long sparseMultiplyAdds() {
        return layers.stream().mapToLong(Layer::sparseMultiplyAdds).sum();
    }

    @Override
    public void close() {
        if (sparse24 != null) sparse24.close();  // plans before the layers' tensors and the backend's context
        sparse24 = null;
        for (Layer l : layers) l.close();
    }
}
