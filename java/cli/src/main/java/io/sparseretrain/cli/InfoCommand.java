package io.sparseretrain.cli;

import io.sparseretrain.core.Backends;
import io.sparseretrain.core.spi.BackendProvider;
import io.sparseretrain.nativebridge.NativeLibrary;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code sparseretrain info}: versions, native build and machine, every backend with its availability. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Print library versions, the native build, this machine, and which backends can run here.")
final class InfoCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        out.println("sparseretrain " + VersionProvider.javaVersion());
        out.println("java: " + System.getProperty("java.vendor") + " " + System.getProperty("java.runtime.version"));
        out.println("os: " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors() + " cores, max heap "
                + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB");
        if (NativeLibrary.isLoaded()) {
            out.println("native.version: " + NativeLibrary.version());
            out.println("native.build: " + NativeLibrary.buildInfo());
            out.println("native.runtime: " + NativeLibrary.runtimeInfo().strip().replace("\n", "\n  "));
        } else {
            out.println("native: unavailable: " + NativeLibrary.loadError());
        }
        out.println("backends:");
        for (BackendProvider p : Backends.providers()) {
            out.println("  [" + p.name() + ", priority " + p.priority() + "]");
            for (String line : p.describe().split("\n")) out.println("  " + line);
        }
    }
}
