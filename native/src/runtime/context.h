// context.h — what an sr_context is inside the core library.
#ifndef SR_CONTEXT_H
#define SR_CONTEXT_H

#include <string>
#include "runtime/device_ops.h"
#include "runtime/lt_ops.h"

struct sr_context {
    int32_t kind = SR_DEVICE_HOST;
    const sr_device_ops* ops = nullptr;
    sr_env env;
    std::string last_error;
    const sr_lt_ops* lt = nullptr;  // cuSPARSELt component, loaded on the first sparse-GEMM call
    void* lt_state = nullptr;       // its per-context state (handle), freed by sr_context_destroy
    const sr_device_ext_ops* ext = nullptr;  // extension table, looked up on first use (runtime/api_graph.cpp)
    bool capturing = false;                  // between sr_graph_begin and sr_graph_end
};

// Thread-local last error for calls that have no context.
void sr_set_thread_error(const char* fmt, ...);

// Loads libsparseretrain_cuda.so (beside this library, or $SPARSERETRAIN_CUDA_LIBRARY) once.
// Returns null and fills reason when it cannot be loaded.
const sr_device_ops* sr_load_cuda_ops(std::string* reason);
sr_cuda_probe_fn sr_load_cuda_probe(std::string* reason);
// The cuSPARSELt component's probe ("cusparselt=0.8.1 handle=ok" or the reason).
typedef sr_status (*sr_lt_probe_fn)(char* buf, size_t cap);
sr_lt_probe_fn sr_load_lt_probe(std::string* reason);
// The cuSPARSELt component's op table (libsparseretrain_lt.so or $SPARSERETRAIN_LT_LIBRARY), or null
// with the reason.
const sr_lt_ops* sr_load_lt_ops(std::string* reason);
// The CUDA library's extension table (same ABI check), or null with the reason.
const sr_device_ext_ops* sr_load_cuda_ext_ops(std::string* reason);
// ctx->ext, looked up on first use (host: the host table; CUDA: the CUDA library's), or null with a
// message on ctx naming call.
const sr_device_ext_ops* sr_ctx_ext_ops(sr_context* ctx, const char* call);

#endif
