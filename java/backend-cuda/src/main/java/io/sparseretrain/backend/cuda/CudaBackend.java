package io.sparseretrain.backend.cuda;

import io.sparseretrain.core.Device;
import io.sparseretrain.nativebridge.NativeContext;

/**
 * The CUDA backend: device memory and our kernels through an {@code sr_context} on one GPU, GEMM
 * through cuBLAS ({@link CudaDense}). Not thread-safe: one backend per thread at a time.
 */
public final class CudaBackend extends ContextBackend {
    private final int ordinal;

    private CudaBackend(NativeContext ctx, int ordinal) {
        super("cuda", ctx, Device.cuda(ordinal), (c, self) -> new CudaDense(c, ordinal, self));
        this.ordinal = ordinal;
    }

    /** A backend on device {@code ordinal}; BackendUnavailableException with the reason where it cannot run. */
    public static CudaBackend create(int ordinal) {
        return new CudaBackend(NativeContext.create(NativeContext.CUDA, ordinal), ordinal);
    }

    public int ordinal() {
        return ordinal;
    }

    /** Which GEMM path is in use and why (decided by the first GEMM). */
    public String gemmPath() {
        return ((CudaDense) dense()).choice();
    }

    /** Releases the cuBLAS handle, then every open tensor and the context. */
    @Override
    public void close() {
        if (context().isClosed()) return;
        ((CudaDense) dense()).close();
        super.close();
    }
}
