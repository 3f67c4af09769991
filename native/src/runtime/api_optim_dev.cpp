// api_optim_dev.cpp — the "device-resident step scalars" calls of the public C API: the checks of the
// host-scalar steps (runtime/optim_checks.h) plus those of the scalar struct, then the device's
// implementation through the extension table (host: host/optim_dev.cpp; CUDA: cuda/optim_dev.cu).
// The VALUES in s and the LR table are not checked here: reading device memory would synchronize and
// break capture (sparseretrain.h says the caller checks the table when it builds it).
#include <cstdint>
#include "runtime/api_support.h"
#include "runtime/optim_checks.h"

namespace {

// A misaligned struct would fault inside the kernel, long after the call returned OK.
sr_status check_scalars(sr_context* ctx, const char* call, const sr_step_scalars* s) {
    SR_REQUIRE_PTR(ctx, call, s);
    SR_REQUIRE(ctx, reinterpret_cast<uintptr_t>(s) % alignof(sr_step_scalars) == 0, SR_ERR_INVALID_ARGUMENT,
               "%s: argument 's' = %p is not %zu-byte aligned", call, (const void*)s, alignof(sr_step_scalars));
    return SR_OK;
}

}  // namespace

SR_EXPORT sr_status sr_step_scalars_advance(sr_context* ctx, sr_step_scalars* s, const float* lr_table,
                                            int64_t table_len) {
    const char* call = "sr_step_scalars_advance";
    SR_CHECK_CTX(ctx, call);
    if (sr_status st = check_scalars(ctx, call, s)) return st;
    SR_REQUIRE_PTR(ctx, call, lr_table);
    SR_REQUIRE(ctx, table_len >= 1, SR_ERR_INVALID_ARGUMENT, "%s: table_len = %lld must be >= 1", call,
               (long long)table_len);
    const sr_device_ext_ops* ext = sr_ctx_ext_ops(ctx, call);  // the extension table (device-op ABI 5)
    if (ext == nullptr) return SR_ERR_NOT_AVAILABLE;
    return sr_ctx_result(ctx, call, ext->step_scalars_advance(&ctx->env, s, lr_table, table_len));
}

SR_EXPORT sr_status sr_sgd_step_dev(sr_context* ctx, float* w, const float* grad, float* momentum_buf,
                                    const uint8_t* mask, int64_t n, const sr_step_scalars* s, float momentum,
                                    float dampening, float weight_decay, int32_t nesterov, int32_t decoupled_wd,
                                    int32_t first_step) {
    const char* call = "sr_sgd_step_dev";
    SR_CHECK_CTX(ctx, call);
    SR_REQUIRE_NONNEG(ctx, call, n);
    if (sr_status st = sr_check_sgd_hyper(ctx, call, momentum, dampening, weight_decay, nesterov)) return st;
    if (sr_status st = check_scalars(ctx, call, s)) return st;
    if (n == 0) return SR_OK;
    SR_REQUIRE_PTR(ctx, call, w);
    SR_REQUIRE_PTR(ctx, call, grad);
    SR_REQUIRE(ctx, momentum == 0 || momentum_buf != nullptr, SR_ERR_INVALID_ARGUMENT,
               "%s: momentum = %g needs a momentum buffer, got NULL", call, momentum);
    const sr_device_ext_ops* ext = sr_ctx_ext_ops(ctx, call);
    if (ext == nullptr) return SR_ERR_NOT_AVAILABLE;
    return sr_ctx_result(ctx, call,
                         ext->sgd_step_dev(&ctx->env, w, grad, momentum_buf, mask, n, s, momentum, dampening,
                                           weight_decay, nesterov, decoupled_wd, first_step));
}

SR_EXPORT sr_status sr_adamw_step_dev(sr_context* ctx, float* w, const float* grad, float* m, float* v,
                                      const uint8_t* mask, int64_t n, const sr_step_scalars* s, float beta1,
                                      float beta2, float eps, float weight_decay) {
    const char* call = "sr_adamw_step_dev";
    SR_CHECK_CTX(ctx, call);
    SR_REQUIRE_NONNEG(ctx, call, n);
    if (sr_status st = sr_check_adamw_hyper(ctx, call, beta1, beta2, eps, weight_decay)) return st;
    if (sr_status st = check_scalars(ctx, call, s)) return st;
    if (n == 0) return SR_OK;
    SR_REQUIRE_PTR(ctx, call, w);
    SR_REQUIRE_PTR(ctx, call, grad);
    SR_REQUIRE_PTR(ctx, call, m);
    SR_REQUIRE_PTR(ctx, call, v);
    const sr_device_ext_ops* ext = sr_ctx_ext_ops(ctx, call);
    if (ext == nullptr) return SR_ERR_NOT_AVAILABLE;
    return sr_ctx_result(ctx, call,
                         ext->adamw_step_dev(&ctx->env, w, grad, m, v, mask, n, s, beta1, beta2, eps, weight_decay));
}
