package io.sparseretrain.nativebridge;

import io.sparseretrain.core.Tensor;
import org.bytedeco.javacpp.Pointer;

/**
 * A tensor whose memory the native library can address: host memory for CPU tensors, device memory
 * for CUDA tensors. Internal to the backends; outside them Java sees only {@link Tensor}.
 */
public interface NativeTensor extends Tensor {
    /** Address of the first element (throws if closed). */
    Pointer pointer();

    /** The backend that made it: ops refuse tensors of another backend. */
    Object owner();
}
