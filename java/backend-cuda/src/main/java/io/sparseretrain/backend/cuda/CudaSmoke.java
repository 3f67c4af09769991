package io.sparseretrain.backend.cuda;

import io.sparseretrain.core.DType;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.spi.BackendProvider;

/**
 * Load smoke test for the GPU machine (bench/gpu/run.sh stage 1): prints the provider's describe(),
 * then on a usable GPU one GEMM, which decides and prints the GEMM path (preset cuBLAS or
 * sr_gemm_f32) and why. Exit status 0 when CUDA works; when it is unavailable the reason is printed and
 * the program ends with an exception (non-zero status).
 */
public final class CudaSmoke {
    private CudaSmoke() {}

    public static void main(String[] args) {
        CudaBackendProvider p = new CudaBackendProvider();
        System.out.println(p.describe());
        BackendProvider.Availability a = p.availability();
        if (!a.available()) {
            System.out.println("smoke: unavailable: " + a.reason());
            throw new io.sparseretrain.core.BackendUnavailableException("CUDA smoke test: " + a.reason());
        }
        try (CudaBackend b = CudaBackend.create(0);
             Tensor x = b.fromFloats("x", new float[] {1, 2, 3, 4}, 2, 2);
             Tensor y = b.zeros("y", DType.F32, 2, 2)) {
            b.dense().gemm(false, false, 1f, x, x, 0f, y); // [[7,10],[15,22]]
            float[] got = b.copyToHostFloats(y);
            System.out.println("smoke: gemm " + java.util.Arrays.toString(got) + " via " + b.gemmPath());
            System.out.println("smoke: " + (java.util.Arrays.equals(got, new float[] {7, 10, 15, 22}) ? "OK" : "WRONG RESULT"));
        }
    }
}
