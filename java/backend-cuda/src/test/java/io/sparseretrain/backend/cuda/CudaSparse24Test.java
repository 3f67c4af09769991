package io.sparseretrain.backend.cuda;

import static io.sparseretrain.backend.cuda.GpuAssumptions.cudaOrSkip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.DType;
import io.sparseretrain.core.nn.KernelMode;
import io.sparseretrain.core.nn.Precision;
import io.sparseretrain.core.nn.Sparse24Runtime;
import io.sparseretrain.core.ops.SparseGemmOp;
import io.sparseretrain.testkit.Sparse24Conformance;
import io.sparseretrain.testkit.Sparse24Models;
import io.sparseretrain.testkit.Sparse24Training;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GPU only (skipped with the reason elsewhere): the 2:4 layer mode on cuSPARSELt — the conformance
 * equivalences of {@link Sparse24Conformance} on the device, 240 training steps tracking masked-dense
 * training, and device memory after 10,000 sparse steps within 1 MiB of after 100 (cudaMemGetInfo).
 */
class CudaSparse24Test extends Sparse24Conformance {
    private static final long MIB = 1 << 20;
    private CudaBackend cuda;

    @BeforeEach
    void open() {
        cuda = cudaOrSkip();
        String why = cuda.sparseGemm().orElseThrow().unsupportedReason(DType.BF16, 32, 64, 128, SparseGemmOp.FORWARD).orElse(null);
        if (why != null) {
            cuda.close();
            assumeTrue(false, "skipped: cuSPARSELt 2:4 GEMM unavailable here: " + why);
        }
    }

    @AfterEach
    void close() {
        if (cuda != null) cuda.close();
    }

    @Override
    protected Backend backend() {
        return cuda;
    }

    @Test
    void sparse24TrainingTracksMaskedDenseTrainingOnTheDevice() {
        Sparse24Training.Report r = Sparse24Training.compare(cuda, 240, 5);
        assertTrue(r.maxLossGap() <= Sparse24Training.LOSS_TOLERANCE, "loss gap " + r.maxLossGap() + " at step " + r.worstStep() + ": " + r);
        assertEquals(0, r.revivedWeights(), "pruned weights that became nonzero");
        assertEquals(r.plansAfterFirstStep(), r.plansAtEnd(), "plans created inside steps after the first");
    }

    @Test
    void tenThousandSparseStepsDoNotGrowDeviceMemory() {
        assumeTrue(CudaPreset.memoryInfo(0) != null,
                () -> "skipped: cudaMemGetInfo needs the org.bytedeco:cuda preset: " + CudaPreset.status().detail());
        try (Sparse24Models.Mlp m = Sparse24Models.mlp(cuda, 32, new int[] {64, 64, 64, 16}, true, 9)) {
            Sparse24Runtime rt = m.model().useKernels(KernelMode.SPARSE24, Precision.BF16, true);
            trainSteps(m, 100);
            cuda.synchronize();
            long after100 = CudaPreset.memoryInfo(0)[0];
            long plans = rt.plansCreated();
            trainSteps(m, 9_900);
            cuda.synchronize();
            long after10k = CudaPreset.memoryInfo(0)[0];
            assertTrue(after100 - after10k <= MIB, "free device memory fell by " + (after100 - after10k)
                    + " bytes between sparse step 100 and 10,000 (limit 1 MiB)");
            assertEquals(plans, rt.plansCreated(), "plans created after step 100");
        }
    }
}
