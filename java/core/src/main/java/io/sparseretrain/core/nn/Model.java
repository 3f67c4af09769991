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
        layers.get(0).skipInputGradient();
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

    /** Backpropagates dlogits through every layer, filling all parameter gradients. */
    public void backward(Tensor dlogits, int batch) {
        Tensor g = dlogits;
        for (int i = layers.size() - 1; i >= 0; i--) g = layers.get(i).backward(g, batch);
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
        for (Layer l : layers) l.close();
    }
}
