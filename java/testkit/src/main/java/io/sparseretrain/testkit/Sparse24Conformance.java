package io.sparseretrain.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.DType;
import io.sparseretrain.core.NativeCallException;
import io.sparseretrain.core.SparseRetrainException;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.TensorStateException;
import io.sparseretrain.core.nn.KernelMode;
import io.sparseretrain.core.nn.Model;
import io.sparseretrain.core.nn.Precision;
import io.sparseretrain.core.nn.Sparse24Runtime;
import io.sparseretrain.core.ops.SparseGemmOp;
import io.sparseretrain.core.ops.SparseGemmOps;
import io.sparseretrain.core.ops.SparseGemmPlan;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The 2:4 layer mode on one backend: Linear and Conv2d forward / dX / dW against plain Java on the
 * same integer data (exact: small integers make every fp32 sum exact and bf16 holds the operands; the
 * one bf16 rounding of a product is applied to the reference too), plan caching and compression counts,
 * per-layer fallbacks with their reasons, pattern and dtype refusals. Subclasses give the backend.
 */
public abstract class Sparse24Conformance {
    /** The backend under test (closed by the subclass). */
    protected abstract Backend backend();

    private SparseGemmOps ops() {
        return backend().sparseGemm().orElseThrow(() -> new AssertionError("backend " + backend().name() + " has no sparse GEMM"));
    }

    @Test
    void linearForwardInputGradAndWeightGradMatchTheMaskedDenseLayer() {
        // ReLU first: a model never computes its first layer's dX, and fc's dX is under test
        int batch = 16, in = 64, out = 32;
        try (Sparse24Models.Mlp m = Sparse24Models.reluLinear(backend(), batch, in, out, 11)) {
            Sparse24Runtime rt = m.model().useKernels(KernelMode.SPARSE24, Precision.BF16, true);
            Sparse24Models.Result got = m.step();
            assertEquals(2, rt.plansCreated(), "plans after step 1 (forward + input grad): " + rt.describe());
            assertEquals(2, rt.compressions(), "compressions after step 1");
            Sparse24Models.assertBitEquals(m.expectedY(), got.y(), "2:4 Linear forward");
            Sparse24Models.assertBitEquals(m.expectedDx(), got.dx(), "2:4 Linear dX");
            Sparse24Models.assertBitEquals(m.expectedDw(), got.dw(), "2:4 Linear dW (dense F32)");
            for (int i = 0; i < 3; i++) {
                m.model().weightsChanged();
                m.step();
            }
            assertEquals(2, rt.plansCreated(), "plans made inside later steps");
            assertEquals(8, rt.compressions(), "one compression per op per step");
            assertTrue(rt.fallbacks().isEmpty(), "unexpected fallbacks: " + rt.fallbacks());
        }
    }

    @Test
    void prepareKernelsMakesEveryPlanBeforeTheFirstStep() {
        int batch = 32, tail = 16;  // row counts the sparse GEMM takes (multiples of 16)
        try (Sparse24Models.Mlp m = Sparse24Models.reluLinear(backend(), batch, 64, 32, 18)) {
            Sparse24Runtime rt = m.model().useKernels(KernelMode.SPARSE24, Precision.BF16, true);
            m.model().prepareKernels(batch, tail, batch, 0);
            assertEquals(4, rt.plansCreated(), "forward + input grad for 32 and 16 rows: " + rt.describe());
            assertEquals(4, rt.compressions(), "each plan's first, pattern-checked compression happens in prepare");
            rt.capturing(true);  // from here a plan or a timing would be an error
            Sparse24Models.Result got = m.step();
            m.forwardOnly(tail);
            rt.capturing(false);
            assertEquals(4, rt.plansCreated(), "a step made a plan after prepare: " + rt.describe());
            assertEquals(4, rt.compressions(), "the weights did not change, so nothing was compressed again");
            Sparse24Models.assertBitEquals(m.expectedY(), got.y(), "2:4 forward after prepare (its scratch use overwritten)");
            Sparse24Models.assertBitEquals(m.expectedDx(), got.dx(), "2:4 dX after prepare");
        }
    }

