package io.sparseretrain.nativebridge;

/**
 * A CUDA Graph of the work a {@link NativeContext}'s ops issue between {@link #capture} start and
 * end (sparseretrain.h, {@code sr_graph_*}), replayed with {@link #launch()} at the cost of one
 * launch. Replays use the pointers and host scalars of the captured calls and the CURRENT contents of
 * the buffers: put changing values (the learning rate: optim.DeviceStepScalars) in buffers.
 * Closed exactly once (idempotent), before its context. Failures throw NativeCallException carrying
 * the context's last error; host contexts refuse with the library's reason (nothing to record there).
 */
public final class CudaGraph implements AutoCloseable {
    private final NativeContext ctx;
    private SrNative.sr_graph graph;

    private CudaGraph(NativeContext ctx, SrNative.sr_graph graph) {
        this.ctx = ctx;
        this.graph = graph;
    }

    /**
     * Captures what {@code body} issues on {@code ctx}'s stream. Run the same work once uncaptured
     * first (workspaces grow on first use, and an allocation inside a capture fails it). If {@code body}
     * throws, the capture is ended and discarded and the exception propagates.
     */
    public static CudaGraph capture(NativeContext ctx, Runnable body) {
        ctx.check(SrNative.sr_graph_begin(ctx.handle()), "sr_graph_begin");
        SrNative.sr_graph g = new SrNative.sr_graph();
        try {
            body.run();
        } catch (RuntimeException | Error e) {
            int st = SrNative.sr_graph_end(ctx.handle(), g);  // ends the capture so the context stays usable
            if (st == SrNative.SR_OK && !g.isNull()) SrNative.sr_graph_destroy(g);
            throw e;
        }
        ctx.check(SrNative.sr_graph_end(ctx.handle(), g), "sr_graph_end");
        return new CudaGraph(ctx, g);
    }

    /** Replays the graph on the context's stream (asynchronous). */
    public void launch() {
        if (graph == null) throw new IllegalStateException("CUDA graph is closed");
        ctx.check(SrNative.sr_graph_launch(ctx.handle(), graph), "sr_graph_launch");
    }

    public boolean isClosed() {
        return graph == null;
    }

    @Override
    public void close() {
        if (graph == null) return;
        SrNative.sr_graph_destroy(graph);
        graph = null;
    }
}
