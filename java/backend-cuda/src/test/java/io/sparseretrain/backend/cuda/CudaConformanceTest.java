package io.sparseretrain.backend.cuda;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.spi.BackendProvider;
import io.sparseretrain.testkit.BackendConformanceSuite;

/** The shared conformance suite on the CUDA backend; every test skips with the reason where CUDA is unavailable. */
class CudaConformanceTest extends BackendConformanceSuite {
    private final CudaBackendProvider provider = new CudaBackendProvider();

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
