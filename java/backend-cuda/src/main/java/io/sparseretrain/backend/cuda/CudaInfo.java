package io.sparseretrain.backend.cuda;

import io.sparseretrain.core.spi.BackendProvider.Availability;
import io.sparseretrain.nativebridge.NativeLibrary;

/** The provider's describe(): one "key: value" line each; never throws. */
final class CudaInfo {
    private CudaInfo() {}

    static String describe(Availability a) {
        StringBuilder sb = new StringBuilder();
        sb.append("cuda: ").append(a.available() ? "available" : "unavailable").append('\n');
        if (!a.available()) sb.append("reason: ").append(a.reason()).append('\n');
        try {
            if (NativeLibrary.isLoaded()) {
                // runtime: driver, devices with compute capability and memory, cuSPARSELt (sr_runtime_info)
                sb.append("runtime: ").append(NativeLibrary.runtimeInfo()).append('\n');
                sb.append("build: ").append(NativeLibrary.buildInfo()).append('\n');
            } else {
                sb.append("native library: ").append(NativeLibrary.loadError()).append('\n');
            }
            CudaPreset.Status s = CudaPreset.status();
            sb.append("preset: ").append(s.detail()).append('\n');
            sb.append("gemm: ").append(s.loaded() ? "cuBLAS through org.bytedeco:cuda after a smoke GEMM, else sr_gemm_f32"
                    : "sr_gemm_f32 (cuBLAS inside libsparseretrain_cuda)").append('\n');
        } catch (Throwable t) {
            sb.append("describe failed: ").append(t).append('\n');
        }
        return sb.toString().stripTrailing();
    }
}
