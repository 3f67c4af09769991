package io.sparseretrain.backend.cuda;

import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.Loader;

/**
 * Whether the org.bytedeco:cuda preset (built for CUDA 13.3) loads against this machine's CUDA
 * runtime, decided once. Loading its classes needs libcuda.so.1 and throws UnsatisfiedLinkError
 * without a driver, so nothing here runs at class-load time of the backend and every Throwable is
 * kept as the reason.
 */
final class CudaPreset {
    /** loaded: cudart + cublas JNI glue linked; detail: versions, or why not. */
    record Status(boolean loaded, String detail) {}

    private static volatile Status status;

    private CudaPreset() {}

    static Status status() {
        Status s = status;
        if (s == null) {
            synchronized (CudaPreset.class) {
                if (status == null) status = probe();
                s = status;
            }
        }
        return s;
    }

    private static Status probe() {
        try {
            Loader.load(cudart.class);
            Loader.load(cublas.class);
            int[] driver = new int[1];
            int[] runtime = new int[1];
            int e1 = cudart.cudaDriverGetVersion(driver);
            int e2 = cudart.cudaRuntimeGetVersion(runtime);
            if (e1 != cudart.cudaSuccess || e2 != cudart.cudaSuccess) {
                return new Status(false, "org.bytedeco:cuda loaded but cudaDriverGetVersion=" + e1
                        + " cudaRuntimeGetVersion=" + e2);
            }
            return new Status(true, "org.bytedeco:cuda loaded (driver " + version(driver[0]) + ", runtime "
                    + version(runtime[0]) + ")");
        } catch (Throwable t) { // UnsatisfiedLinkError without libcuda.so.1 or with a runtime too old for 13.3
            return new Status(false, "org.bytedeco:cuda did not load: " + t);
        }
    }

    /** 13000 -> "13.0". */
    static String version(int v) {
        return v / 1000 + "." + (v % 1000) / 10;
    }

    /** Free and total bytes of the current device (cudaMemGetInfo), or null where the preset is not loaded. */
    static long[] memoryInfo(int ordinal) {
        if (!status().loaded()) return null;
        try (org.bytedeco.javacpp.SizeTPointer free = new org.bytedeco.javacpp.SizeTPointer(1);
             org.bytedeco.javacpp.SizeTPointer total = new org.bytedeco.javacpp.SizeTPointer(1)) {
            if (cudart.cudaSetDevice(ordinal) != cudart.cudaSuccess) return null;
            if (cudart.cudaMemGetInfo(free, total) != cudart.cudaSuccess) return null;
            return new long[] {free.get(), total.get()};
        }
    }
}
