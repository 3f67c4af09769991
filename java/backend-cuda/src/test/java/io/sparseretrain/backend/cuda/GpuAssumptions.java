package io.sparseretrain.backend.cuda;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sparseretrain.core.NativeCallException;
import io.sparseretrain.core.spi.BackendProvider.Availability;
import java.io.File;

/** Skips (never fails) GPU tests where there is no usable GPU, with the provider's reason. */
final class GpuAssumptions {
    private GpuAssumptions() {}

    /** A CUDA backend on device 0, or the test is skipped with the reason. */
    static CudaBackend cudaOrSkip() {
        Availability a = new CudaBackendProvider().availability();
        assumeTrue(a.available(), () -> "skipped: " + a.reason());
        return CudaBackend.create(0);
    }

    /** True where this machine has no NVIDIA driver node at all (independent of our library). */
    static boolean machineHasNoNvidiaDriver() {
        return !new File("/dev/nvidiactl").exists() && !new File("/proc/driver/nvidia/version").exists();
    }

    /** Runs the host reference; skips when the host side of the op is not implemented in this build. */
    static <T> T hostOrSkip(java.util.function.Supplier<T> op, String what) {
        try {
            return op.get();
        } catch (NativeCallException e) {
            assumeTrue(!"SR_ERR_NOT_AVAILABLE".equals(e.status()),
                    () -> "skipped: host reference of " + what + " is not implemented in this build: " + e.getMessage());
            throw e;
        }
    }
}
