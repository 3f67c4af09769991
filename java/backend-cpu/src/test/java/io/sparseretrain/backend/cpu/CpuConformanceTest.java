package io.sparseretrain.backend.cpu;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.spi.BackendProvider;
import io.sparseretrain.testkit.BackendConformanceSuite;

/** The conformance suite on the CPU backend (ND4J + native host ops). */
class CpuConformanceTest extends BackendConformanceSuite {
    private final CpuBackendProvider provider = new CpuBackendProvider();

    @Override
    protected Backend createBackend() {
        return provider.create(0);
    }

    @Override
    protected String unavailableReason() {
        BackendProvider.Availability a = provider.availability();
        return a.available() ? null : a.reason();
    }
}
