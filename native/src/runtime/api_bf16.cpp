// api_bf16.cpp — bf16 activations of the public C API (sparseretrain.h, "bf16 activations"):
// the same checks as sr_activation_fwd / _bwd, then the context's extension table.
#include "runtime/api_support.h"

namespace {

sr_status check_act(sr_context* ctx, const char* call, int32_t act, int64_t n) {
    SR_REQUIRE(ctx, act == SR_ACT_RELU || act == SR_ACT_GELU, SR_ERR_INVALID_ARGUMENT,
               "%s: activation %d is neither SR_ACT_RELU (0) nor SR_ACT_GELU (1)", call, act);
    SR_REQUIRE_NONNEG(ctx, call, n);
    return SR_OK;
}

}  // namespace

SR_EXPORT sr_status sr_activation_fwd_bf16(sr_context* ctx, int32_t act, const void* x, void* y, int64_t n) {
    const char* call = "sr_activation_fwd_bf16";
    SR_CHECK_CTX(ctx, call);
    sr_status st = check_act(ctx, call, act, n);
    if (st != SR_OK || n == 0) return st;
    SR_REQUIRE_PTR(ctx, call, x);
    SR_REQUIRE_PTR(ctx, call, y);
    const sr_device_ext_ops* ext = sr_ctx_ext_ops(ctx, call);
    if (ext == nullptr) return SR_ERR_NOT_AVAILABLE;
    return sr_ctx_result(ctx, call, ext->activation_fwd_bf16(&ctx->env, act, static_cast<const uint16_t*>(x),
                                                             static_cast<uint16_t*>(y), n));
}

SR_EXPORT sr_status sr_activation_bwd_bf16(sr_context* ctx, int32_t act, const void* x, const void* dy, void* dx,
                                           int64_t n) {
    const char* call = "sr_activation_bwd_bf16";
    SR_CHECK_CTX(ctx, call);
    sr_status st = check_act(ctx, call, act, n);
    if (st != SR_OK || n == 0) return st;
    SR_REQUIRE_PTR(ctx, call, x);
    SR_REQUIRE_PTR(ctx, call, dy);
    SR_REQUIRE_PTR(ctx, call, dx);
    const sr_device_ext_ops* ext = sr_ctx_ext_ops(ctx, call);
    if (ext == nullptr) return SR_ERR_NOT_AVAILABLE;
    return sr_ctx_result(ctx, call, ext->activation_bwd_bf16(&ctx->env, act, static_cast<const uint16_t*>(x),
                                                             static_cast<const uint16_t*>(dy),
                                                             static_cast<uint16_t*>(dx), n));
}
