package io.sparseretrain.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparseretrain.core.DType;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.ops.NnOps;
import io.sparseretrain.core.ops.XentAccumulator;
import io.sparseretrain.core.ops.XentResult;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The accumulating softmax cross-entropy (sr_softmax_xent_acc, what a graphed training step calls) on
 * the CPU backend, i.e. the host reference: over N batches the accumulator holds exactly the loss sum
 * and correct count the per-step path returns (what the Trainer sums), dlogits are bit-identical, and
 * a bad label / NaN logit sets the sticky flags instead of throwing. GPU: CudaGraphStepTest.
 */
class XentAccumulatorTest {
    private static final int CLASSES = 10;

    @Test
    void accumulatedLossAndAccuracyEqualThePerStepPath() {
        try (CpuBackend b = new CpuBackend(); XentAccumulator acc = new XentAccumulator(b)) {
            Random r = new Random(11);
            double lossSum = 0;
            long correct = 0, rows = 0;
            for (int n : new int[] {32, 32, 7, 32, 1, 32}) {
                float[] z = new float[n * CLASSES];
                for (int i = 0; i < z.length; i++) z[i] = (float) (3 * r.nextGaussian());
                int[] y = new int[n];
                for (int i = 0; i < n; i++) y[i] = r.nextInt(CLASSES);
                try (Tensor logits = b.zeros("logits", DType.F32, z.length); Tensor labels = b.zeros("labels", DType.I32, n);
                     Tensor d1 = b.zeros("d1", DType.F32, z.length); Tensor d2 = b.zeros("d2", DType.F32, z.length)) {
                    b.copyFromHost(z, logits);
                    b.copyFromHost(y, labels);
                    XentResult step = b.nn().softmaxCrossEntropy(logits, labels, n, CLASSES, 1f / n, d1);
                    b.nn().softmaxCrossEntropyAcc(logits, labels, n, CLASSES, 1f / n, d2, acc.tensor());
                    assertArrayEquals(b.copyToHostFloats(d1), b.copyToHostFloats(d2), "dlogits");
                    lossSum += step.lossSum();
                    correct += step.correct();
                    rows += n;
                }
            }
            XentAccumulator.Totals t = acc.read();
            assertEquals(lossSum, t.lossSum(), 0.0, "loss sum");
            assertEquals(correct, t.correct());
            assertEquals(rows, t.rows());
            assertEquals(0, t.error());
            acc.zero();
            assertEquals(new XentAccumulator.Totals(0, 0, 0, 0), acc.read());
        }
    }

    @Test
    void aBadLabelAndANanLogitSetStickyFlagsInsteadOfThrowing() {
        try (CpuBackend b = new CpuBackend(); XentAccumulator acc = new XentAccumulator(b);
             Tensor logits = b.zeros("logits", DType.F32, 3 * CLASSES); Tensor labels = b.zeros("labels", DType.I32, 3)) {
            float[] z = new float[3 * CLASSES];
            z[2 * CLASSES + 4] = Float.NaN;
            b.copyFromHost(z, logits);
            b.copyFromHost(new int[] {1, CLASSES, 2}, labels);
            b.nn().softmaxCrossEntropyAcc(logits, labels, 3, CLASSES, 1f, null, acc.tensor());
            XentAccumulator.Totals t = acc.read();
            assertEquals(XentAccumulator.BAD_LABEL | XentAccumulator.NONFINITE, t.error());
            assertEquals(1, t.rows());
            assertEquals(Math.log(CLASSES), t.lossSum(), 1e-6);
        }
    }

    @Test
    void aWrongSizedAccumulatorIsRefused() {
        try (CpuBackend b = new CpuBackend(); Tensor logits = b.zeros("logits", DType.F32, CLASSES);
             Tensor labels = b.zeros("labels", DType.I32, 1); Tensor small = b.zeros("small", DType.U8, 16)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> b.nn().softmaxCrossEntropyAcc(logits, labels, 1, CLASSES, 1f, null, small));
            assertTrue(e.getMessage().contains("sr_xent_acc is 32"), e.getMessage());
        }
    }

    @Test
    void backendsWithoutTheOpSaySo() {
        InvocationHandler h = (proxy, m, args) -> {
            if (m.isDefault()) return InvocationHandler.invokeDefault(proxy, m, args);
            throw new AssertionError("not called: " + m.getName());
        };
        NnOps ops = (NnOps) Proxy.newProxyInstance(NnOps.class.getClassLoader(), new Class<?>[] {NnOps.class}, h);
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> ops.softmaxCrossEntropyAcc(null, null, 1, 1, 1f, null, null));
        assertTrue(e.getMessage().contains("sr_softmax_xent_acc"), e.getMessage());
    }
}
