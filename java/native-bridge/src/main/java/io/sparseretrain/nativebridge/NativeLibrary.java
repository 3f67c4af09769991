package io.sparseretrain.nativebridge;

import org.bytedeco.javacpp.Loader;

/**
 * Loads libsparseretrain (and its JNI glue) once, never throwing at class-load time: a failure is
 * kept as the reason the native backends are unavailable.
 */
public final class NativeLibrary {
    private static final String LOAD_ERROR = tryLoad();

    private NativeLibrary() {}

    private static String tryLoad() {
        try {
            Loader.load(SrNative.class);
            return null;
        } catch (Throwable t) {
            return "cannot load the SparseRetrain native library: " + t;
        }
    }

    /** Null when loaded, else why not. */
    public static String loadError() {
        return LOAD_ERROR;
    }

    public static boolean isLoaded() {
        return LOAD_ERROR == null;
    }

    /** Throws an IllegalStateException with the reason when the library did not load. */
    public static void require() {
        if (LOAD_ERROR != null) throw new IllegalStateException(LOAD_ERROR);
    }

    /** Library version, e.g. "0.1.0". */
    public static String version() {
        require();
        return SrNative.sr_version().getString();
    }

    /** What the library was built with (sr_build_info): version, CUDA, archs, cuBLAS, cuSPARSELt. */
    public static String buildInfo() {
        require();
        byte[] buf = new byte[1024];
        SrNative.sr_build_info(buf, buf.length);
        return cString(buf);
    }

    /** What this machine has (sr_runtime_info): driver, devices, cuSPARSELt handle — or the reason none. */
    public static String runtimeInfo() {
        require();
        byte[] buf = new byte[8192];
        SrNative.sr_runtime_info(buf, buf.length);
        return cString(buf);
    }

    /** Usable CUDA devices (0 without driver or GPU). */
    public static int cudaDeviceCount() {
        require();
        int[] n = new int[1];
        SrNative.sr_cuda_device_count(n);
        return n[0];
    }

    static String cString(byte[] buf) {
        int n = 0;
        while (n < buf.length && buf[n] != 0) n++;
        return new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8);
    }
}
