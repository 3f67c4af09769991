package io.sparseretrain.backend.cpu.sparse24;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparseretrain.backend.cpu.CpuBackend;
import io.sparseretrain.testkit.Sparse24Training;
import org.junit.jupiter.api.Test;

/**
 * 200+ SGD steps of a 2:4 MLP in sparse24 mode track the same model trained with dense F32 kernels on
 * the same masked weights (see {@link Sparse24Training} for the tolerance and why).
 */
class CpuSparse24TrainingTest {
    @Test
    void sparse24TrainingTracksMaskedDenseTraining() {
        try (CpuBackend cpu = new CpuBackend()) {
            Sparse24Training.Report r = Sparse24Training.compare(cpu, 240, 5);
            assertTrue(r.maxLossGap() <= Sparse24Training.LOSS_TOLERANCE,
                    "loss gap " + r.maxLossGap() + " at step " + r.worstStep() + " over " + r.steps() + " steps: " + r);
            assertTrue(r.finalSparseLoss() < 0.5 * r.firstSparseLoss(), "2:4 training did not learn: " + r);
            assertEquals(0, r.revivedWeights(), "pruned weights that became nonzero");
            assertEquals(r.plansAfterFirstStep(), r.plansAtEnd(), "plans created inside steps after the first");
            assertEquals((long) r.steps() * r.sparseOps(), r.compressions(), "one compression per op per step (3 forward + 3 dX): " + r);
        }
    }
}
