// api_sparse_gemm_search.cpp — the algorithm-search setting of sparse-GEMM plans (sparseretrain.h,
// "sparse-GEMM algorithm search"). Kept apart from api_sparse_gemm.cpp (changed on another branch);
// the setting lives in the cuSPARSELt component's per-context state, which plan_create reads, so the
// default path of sr_sparse_gemm_create is unchanged.
#include <cstring>
#include <string>
#include "runtime/api_support.h"

namespace {

const int32_t kMaxIterations = 100;

// As api_sparse_gemm.cpp's ensure_lt: the component loaded and the context's state made once.
sr_status lt_for(sr_context* ctx, const char* call) {
    if (ctx->kind != SR_DEVICE_CUDA)
        return sr_ctx_fail(ctx, SR_ERR_NOT_AVAILABLE,
                           "%s: 2:4 sparse GEMM runs on cuSPARSELt and needs a CUDA context; this is a host context",
                           call);
    if (ctx->lt == nullptr) {
        std::string reason;
        const sr_lt_ops* lt = sr_load_lt_ops(&reason);
        if (lt == nullptr)
            return sr_ctx_fail(ctx, SR_ERR_NOT_AVAILABLE, "%s: cuSPARSELt component unavailable: %s", call,
                               reason.c_str());
        ctx->lt = lt;
    }
    if (ctx->lt_state == nullptr) return sr_ctx_result(ctx, call, ctx->lt->context_init(&ctx->env, &ctx->lt_state));
    return SR_OK;
}

}  // namespace

SR_EXPORT sr_status sr_sparse_gemm_set_search(sr_context* ctx, int32_t iterations) {
    const char* call = "sr_sparse_gemm_set_search";
    SR_CHECK_CTX(ctx, call);
    SR_REQUIRE(ctx, iterations >= 0 && iterations <= kMaxIterations, SR_ERR_INVALID_ARGUMENT,
               "%s: iterations = %d is outside [0, %d] (0 = default algorithm, no search)", call, iterations,
               kMaxIterations);
    sr_status st = lt_for(ctx, call);
    if (st != SR_OK) return st;
    ctx->lt->set_search(ctx->lt_state, iterations);
    return SR_OK;
}

SR_EXPORT sr_status sr_sparse_gemm_last_search(sr_context* ctx, char* buf, size_t cap) {
    const char* call = "sr_sparse_gemm_last_search";
    SR_CHECK_CTX(ctx, call);
    SR_REQUIRE(ctx, buf != nullptr && cap > 0, SR_ERR_INVALID_ARGUMENT, "%s: buffer is NULL or has capacity 0",
               call);
    buf[0] = '\0';
    sr_status st = lt_for(ctx, call);
    if (st != SR_OK) return st;
    ctx->lt->last_search(ctx->lt_state, buf, cap);
    return SR_OK;
}
