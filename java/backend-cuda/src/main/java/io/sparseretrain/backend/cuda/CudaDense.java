package io.sparseretrain.backend.cuda;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.DType;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.ops.DenseOps;
import io.sparseretrain.nativebridge.NativeBf16Gemm;
import io.sparseretrain.nativebridge.NativeContext;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * DenseOps of the CUDA backend: cuBLAS through the org.bytedeco:cuda preset when it loads here, else
 * sr_gemm_f32 (cuBLAS inside libsparseretrain_cuda). The first GEMM is a smoke test of the preset
 * path: [2,3]·[3,2] of small integers, exact in F32, compared with the known product. The choice and
 * its reason are logged once per process and reported by {@link #choice()}.
 */
final class CudaDense implements DenseOps, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(CudaDense.class.getName());
    private static final AtomicBoolean LOGGED = new AtomicBoolean();

    private final NativeContext ctx;
    private final int ordinal;
    private final Backend backend;
    private DenseOps chosen;
    private PresetGemm preset;
    private String choice = "not chosen yet (decided by the first GEMM)";

    CudaDense(NativeContext ctx, int ordinal, Backend backend) {
        this.ctx = ctx;
        this.ordinal = ordinal;
        this.backend = backend;
    }

    @Override
    public void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        GemmShape.of(backend, transA, transB, a, b, c); // bad arguments fail before the smoke test runs
        if (chosen == null) choose();
        chosen.gemm(transA, transB, alpha, a, b, beta, c);
    }

    @Override
    public void gemm(boolean transA, boolean transB, long m, long n, long k, float alpha, Tensor a, Tensor b, float beta,
                     Tensor c) {
        GemmShape.explicit(backend, m, n, k, a, b, c);
        if (chosen == null) choose();
        chosen.gemm(transA, transB, m, n, k, alpha, a, b, beta, c);
    }

    /** Always our C API (cuBLAS GemmEx inside libsparseretrain_cuda): the preset path is F32 only. */
    @Override
    public void gemmBf16(boolean transA, boolean transB, long m, long n, long k, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        NativeBf16Gemm.run(ctx, backend, transA, transB, m, n, k, alpha, a, b, beta, c);
    }

    /** "cublas-preset (...)" or "sr_gemm_f32 fallback: <reason>". */
    String choice() {
        return choice;
    }

    private void choose() {
        CudaPreset.Status s = CudaPreset.status();
        String reason;
        if (!s.loaded()) {
            reason = s.detail();
        } else {
            try {
                PresetGemm p = new PresetGemm(ctx, ordinal, backend);
                String bad = smoke(p);
                if (bad == null) {
                    preset = p;
                    chosen = p;
                    choice = "cublas-preset (" + s.detail() + "; smoke GEMM exact)";
                    log(choice);
                    return;
                }
                p.close();
                reason = "smoke GEMM through the preset gave " + bad;
            } catch (RuntimeException | LinkageError e) {
                reason = "preset cuBLAS failed: " + e;
            }
        }
        chosen = new NativeGemm(ctx, backend);
        choice = "sr_gemm_f32 fallback: " + reason;
        log(choice);
    }

    /** Null when C = A·B is exact for A=[[1,2,3],[4,5,6]], B=[[1,0],[0,1],[2,-1]]; else what came out. */
    private String smoke(DenseOps gemm) {
        try (Tensor a = backend.fromFloats("smoke.A", new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
             Tensor b = backend.fromFloats("smoke.B", new float[] {1, 0, 0, 1, 2, -1}, 3, 2);
             Tensor c = backend.zeros("smoke.C", DType.F32, 2, 2)) {
            gemm.gemm(false, false, 1f, a, b, 0f, c);
            backend.synchronize();
            float[] got = backend.copyToHostFloats(c);
            float[] want = {7, -1, 16, -1};
            return java.util.Arrays.equals(got, want) ? null : java.util.Arrays.toString(got) + " instead of "
                    + java.util.Arrays.toString(want);
        }
    }

    private static void log(String msg) {
        if (LOGGED.compareAndSet(false, true)) LOG.log(System.Logger.Level.INFO, "CUDA backend GEMM: " + msg);
    }

    @Override
    public void close() {
        if (preset != null) preset.close();
        preset = null;
    }
}
