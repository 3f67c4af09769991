package io.sparseretrain.core.nn;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.DType;
import io.sparseretrain.core.Tensor;
import java.util.ArrayList;
import java.util.List;

/** Shared plumbing: the backend, shapes, and the activation buffers a layer owns and frees. */
abstract class BaseLayer implements Layer {
    protected final Backend backend;
    protected final String name;
    protected final Shape in;
    protected final Shape out;
    private final List<AutoCloseable> owned = new ArrayList<>();
    protected int maxBatch;
    protected boolean inputGradient = true;

    BaseLayer(Backend backend, String name, Shape in, Shape out) {
        this.backend = backend;
        this.name = name;
        this.in = in;
        this.out = out;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Shape inputShape() {
        return in;
    }

    @Override
    public Shape outputShape() {
        return out;
    }

    /** "fc1.weight" for a named layer, else the suffix alone. */
    protected String qualified(String suffix) {
        return name.isEmpty() ? suffix : name + "." + suffix;
    }

    protected Parameter parameter(String suffix, Parameter.Kind kind, long... shape) {
        Parameter p = new Parameter(backend, qualified(suffix), kind, shape);
        owned.add(p);
        return p;
    }

    protected Tensor buffer(String label, DType dtype, long... shape) {
        Tensor t = backend.zeros(qualified(label), dtype, shape);
        owned.add(t);
        return t;
    }

    @Override
    public void skipInputGradient() {
        inputGradient = false;
    }

    @Override
    public void allocate(int maxBatch) {
        if (maxBatch <= this.maxBatch) return;
        releaseActivations();
        this.maxBatch = maxBatch;
        allocateActivations(maxBatch);
    }

    /** Creates the per-batch buffers (use {@link #activation}). */
    protected abstract void allocateActivations(int maxBatch);

    private final List<Tensor> activations = new ArrayList<>();

    protected Tensor activation(String label, DType dtype, long elements) {
        Tensor t = backend.zeros(qualified(label), dtype, elements);
        activations.add(t);
        return t;
    }

    private void releaseActivations() {
        activations.forEach(Tensor::close);
        activations.clear();
    }

    protected void requireAllocated(int batch) {
        if (batch <= 0 || batch > maxBatch) {
            throw new IllegalArgumentException("layer '" + name + "': batch " + batch + " exceeds the allocated " + maxBatch
                    + " (call allocate first)");
        }
    }

    @Override
    public void close() {
        releaseActivations();
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing " + name, e);
            }
        }
        owned.clear();
    }
}