    @Test
    void autoDecidesAtPrepareAndAShapeFirstSeenInACaptureIsNamed() {
        try (Sparse24Models.Mlp m = Sparse24Models.reluLinear(backend(), 16, 64, 32, 19)) {
            Sparse24Runtime rt = m.model().useKernels(KernelMode.AUTO, Precision.BF16, true);
            m.model().prepareKernels(16);
            assertTrue(rt.fallbacks().values().stream().anyMatch(r -> r.startsWith("auto:")), "no auto decision at prepare: " + rt.fallbacks());
            long plans = rt.plansCreated();
            rt.capturing(true);
            Sparse24Models.Result got = m.step();
            assertEquals(plans, rt.plansCreated());
            Sparse24Models.assertBitEquals(m.expectedY(), got.y(), "auto forward after prepare");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.forwardOnly(7));
            assertTrue(e.getMessage().contains("'fc'") && e.getMessage().contains("7 GEMM rows") && e.getMessage().contains("prepareKernels"),
                    e.getMessage());
            rt.capturing(false);
        }
    }

    @Test
    void autoTimesTheSparseSideWithItsPerStepRecompression() {
        RecordingGraphs counted = new RecordingGraphs(backend());
        try (Sparse24Models.Mlp m = Sparse24Models.reluLinear(counted, 16, 64, 32, 22)) {
            m.model().useKernels(KernelMode.AUTO, Precision.BF16, false);
            m.model().prepareKernels(16);
            // one pattern-checked compression, then one per timed sparse run (2 warm-up + 5 timed)
            assertEquals(8, counted.issued("SparseGemmPlan.compress"), "compressions while deciding the forward's shape");
            assertEquals(7, counted.issued("SparseGemmPlan.run"));
        }
    }

    @Test
    void aPlanTheLibraryRefusesFallsBackToDenseWithItsReason() {
        // a backend whose sparse GEMM accepts the shape by its rules but refuses to build the plan
        Backend inner = backend();
        SparseGemmOps refusing = (SparseGemmOps) java.lang.reflect.Proxy.newProxyInstance(SparseGemmOps.class.getClassLoader(),
                new Class<?>[] {SparseGemmOps.class}, (self, method, args) -> {
                    if (method.getName().equals("create")) {
                        throw new NativeCallException("sr_sparse_gemm_create", "SR_ERR_CUDA", "cusparseLtMatmulPlanInit refused", null, null);
                    }
                    return method.invoke(inner.sparseGemm().orElseThrow(), args);
                });
        Backend b = (Backend) java.lang.reflect.Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (self, method, args) -> method.getName().equals("sparseGemm") ? java.util.Optional.of(refusing) : method.invoke(inner, args));
        try (Sparse24Models.Mlp m = Sparse24Models.reluLinear(b, 16, 64, 32, 23)) {
            Sparse24Runtime rt = m.model().useKernels(KernelMode.SPARSE24, Precision.BF16, true);
            m.model().prepareKernels(16);
            Sparse24Models.Result got = m.step();
            assertEquals(0, rt.plansCreated());
            assertTrue(rt.fallbacks().getOrDefault("fc", "").contains("plan could not be made")
                    && rt.fallbacks().get("fc").contains("cusparseLtMatmulPlanInit refused"), rt.fallbacks().toString());
            Sparse24Models.assertBitEquals(m.expectedY(), got.y(), "the dense bf16 fallback's forward");
        }
    }

    @Test
    void prepareRefusesAMaskThatIsNot24NamingTheLayer() {
        try (Sparse24Models.Mlp m = Sparse24Models.reluLinear(backend(), 16, 64, 32, 20)) {
            m.unmask();
            m.model().useKernels(KernelMode.SPARSE24, Precision.BF16, false);
            SparseRetrainException e = assertThrows(SparseRetrainException.class, () -> m.model().prepareKernels(16));
            assertTrue(e.getMessage().contains("layer 'fc'") && e.getMessage().contains("SR_ERR_PATTERN"), e.getMessage());
        }
    }

    @Test
    void aLayerKeptDenseRunsDenseWithItsReasonInsteadOfFailingThePatternCheck() {
        try (Sparse24Models.Mlp m = Sparse24Models.reluLinear(backend(), 16, 64, 32, 21)) {
            m.unmask();  // not 2:4: a spec that keeps fc dense leaves it so
            Sparse24Runtime rt = m.model().useKernels(KernelMode.SPARSE24, Precision.BF16, true);
            rt.keepDense("fc.weight", "pruning.dense keeps it dense (not 2:4)");
            m.model().prepareKernels(16);
            m.forwardOnly();
            assertEquals(0, rt.plansCreated(), rt.describe().toString());
            assertTrue(rt.fallbacks().getOrDefault("fc", "").contains("pruning.dense keeps it dense"), rt.fallbacks().toString());
        }
    }

    @Test
    void convForwardAndInputGradMatchTheMaskedDenseLayer() {
        // Conv 16 -> 16 channels, 3x3, pad 1 on 6x6: GEMM rows 2*36 = 72, n 16, k 144 (all plan-able)
        try (Sparse24Models.Conv c = Sparse24Models.reluConv(backend(), 2, 6, 16, 16, 12)) {
            c.compareDenseAndSparse(KernelMode.SPARSE24);
        }
    }

    @Test
    void autoChoosesPerShapeAndStaysCorrect() {
        try (Sparse24Models.Conv c = Sparse24Models.reluConv(backend(), 2, 6, 16, 16, 13)) {
            Sparse24Runtime rt = c.compareDenseAndSparse(KernelMode.AUTO);
            assertTrue(rt.fallbacks().values().stream().anyMatch(r -> r.startsWith("auto:")), "no auto decision reported: " + rt.fallbacks());
        }
    }

    @Test
    void lenetWidthsFallBackToDensePerLayerWithTheReason() {
        try (Sparse24Models.Mlp m = Sparse24Models.lenet(backend(), 128, 14)) {
            Sparse24Runtime rt = m.model().useKernels(KernelMode.SPARSE24, Precision.BF16, false);
            m.forwardOnly();
            m.forwardOnly();  // the cached decision (dense) is taken again
            Map<String, String> why = rt.fallbacks();
            assertEquals(0, rt.plansCreated(), "plans for shapes that cannot take them: " + rt.describe());
            for (String layer : List.of("fc1", "fc2", "fc3")) {
                assertTrue(why.containsKey(layer) && why.get(layer).contains("multiple of 16"), layer + ": " + why);
            }
            assertTrue(why.get("fc1").contains("n = 300"), why.get("fc1"));
            assertTrue(why.get("fc3").contains("n = 10"), why.get("fc3"));
        }
    }

    @Test
    void weightsThatAreNot24AreRefusedWithTheReason() {
        try (Sparse24Models.Mlp m = Sparse24Models.reluLinear(backend(), 16, 64, 32, 15)) {
            m.unmask();
            m.model().useKernels(KernelMode.SPARSE24, Precision.BF16, false);
            SparseRetrainException e = assertThrows(SparseRetrainException.class, m::forwardOnly);
            assertTrue(e.getMessage().contains("fc") && e.getMessage().contains("2:4") && e.getMessage().contains("SR_ERR_PATTERN"),
                    e.getMessage());
        }
    }

    @Test
    void float32IsRefusedAsOneToTwo() {
        String why = ops().unsupportedReason(DType.F32, 32, 64, 128, SparseGemmOp.FORWARD).orElse("");
        assertTrue(why.contains("1:2") && why.contains("SR_BF16"), why);
        NativeCallException e = assertThrows(NativeCallException.class, () -> ops().create(DType.F32, 32, 64, 128, SparseGemmOp.FORWARD));
        assertEquals("SR_ERR_DTYPE", e.status());
        assertTrue(ops().unsupportedReason(DType.BF16, 32, 64, 128, SparseGemmOp.INPUT_GRAD).isEmpty());
    }

    @Test
    void planCloseIsIdempotentAndAClosedPlanIsRefused() {
        Backend b = backend();
        SparseGemmPlan p = ops().create(DType.BF16, 8, 16, 16, SparseGemmOp.FORWARD);
        try (Tensor w = b.zeros("w", DType.BF16, 16, 16); Tensor x = b.zeros("x", DType.BF16, 8, 16);
             Tensor y = b.zeros("y", DType.BF16, 8, 16)) {
            NativeCallException early = assertThrows(NativeCallException.class, () -> p.run(x, y, 1f, 0f));
            assertTrue(early.getMessage().contains("compress first"), early.getMessage());
            p.compress(w, true);
            p.run(x, y, 1f, 0f);
            p.close();
            p.close();
            assertTrue(p.isClosed());
            assertThrows(TensorStateException.class, () -> p.run(x, y, 1f, 0f));
        }
    }

    @Test
    void bf16PrecisionRoundsTheOperandsOfTheDenseGemms() {
        // W = 1.001 everywhere it is kept (bf16: 1.0), x = relu(0.999) (bf16: 1.0): the bf16 mode gives the
        // kept count exactly, the F32 mode does not
        int batch = 8, in = 64, out = 32;
        try (Sparse24Models.Mlp m = Sparse24Models.reluLinear(backend(), batch, in, out, 16)) {
            m.fill(1.001f, 0.999f);
            float[] f32 = m.step().y();
            m.model().useKernels(KernelMode.DENSE, Precision.BF16, false);
            Sparse24Models.Result got = m.step();
            float[] want = m.expectedY();  // Σ bf16(x)·bf16(w) in double, rounded to bf16 (exact here: small integers)
            Sparse24Models.assertBitEquals(want, got.y(), "bf16 dense forward");
            Sparse24Models.assertBitEquals(m.expectedDx(), got.dx(), "bf16 dense dX");
            Sparse24Models.assertBitEquals(m.expectedDw(), got.dw(), "bf16 dense dW");
            assertTrue(f32[0] != want[0], "the F32 forward equals the bf16 one (" + f32[0] + "): the test proves nothing");
        }
    }

    @Test
    void sparseKernelsInFloat32AreRefused() {
        try (Sparse24Models.Mlp m = Sparse24Models.reluLinear(backend(), 16, 64, 32, 17)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.model().useKernels(KernelMode.SPARSE24, Precision.FP32, true));
            assertTrue(e.getMessage().contains("1:2") && e.getMessage().contains("bf16"), e.getMessage());
        }
    }

    /** Used by the GPU memory test: n sparse training steps of a small 2:4 MLP. */
    protected static void trainSteps(Sparse24Models.Mlp m, int steps) {
        for (int i = 0; i < steps; i++) {
            m.step();
            m.sgd(0.01f);
        }
    }
}
