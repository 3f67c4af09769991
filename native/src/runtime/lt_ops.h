// lt_ops.h — the internal seam between the C API (runtime/api_sparse_gemm.cpp) and the cuSPARSELt
// component (cusparselt/, dlopen'ed as libsparseretrain_lt.so). Arguments arrive checked (dtype,
// op, shape rules, pointers, alignment); the component checks what needs the device (compute
// capability, the 2:4 pattern) and reports through env->error like the device ops.
//
// Per-context state: the core asks the component for an opaque state (the cuSPARSELt handle, made on
// the context's device) the first time a context needs it, keeps it in sr_context::lt_state and hands
// it back on every call; sr_context_destroy gives it back. No global map, no lock: the state lives and
// dies with its context (one thread at a time), and a cuSPARSELt handle is per device, as a context is.
#ifndef SR_LT_OPS_H
#define SR_LT_OPS_H

#include "runtime/device_ops.h"

// Bump when the table changes: the core refuses a component built against another layout.
// 2: set_search / last_search (algorithm search at plan creation).
#define SR_LT_OPS_ABI 2

struct sr_lt_ops {
    int32_t abi;
    // Creates the per-context state on env->ordinal; *state is owned by the component.
    sr_status (*context_init)(sr_env* env, void** state);
    void (*context_shutdown)(void* state);
    // Device-side rules (compute capability): SR_OK or SR_ERR_NOT_AVAILABLE with the reason in env->error.
    sr_status (*device_supported)(sr_env* env, void* state);
    sr_status (*plan_create)(sr_env* env, void* state, int32_t dtype, int64_t m, int64_t n, int64_t k, int32_t op,
                             void** plan);
    sr_status (*plan_compress)(sr_env* env, void* state, void* plan, const void* w_dense, int32_t check_pattern);
    sr_status (*plan_run)(sr_env* env, void* state, void* plan, const void* x, void* y, float alpha, float beta);
    void (*plan_destroy)(void* plan);
    // Search setting of this context's state: 0 = default algorithm; > 0 = plan_create runs
    // cusparseLtMatmulSearch with that many iterations per configuration (checked: 0..100).
    void (*set_search)(void* state, int32_t iterations);
    // What the last search on this state chose, one line ("none" before any).
    void (*last_search)(void* state, char* buf, size_t cap);
};

extern "C" {
// Exported by libsparseretrain_lt.so (looked up with dlsym).
const sr_lt_ops* sr_lt_ops_table(void);
}

#endif
