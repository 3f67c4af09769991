package io.sparseretrain.core;

import java.util.Arrays;

/**
 * A native call returned an error. Carries the C function, its status name and message, and the
 * tensor(s) involved with their shapes.
 */
public class NativeCallException extends SparseRetrainException {
    private final String call;
    private final String status;
    private final String tensor;
    private final long[] shape;

    public NativeCallException(String call, String status, String nativeMessage, String tensor, long[] shape) {
        super(call + " failed with " + status + ": " + nativeMessage
                + (tensor == null ? "" : " [tensor " + tensor + (shape == null ? "" : " " + Arrays.toString(shape)) + "]"));
        this.call = call;
        this.status = status;
        this.tensor = tensor;
        this.shape = shape == null ? null : shape.clone();
    }

    /** The native function, e.g. {@code sr_mask_nm}. */
    public String call() {
        return call;
    }

    /** The native status name, e.g. {@code SR_ERR_SHAPE}. */
    public String status() {
        return status;
    }

    /** Name(s) of the tensor(s) involved, or null. */
    public String tensor() {
        return tensor;
    }

    public long[] shape() {
        return shape == null ? null : shape.clone();
    }
}
