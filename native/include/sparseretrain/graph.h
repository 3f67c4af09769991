/*
 * sparseretrain/graph.h — CUDA Graph capture of a context's stream and its replay.
 * Part of the C API: sparseretrain.h includes every part and states the conventions they follow.
 */
#ifndef SPARSERETRAIN_GRAPH_H
#define SPARSERETRAIN_GRAPH_H

#include "sparseretrain/base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- CUDA Graphs
 * Records the work that ops issue on a CUDA context's stream between sr_graph_begin and sr_graph_end
 * (cudaStreamBeginCapture in thread-local mode: a call on this thread that is not stream-ordered —
 * a synchronization, a cudaMalloc, a copy to pageable host memory — fails the capture instead of
 * running), instantiates it, and replays it with sr_graph_launch at the cost of one launch.
 * Capturable: ops that return nothing to the host and allocate nothing — sr_cast, sr_apply_mask,
 * sr_memset_zero, sr_memcpy device-to-device, the optimizer steps, the layer kernels without a host
 * result, sr_gemm_f32, sr_activation_*_bf16, sr_sparse_gemm_run and sr_sparse_gemm_compress with
 * check_pattern = 0 (check_pattern = 1 synchronizes). NOT capturable: anything with a host result
 * (counts, selection, N:M masks and checks — their NaN pass synchronizes —, sr_softmax_xent,
 * sr_sum_squares, sr_compress_24), host copies, sr_malloc / sr_free, plan creation,
 * sr_context_synchronize. Run a sequence once uncaptured before capturing it so that workspaces have
 * grown (a first-use allocation inside a capture fails it). A workspace outgrown by a later op is kept
 * for the graphs that use it until the context is destroyed. A sparse-GEMM plan must outlive every
 * graph that captured it (the graph holds its buffers).
 * Scalars are frozen at capture: a replay runs with the pointers, sizes and values (learning rate,
 * AdamW's step and bias correction, alpha/beta) of the captured calls; replays read the CURRENT
 * contents of the buffers. Re-capture when a scalar changes, or keep the learning rate and step in the
 * buffers of the device-resident step scalars (sparseretrain/step_scalars.h: sr_*_step_dev), which replays follow.
 * A failed op inside a capture returns its error as usual and leaves the capture open. An op that CUDA
 * refused (a sync, an allocation) invalidated the capture: sr_graph_end ends it, discards it and returns
 * SR_ERR_CUDA. An op refused by our argument checks recorded nothing and the capture goes on without it:
 * check every status inside a capture.
 * Host contexts: every call returns SR_ERR_NOT_AVAILABLE (host ops run synchronously; there is
 * nothing to record). One capture per context at a time, begun and ended on the same thread (CUDA
 * requires it of a capture that is not in relaxed mode).
 */
typedef struct sr_graph sr_graph;

/* Starts capturing the context's stream. Error if a capture is already open on it. */
sr_status sr_graph_begin(sr_context* ctx);
/* Ends the capture and instantiates it into *out (NULL on failure). Error if none is open. */
sr_status sr_graph_end(sr_context* ctx, sr_graph** out);
/* Replays g on the context's stream (asynchronous). g must come from this context; no capture open. */
sr_status sr_graph_launch(sr_context* ctx, sr_graph* g);
/* Frees the graph, before its context; a replay still in flight completes first (CUDA frees it then).
 * NULL is a no-op. */
void sr_graph_destroy(sr_graph* g);

#ifdef __cplusplus
}
#endif

#endif /* SPARSERETRAIN_GRAPH_H */
