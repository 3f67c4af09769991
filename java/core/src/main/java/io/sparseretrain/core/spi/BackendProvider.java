package io.sparseretrain.core.spi;

import io.sparseretrain.core.Backend;

/**
 * Service-provider interface of a backend, found with {@link java.util.ServiceLoader}. A provider
 * must load without touching native code: {@link #availability()} is where it probes, and it never
 * throws.
 */
public interface BackendProvider {
    /** "cpu", "cuda". */
    String name();

    /** Higher wins when no backend is named. */
    int priority();

    /** Whether this backend can run here, and if not, why. Never throws. */
    Availability availability();

    /** Creates the backend on device {@code ordinal}; throws BackendUnavailableException with the reason. */
    Backend create(int ordinal);

    /** Versions, devices and built components, one "key: value" line each, for {@code info}. */
    default String describe() {
        Availability a = availability();
        return name() + ": " + (a.available() ? "available" : "unavailable: " + a.reason());
    }

    record Availability(boolean available, String reason) {
        public static Availability yes() {
            return new Availability(true, "");
        }

        public static Availability no(String reason) {
            return new Availability(false, reason);
        }
    }
}
