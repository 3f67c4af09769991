package io.sparseretrain.core.nn;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.DType;
import io.sparseretrain.core.Tensor;

/**
 * A trainable tensor with its gradient and, for prunable weights, its mask. Named as in PyTorch's
 * state_dict ({@code fc1.weight}). Weights stay physically zero where the mask is 0: pruning applies
 * the mask once and the optimizer's masked step keeps it so.
 */
public final class Parameter implements AutoCloseable {
    public enum Kind { WEIGHT, BIAS, NORM_WEIGHT, NORM_BIAS }

    private final String name;
    private final Kind kind;
    private final Tensor value;
    private final Tensor grad;
    private Tensor mask;

    public Parameter(Backend backend, String name, Kind kind, long... shape) {
        this.name = name;
        this.kind = kind;
        this.value = backend.zeros(name, DType.F32, shape);
        this.grad = backend.zeros(name + ".grad", DType.F32, shape);
    }

    public String name() {
        return name;
    }

    public Kind kind() {
        return kind;
    }

    public Tensor value() {
        return value;
    }

    public Tensor grad() {
        return grad;
    }

    /** Null while dense. */
    public Tensor mask() {
        return mask;
    }

    /** Linear and Conv weights; biases and norm parameters are never masked. */
    public boolean isPrunable() {
        return kind == Kind.WEIGHT;
    }

    /** The mask, created all-ones on first use. */
    public Tensor ensureMask(Backend backend) {
        if (!isPrunable()) throw new IllegalStateException("parameter '" + name + "' (" + kind + ") is never masked");
        if (mask == null) {
            Tensor m = backend.zeros(name + "_mask", DType.U8, value.shape());
            byte[] ones = new byte[(int) m.numel()];
            java.util.Arrays.fill(ones, (byte) 1);
            backend.copyFromHost(ones, m);
            mask = m;
        }
        return mask;
    }

    public long numel() {
        return value.numel();
    }

    @Override
    public void close() {
        value.close();
        grad.close();
        if (mask != null) mask.close();
    }
}
