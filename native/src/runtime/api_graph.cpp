// api_graph.cpp — CUDA Graph capture of a context's stream (sparseretrain.h, "CUDA Graphs"): the
// argument and state checks run here on any machine; capture, instantiation and replay are the CUDA
// library's (device_ops.h, sr_device_ext_ops). Also the lookup of the extension table.
#include <new>
#include <string>
#include "runtime/api_support.h"

// The public handle: the context it was captured on (launch checks it) and the CUDA executable graph.
struct sr_graph {
    sr_context* ctx = nullptr;
    const sr_device_ext_ops* ext = nullptr;
    void* exec = nullptr;
};

const sr_device_ext_ops* sr_ctx_ext_ops(sr_context* ctx, const char* call) {
    if (ctx->ext != nullptr) return ctx->ext;
    if (ctx->kind == SR_DEVICE_HOST) {
        ctx->ext = sr_host_device_ext_ops();
    } else {
        std::string reason;
        ctx->ext = sr_load_cuda_ext_ops(&reason);
        if (ctx->ext == nullptr)
            sr_ctx_fail(ctx, SR_ERR_NOT_AVAILABLE, "%s: CUDA extension ops unavailable: %s", call, reason.c_str());
    }
    return ctx->ext;
}

namespace {

// Graphs need a CUDA context: SR_OK or SR_ERR_NOT_AVAILABLE naming the call; *ext on success.
sr_status graph_device(sr_context* ctx, const char* call, const sr_device_ext_ops** ext) {
    if (ctx->kind != SR_DEVICE_CUDA)
        return sr_ctx_fail(ctx, SR_ERR_NOT_AVAILABLE,
                           "%s: CUDA Graphs need a CUDA context; this is a host context (host ops run synchronously "
                           "as they are called: call the sequence directly)", call);
    *ext = sr_ctx_ext_ops(ctx, call);
    return *ext != nullptr ? SR_OK : SR_ERR_NOT_AVAILABLE;
}

}  // namespace

SR_EXPORT sr_status sr_graph_begin(sr_context* ctx) {
    const char* call = "sr_graph_begin";
    SR_CHECK_CTX(ctx, call);
    const sr_device_ext_ops* ext = nullptr;
    sr_status st = graph_device(ctx, call, &ext);
    if (st != SR_OK) return st;
    SR_REQUIRE(ctx, !ctx->capturing, SR_ERR_INVALID_ARGUMENT,
               "%s: a capture is already open on this context (call sr_graph_end first)", call);
    st = sr_ctx_result(ctx, call, ext->graph_begin(&ctx->env));
    if (st == SR_OK) ctx->capturing = true;
    return st;
}

SR_EXPORT sr_status sr_graph_end(sr_context* ctx, sr_graph** out) {
    const char* call = "sr_graph_end";
    SR_CHECK_CTX(ctx, call);
    SR_REQUIRE_PTR(ctx, call, out);
    *out = nullptr;
    const sr_device_ext_ops* ext = nullptr;
    sr_status st = graph_device(ctx, call, &ext);
    if (st != SR_OK) return st;
    SR_REQUIRE(ctx, ctx->capturing, SR_ERR_INVALID_ARGUMENT, "%s: no capture is open on this context (call "
               "sr_graph_begin first)", call);
    sr_graph* g = new (std::nothrow) sr_graph();
    // The capture ends here whatever happens next, so the stream is usable again.
    void* exec = nullptr;
    st = sr_ctx_result(ctx, call, ext->graph_end(&ctx->env, &exec));
    ctx->capturing = false;
    if (st != SR_OK) {
        delete g;
        return st;
    }
    if (g == nullptr) {
        ext->graph_destroy(exec);
        return sr_ctx_fail(ctx, SR_ERR_OUT_OF_MEMORY, "%s: out of host memory", call);
    }
    g->ctx = ctx;
    g->ext = ext;
    g->exec = exec;
    *out = g;
    return SR_OK;
}

SR_EXPORT sr_status sr_graph_launch(sr_context* ctx, sr_graph* g) {
    const char* call = "sr_graph_launch";
    SR_CHECK_CTX(ctx, call);
    SR_REQUIRE_PTR(ctx, call, g);
    const sr_device_ext_ops* ext = nullptr;
    sr_status st = graph_device(ctx, call, &ext);
    if (st != SR_OK) return st;
    SR_REQUIRE(ctx, g->ctx == ctx, SR_ERR_INVALID_ARGUMENT,
               "%s: the graph was captured on another context (%p, not %p)", call, (const void*)g->ctx,
               (const void*)ctx);
    SR_REQUIRE(ctx, !ctx->capturing, SR_ERR_INVALID_ARGUMENT,
               "%s: a capture is open on this context; end it before launching a graph", call);
    return sr_ctx_result(ctx, call, ext->graph_launch(&ctx->env, g->exec));
}

SR_EXPORT void sr_graph_destroy(sr_graph* g) {
    if (g == nullptr) return;
    if (g->exec != nullptr) g->ext->graph_destroy(g->exec);
    delete g;
}
