package io.sparseretrain.cli;

import io.sparseretrain.nativebridge.NativeLibrary;
import picocli.CommandLine.IVersionProvider;

/** "sparseretrain 0.1.0 (native …)" for --version. */
final class VersionProvider implements IVersionProvider {
    static String javaVersion() {
        String v = VersionProvider.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }

    @Override
    public String[] getVersion() {
        String nat = NativeLibrary.isLoaded() ? NativeLibrary.version() : "not loaded";
        return new String[] {"sparseretrain " + javaVersion() + " (native library " + nat + ")"};
    }
}
