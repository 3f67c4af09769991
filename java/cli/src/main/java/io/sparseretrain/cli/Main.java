package io.sparseretrain.cli;

import io.sparseretrain.core.SparseRetrainException;
import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point of {@code sparseretrain}; the only place that calls System.exit. */
public final class Main {
    /** Exit code of user errors (bad option, unavailable backend, invalid value). */
    public static final int USER_ERROR = 2;

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line and returns its exit code; user errors print one message, no stack trace. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new SparseRetrainCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            if (ex instanceof SparseRetrainException || ex instanceof IllegalArgumentException) {
                line.getErr().println("error: " + ex.getMessage());
                return USER_ERROR;
            }
            throw ex;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("error: " + ex.getMessage());
            ex.getCommandLine().getErr().println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return USER_ERROR;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }
}
