package io.sparseretrain.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sparseretrain.core.BackendUnavailableException;
import io.sparseretrain.core.Backends;
import io.sparseretrain.core.spi.BackendProvider;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Discovery and availability; the "unavailable" checks run only on machines without an NVIDIA driver. */
class CudaProviderTest {
    @Test
    void foundByServiceLoaderWithNameAndPriority() {
        BackendProvider p = Backends.provider("cuda");
        assertTrue(p instanceof CudaBackendProvider, "provider 'cuda' is " + p.getClass());
        assertEquals(20, p.priority());
    }

    @Test
    void withoutDriverIsUnavailableWithReason() {
        assumeTrue(GpuAssumptions.machineHasNoNvidiaDriver(), "skipped: this machine has an NVIDIA driver");
        BackendProvider.Availability a = assertDoesNotThrow(() -> new CudaBackendProvider().availability());
        assertFalse(a.available(), "CUDA reported available on a machine without an NVIDIA driver");
        String reason = a.reason().toLowerCase(Locale.ROOT);
        assertTrue(reason.startsWith("cuda backend unavailable: "), a.reason());
        // e.g. "no CUDA driver (...)" or "cannot load .../libsparseretrain_cuda.so: libcublasLt.so.13: ..."
        assertTrue(reason.contains("driver") || reason.contains("librar") || reason.contains(".so"),
                "reason names neither the driver nor a library: " + a.reason());
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> Backends.create("cuda"));
        assertTrue(e.getMessage().contains("unavailable"), e.getMessage());
        assertThrows(BackendUnavailableException.class, () -> new CudaBackendProvider().create(0));
    }

    @Test
    void describeNeverThrowsAndReportsPresetAndBuild() {
        String d = assertDoesNotThrow(() -> new CudaBackendProvider().describe());
        assertTrue(d.startsWith("cuda: "), d);
        assertTrue(d.contains("\npreset: "), "no preset line in:\n" + d);
        if (GpuAssumptions.machineHasNoNvidiaDriver()) {
            // BUILD-NOTES: the preset needs libcuda.so.1; its UnsatisfiedLinkError must become the reason
            assertFalse(CudaPreset.status().loaded(), d);
            assertTrue(CudaPreset.status().detail().contains("did not load"), d);
        }
    }

    @Test
    void onGpuMachineIsAvailableAndDescribesTheDevice() {
        BackendProvider.Availability a = new CudaBackendProvider().availability();
        assumeTrue(a.available(), () -> "skipped: " + a.reason());
        String d = new CudaBackendProvider().describe();
        assertTrue(d.contains("sm_"), "no compute capability in:\n" + d);
        assertTrue(d.contains("driver="), "no driver version in:\n" + d);
        try (CudaBackend b = CudaBackend.create(0)) {
            assertEquals("cuda:0", b.device().toString());
        }
    }
}
