package io.sparseretrain.backend.cpu;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.BackendUnavailableException;
import io.sparseretrain.core.spi.BackendProvider;
import io.sparseretrain.nativebridge.NativeContext;
import io.sparseretrain.nativebridge.NativeLibrary;
import java.util.Properties;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The "cpu" backend (priority 10): ND4J plus the native host ops. Loading this class touches no
 * native code; {@link #availability()} probes once and keeps the answer.
 */
public final class CpuBackendProvider implements BackendProvider {
    public static final String NAME = "cpu";
    private static volatile Availability cached;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 10;
    }

    @Override
    public Availability availability() {
        Availability a = cached;
        if (a == null) {
            a = probe();
            cached = a;
        }
        return a;
    }

    /** Loads ND4J and the native library and opens a host context; any Throwable becomes the reason. */
    private static Availability probe() {
        try {
            String err = NativeLibrary.loadError();
            if (err != null) return Availability.no(err);
            try (INDArray one = Nd4j.ones(DataType.FLOAT, 1)) {
                if (one.getFloat(0) != 1f) return Availability.no("ND4J returned a wrong value for a 1-element array");
            }
            try (NativeContext ctx = NativeContext.create(NativeContext.HOST, 0)) {
                return Availability.yes();
            }
        } catch (Throwable t) {
            return Availability.no("cannot start ND4J or the native host context: " + t);
        }
    }

    @Override
    public Backend create(int ordinal) {
        if (ordinal != 0) throw new BackendUnavailableException("cpu backend: device ordinal " + ordinal + " does not exist (only 0)");
        Availability a = availability();
        if (!a.available()) throw new BackendUnavailableException("cpu backend unavailable: " + a.reason());
        return new CpuBackend();
    }

    @Override
    public String describe() {
        Availability a = availability();
        StringBuilder sb = new StringBuilder();
        sb.append("cpu: ").append(a.available() ? "available" : "unavailable: " + a.reason()).append('\n');
        if (!a.available()) return sb.toString().strip();
        try {
            sb.append("nd4j.version: ").append(nd4jVersion()).append('\n');
            Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
            for (String key : new String[] {"backend", "blas.vendor", "omp.threads", "cores"}) {
                Object v = env.get(key);
                if (v != null) sb.append("nd4j.").append(key).append(": ").append(v).append('\n');
            }
            sb.append("native.build: ").append(NativeLibrary.buildInfo());
        } catch (Throwable t) {
            sb.append("details unavailable: ").append(t);
        }
        return sb.toString().strip();
    }

    private static String nd4jVersion() {
        // pom.properties first: in the CLI's shaded jar the manifest version is ours, not ND4J's.
        try (var in = Nd4j.class.getResourceAsStream("/META-INF/maven/org.nd4j/nd4j-api/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null) return v;
            }
        } catch (Exception e) {
            // fall through to the manifest
        }
        String v = Nd4j.class.getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }
}
