package io.sparseretrain.core;

import io.sparseretrain.core.spi.BackendProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * Finds backends with {@link ServiceLoader}. The one used by default is named by the system property
 * {@code sparseretrain.backend} or the environment variable {@code SPARSERETRAIN_BACKEND}
 * ("cpu", "cuda", or "cuda:1" for a device ordinal); otherwise the available provider of highest
 * priority.
 */
public final class Backends {
    public static final String PROPERTY = "sparseretrain.backend";
    public static final String ENV = "SPARSERETRAIN_BACKEND";

    private Backends() {}

    /** All providers on the class path, highest priority first. */
    public static List<BackendProvider> providers() {
        List<BackendProvider> list = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class).forEach(list::add);
        list.sort(Comparator.comparingInt(BackendProvider::priority).reversed().thenComparing(BackendProvider::name));
        return list;
    }

    /** The provider called {@code name}, or BackendUnavailableException listing the known ones. */
    public static BackendProvider provider(String name) {
        List<BackendProvider> all = providers();
        for (BackendProvider p : all) {
            if (p.name().equalsIgnoreCase(name)) return p;
        }
        List<String> names = all.stream().map(BackendProvider::name).toList();
        throw new BackendUnavailableException("no backend named '" + name + "' on the class path (found " + names + ")");
    }

    /** Creates the named backend ("cpu", "cuda", "cuda:1"); the exception carries the reason it cannot run. */
    public static Backend create(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        int colon = s.indexOf(':');
        String name = colon < 0 ? s : s.substring(0, colon);
        int ordinal = 0;
        if (colon >= 0) {
            try {
                ordinal = Integer.parseInt(s.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new BackendUnavailableException("backend '" + spec + "': device ordinal '" + s.substring(colon + 1)
                        + "' is not a number");
            }
        }
        BackendProvider p = provider(name);
        BackendProvider.Availability a = p.availability();
        if (!a.available()) throw new BackendUnavailableException(p.name() + " backend unavailable: " + a.reason());
        return p.create(ordinal);
    }

    /** The configured backend (property, environment), or the best available one. */
    public static Backend createDefault() {
        String spec = System.getProperty(PROPERTY);
        if (spec == null || spec.isBlank()) spec = System.getenv(ENV);
        if (spec != null && !spec.isBlank()) return create(spec);
        StringBuilder reasons = new StringBuilder();
        for (BackendProvider p : providers()) {
            BackendProvider.Availability a = p.availability();
            if (a.available()) return p.create(0);
            reasons.append("\n  ").append(p.name()).append(": ").append(a.reason());
        }
        throw new BackendUnavailableException("no backend is available:" + reasons);
    }
}
