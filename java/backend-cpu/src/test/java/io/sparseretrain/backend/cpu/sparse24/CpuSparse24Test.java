package io.sparseretrain.backend.cpu.sparse24;

import io.sparseretrain.backend.cpu.CpuBackend;
import io.sparseretrain.core.Backend;
import io.sparseretrain.testkit.Sparse24Conformance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The 2:4 layer mode on the CPU backend, through the native host reference of sr_sparse_gemm. */
class CpuSparse24Test extends Sparse24Conformance {
    private CpuBackend cpu;

    @BeforeEach
    void open() {
        cpu = new CpuBackend();
    }

    @AfterEach
    void close() {
        cpu.close();
    }

    @Override
    protected Backend backend() {
        return cpu;
    }
}
