package io.sparseretrain.core.ops;

/** Pointwise activations; {@link #code()} is the native {@code sr_activation}. */
public enum Activation {
    RELU(0),
    /** Exact (erf) GELU, as torch.nn.GELU(). */
    GELU(1);

    private final int code;

    Activation(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
