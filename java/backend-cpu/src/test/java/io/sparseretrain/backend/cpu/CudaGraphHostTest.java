package io.sparseretrain.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparseretrain.core.NativeCallException;
import io.sparseretrain.nativebridge.CudaGraph;
import io.sparseretrain.nativebridge.NativeContext;
import org.junit.jupiter.api.Test;

/** The CudaGraph facade on a host context: refused with the library's reason, the body never runs. */
class CudaGraphHostTest {
    @Test
    void captureOnAHostContextIsRefusedWithTheReason() {
        try (NativeContext ctx = NativeContext.create(NativeContext.HOST, 0)) {
            boolean[] ran = {false};
            NativeCallException e = assertThrows(NativeCallException.class, () -> CudaGraph.capture(ctx, () -> ran[0] = true));
            assertEquals("sr_graph_begin", e.call());
            assertEquals("SR_ERR_NOT_AVAILABLE", e.status());
            assertTrue(e.getMessage().contains("CUDA Graphs need a CUDA context"), e.getMessage());
            assertFalse(ran[0], "the body must not run when the capture did not start");
        }
    }
}
