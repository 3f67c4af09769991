package io.sparseretrain.core.ops;

/**
 * CUDA Graph capture of the ops a backend issues on its stream (sparseretrain.h, {@code sr_graph_*}),
 * offered by the CUDA backend only ({@link io.sparseretrain.core.Backend#stepGraphs()}). A replay uses
 * the captured pointers and host scalars and the CURRENT buffer contents.
 */
public interface StepGraphs {
    /** Captures (does not run) what {@code body} issues; the body's host-side effects happen once, now. */
    Captured capture(Runnable body);

    /** One instantiated graph; closed exactly once, before its backend. */
    interface Captured extends AutoCloseable {
        /** Replays the graph on the backend's stream (asynchronous). */
        void launch();

        @Override
        void close();
    }
}
