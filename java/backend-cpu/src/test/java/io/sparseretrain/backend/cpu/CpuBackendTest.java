package io.sparseretrain.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.Backends;
import io.sparseretrain.core.DType;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.TensorStateException;
import io.sparseretrain.core.spi.BackendProvider;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** CPU-only behaviour: ND4J buffer sharing, deterministic close, provider discovery. */
class CpuBackendTest {

    @Test
    void nativeOpResultIsVisibleThroughTheNd4jArrayWithoutCopies() {
        try (CpuBackend b = new CpuBackend()) {
            CpuTensor w = (CpuTensor) b.fromFloats("w", new float[] {1f, -2f, 3f, -4f}, 2, 2);
            Tensor m = b.fromBytes("m", new byte[] {1, 0, 0, 1}, 2, 2);
            INDArray view = w.array();
            b.masks().apply(w, m); // native host op on the INDArray's own buffer
            assertEquals(1f, view.getFloat(0, 0), "kept (0,0) seen through ND4J");
            assertEquals(0f, view.getFloat(0, 1), "pruned (0,1) seen through ND4J");
            assertEquals(-4f, view.getFloat(1, 1), "kept (1,1) seen through ND4J");
            view.putScalar(0, 0, 7f); // and the other way round
            assertEquals(7f, b.copyToHostFloats(w)[0], "ND4J write seen by the backend");
            assertEquals(view.data().addressPointer().address(), w.pointer().address(), "same memory");
        }
    }

    @Test
    void closeIsIdempotentAndBackendCloseClosesOpenTensors() {
        CpuBackend b = new CpuBackend();
        Tensor a = b.zeros("a", DType.F32, 16);
        Tensor c = b.zeros("c", DType.U8, 16);
        a.close();
        a.close();
        assertTrue(a.isClosed(), "a closed");
        assertEquals(1, b.openTensorCount(), "open tensors after closing one of two");
        b.close();
        b.close();
        assertTrue(c.isClosed(), "closing the backend closes tensors still open");
        assertThrows(TensorStateException.class, () -> b.zeros("late", DType.F32, 1), "zeros on a closed backend");
    }

    @Test
    void providerIsFoundByServiceLoaderAndByProperty() {
        BackendProvider p = Backends.provider("cpu");
        assertEquals(CpuBackendProvider.class, p.getClass(), "ServiceLoader finds the cpu provider");
        assertTrue(p.availability().available(), "cpu available: " + p.availability().reason());
        assertTrue(p.describe().contains("nd4j.version"), "describe prints the ND4J version: " + p.describe());
        String old = System.getProperty(Backends.PROPERTY);
        System.setProperty(Backends.PROPERTY, "cpu");
        try (Backend b = Backends.createDefault()) {
            assertEquals("cpu", b.name(), "backend chosen by -D" + Backends.PROPERTY);
            assertSame(CpuBackend.class, b.getClass(), "backend class");
        } finally {
            if (old == null) System.clearProperty(Backends.PROPERTY);
            else System.setProperty(Backends.PROPERTY, old);
        }
    }
}
