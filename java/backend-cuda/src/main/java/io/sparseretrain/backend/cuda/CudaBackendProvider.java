package io.sparseretrain.backend.cuda;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.BackendUnavailableException;
import io.sparseretrain.core.spi.BackendProvider;
import io.sparseretrain.nativebridge.NativeLibrary;

/**
 * ServiceLoader entry of the CUDA backend ("cuda", priority 20: chosen over cpu when a GPU is
 * usable). Loads no native code until {@link #availability()} is asked, and never throws there.
 */
public final class CudaBackendProvider implements BackendProvider {
    public static final String NAME = "cuda";
    public static final int PRIORITY = 20;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public Availability availability() {
        try {
            String err = NativeLibrary.loadError();
            if (err != null) return Availability.no("CUDA backend unavailable: " + err);
            if (NativeLibrary.cudaDeviceCount() == 0) {
                return Availability.no("CUDA backend unavailable: " + NativeLibrary.runtimeInfo());
            }
            return Availability.yes();
        } catch (Throwable t) { // a broken install must read as "unavailable", never crash discovery
            return Availability.no("CUDA backend unavailable: " + t);
        }
    }

    @Override
    public Backend create(int ordinal) {
        Availability a = availability();
        if (!a.available()) throw new BackendUnavailableException(a.reason());
        return CudaBackend.create(ordinal);
    }

    @Override
    public String describe() {
        return CudaInfo.describe(availability());
    }
}
