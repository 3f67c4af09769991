package io.sparseretrain.backend.cuda;

import static io.sparseretrain.backend.cuda.GpuAssumptions.cudaOrSkip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sparseretrain.core.DType;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.TensorStateException;
import io.sparseretrain.core.ops.SgdConfig;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** GPU only: no device memory growth over many small ops; tensors of another backend are refused. */
class CudaMemoryTest {
    private static final long MIB = 1 << 20;

    @Test
    void tenThousandSmallOpsDoNotGrowDeviceMemory() {
        try (CudaBackend cuda = cudaOrSkip()) {
            assumeTrue(CudaPreset.memoryInfo(0) != null,
                    () -> "skipped: cudaMemGetInfo needs the org.bytedeco:cuda preset: " + CudaPreset.status().detail());
            Random r = new Random(31);
            float[] w = Compare.randomFloats(r, 257);
            byte[] m = Compare.randomMask(r, 257, 0.5);
            long after100 = 0;
            for (int i = 1; i <= 10_000; i++) {
                smallOps(cuda, w, m);
                if (i == 100) {
                    cuda.synchronize();
                    after100 = CudaPreset.memoryInfo(0)[0];
                }
            }
            cuda.synchronize();
            long after10k = CudaPreset.memoryInfo(0)[0];
            // free memory may also rise (other processes); only a fall means we leaked
            assertTrue(after100 - after10k <= MIB, "free device memory fell by " + (after100 - after10k)
                    + " bytes between op call 100 and 10,000 (limit 1 MiB)");
            assertEquals(0, cuda.openTensorCount(), "tensors left open");
        }
    }

    /** One round: allocate, copy in, mask, count, SGD step, GEMM, copy out, free. */
    private static void smallOps(CudaBackend cuda, float[] w, byte[] m) {
        try (Tensor tw = cuda.fromFloats("w", w, 257); Tensor tm = cuda.fromBytes("m", m, 257);
             Tensor g = cuda.fromFloats("g", w, 257); Tensor a = cuda.fromFloats("a", w, 1, 257);
             Tensor c = cuda.zeros("c", DType.F32, 1, 1)) {
            cuda.masks().apply(tw, tm);
            cuda.masks().countNonzero(tw);
            cuda.optimizers().sgdStep(tw, g, null, tm, SgdConfig.plain(), 0.1f, true);
            cuda.dense().gemm(false, true, 1f, a, a, 0f, c);
            cuda.copyToHostFloats(c);
        }
    }

    @Test
    void tensorsOfAnotherBackendAreRefused() {
        try (CudaBackend cuda = cudaOrSkip(); ContextBackend host = ContextBackend.hostReference();
             Tensor hw = host.fromFloats("host.w", new float[] {1, 2, 3, 4}, 4);
             Tensor cm = cuda.fromBytes("cuda.m", new byte[] {1, 0, 1, 0}, 4)) {
            TensorStateException e = assertThrows(TensorStateException.class, () -> cuda.masks().apply(hw, cm));
            assertTrue(e.getMessage().contains("host.w"), e.getMessage());
            assertThrows(TensorStateException.class, () -> host.copyToHostBytes(cm));
            Tensor closed = cuda.zeros("closed", DType.F32, 4);
            closed.close();
            closed.close(); // idempotent
            assertThrows(TensorStateException.class, () -> cuda.copyToHostFloats(closed));
        }
    }
}
