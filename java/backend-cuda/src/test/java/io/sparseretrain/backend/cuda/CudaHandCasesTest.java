package io.sparseretrain.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.DType;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.ops.SgdConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The CUDA backend against small hand-computed cases (the shared suite is {@link CudaConformanceTest});
 * skipped with the provider's reason where CUDA is unavailable.
 */
class CudaHandCasesTest {
    private Backend b;

    @BeforeEach
    void setUp() {
        b = GpuAssumptions.cudaOrSkip();
    }

    @AfterEach
    void tearDown() {
        if (b != null) b.close();
    }

    @Test
    void applyMaskAndCount() {
        try (Tensor w = b.fromFloats("w", new float[] {1, -2, 3, -4, 5, -0.5f}, 2, 3);
             Tensor m = b.fromBytes("m", new byte[] {1, 0, 1, 1, 0, 0}, 2, 3)) {
            b.masks().apply(w, m);
            assertArrayEquals(new float[] {1, 0, 3, -4, 0, 0}, b.copyToHostFloats(w));
            assertEquals(3, b.masks().countNonzero(w));
        }
    }

    @Test
    void twoFourMaskKeepsLargestTwoPerGroup() {
        // [2, 8]: groups of 4 along K; ties go to the lower k
        try (Tensor w = b.fromFloats("w", new float[] {0.1f, -3, 2, 0.5f, 1, 1, 1, 1, 4, 0, 0, -4, 9, 8, -7, 6}, 2, 8);
             Tensor m = b.fromBytes("m", new byte[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1}, 2, 8)) {
            b.masks().maskNM(w, m, 2, 4);
            assertArrayEquals(new byte[] {0, 1, 1, 0, 1, 1, 0, 0, 1, 0, 0, 1, 0, 1, 1, 0}, b.copyToHostBytes(m));
            assertEquals(0, b.masks().countNMViolations(m, 2, 4));
        }
    }

    @Test
    void sgdStepZeroesPrunedEntries() {
        // w -= lr·(g + wd·w) with lr 0.5, wd 0 on live entries; pruned ones become exactly 0
        try (Tensor w = b.fromFloats("w", new float[] {1, 2, 3, 4}, 4); Tensor g = b.fromFloats("g", new float[] {2, 2, 2, 2}, 4);
             Tensor m = b.fromBytes("m", new byte[] {1, 0, 1, 0}, 4)) {
            b.optimizers().sgdStep(w, g, null, m, SgdConfig.plain(), 0.5f, true);
            assertArrayEquals(new float[] {0, 0, 2, 0}, b.copyToHostFloats(w));
        }
    }

    @Test
    void gemmSmallIntegers() {
        // C[2,2] = 2·A[2,3]·B[3,2] + 1·C
        try (Tensor a = b.fromFloats("A", new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
             Tensor bb = b.fromFloats("B", new float[] {1, 0, 0, 1, 1, 1}, 3, 2);
             Tensor c = b.fromFloats("C", new float[] {1, 1, 1, 1}, 2, 2)) {
            b.dense().gemm(false, false, 2f, a, bb, 1f, c);
            assertArrayEquals(new float[] {9, 11, 21, 23}, b.copyToHostFloats(c));
        }
    }

    @Test
    void castToBf16RoundsToNearestEven() {
        try (Tensor f = b.fromFloats("f", new float[] {1f, 1.00390625f, 1.01171875f, -2f}, 4);
             Tensor h = b.zeros("h", DType.BF16, 4)) {
            b.cast(f, h);
            // 1+2^-8 is halfway between bf16 1.0 and 1+2^-7: even mantissa (1.0) wins; 1+3·2^-8 rounds up
            assertArrayEquals(new short[] {0x3f80, 0x3f80, 0x3f82, (short) 0xc000}, b.copyToHostBf16(h));
        }
    }
}
