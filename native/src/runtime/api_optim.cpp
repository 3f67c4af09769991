// api_optim.cpp — optimizer steps and the dense GEMM of the public C API.
#include <cmath>
#include "runtime/api_support.h"
#include "runtime/optim_checks.h"

SR_EXPORT sr_status sr_sgd_step(sr_context* ctx, float* w, const float* grad, float* momentum_buf,
                                const uint8_t* mask, int64_t n, float lr, float momentum, float dampening,
                                float weight_decay, int32_t nesterov, int32_t decoupled_wd, int32_t first_step) {
    const char* call = "sr_sgd_step";
    SR_CHECK_CTX(ctx, call);
    SR_REQUIRE_NONNEG(ctx, call, n);
    SR_REQUIRE(ctx, std::isfinite(lr) && lr >= 0, SR_ERR_INVALID_ARGUMENT, "%s: lr = %g must be finite and >= 0",
               call, lr);
    if (sr_status st = sr_check_sgd_hyper(ctx, call, momentum, dampening, weight_decay, nesterov)) return st;
    if (n == 0) return SR_OK;
    SR_REQUIRE_PTR(ctx, call, w);
    SR_REQUIRE_PTR(ctx, call, grad);
    SR_REQUIRE(ctx, momentum == 0 || momentum_buf != nullptr, SR_ERR_INVALID_ARGUMENT,
               "%s: momentum = %g needs a momentum buffer, got NULL", call, momentum);
    return sr_ctx_result(ctx, call,
                         ctx->ops->sgd_step(&ctx->env, w, grad, momentum_buf, mask, n, lr, momentum, dampening,
                                            weight_decay, nesterov, decoupled_wd, first_step));
}

SR_EXPORT sr_status sr_adamw_step(sr_context* ctx, float* w, const float* grad, float* m, float* v,
                                  const uint8_t* mask, int64_t n, float lr, float beta1, float beta2, float eps,
                                  float weight_decay, int64_t step) {
    const char* call = "sr_adamw_step";
    SR_CHECK_CTX(ctx, call);
    SR_REQUIRE_NONNEG(ctx, call, n);
    SR_REQUIRE(ctx, std::isfinite(lr) && lr >= 0, SR_ERR_INVALID_ARGUMENT, "%s: lr = %g must be finite and >= 0",
               call, lr);
    if (sr_status st = sr_check_adamw_hyper(ctx, call, beta1, beta2, eps, weight_decay)) return st;
    SR_REQUIRE(ctx, step >= 1, SR_ERR_INVALID_ARGUMENT, "%s: step = %lld must be >= 1 (1-based)", call,
               (long long)step);
    if (n == 0) return SR_OK;
    SR_REQUIRE_PTR(ctx, call, w);
    SR_REQUIRE_PTR(ctx, call, grad);
    SR_REQUIRE_PTR(ctx, call, m);
    SR_REQUIRE_PTR(ctx, call, v);
    return sr_ctx_result(ctx, call,
                         ctx->ops->adamw_step(&ctx->env, w, grad, m, v, mask, n, lr, beta1, beta2, eps, weight_decay,
                                              step));
}

SR_EXPORT sr_status sr_gemm_f32(sr_context* ctx, int32_t trans_a, int32_t trans_b, int64_t m, int64_t n, int64_t k,
                                float alpha, const float* a, const float* b, float beta, float* c) {
    const char* call = "sr_gemm_f32";
    SR_CHECK_CTX(ctx, call);
    SR_REQUIRE(ctx, m >= 0 && n >= 0 && k >= 0, SR_ERR_SHAPE, "%s: shape M=%lld N=%lld K=%lld has a negative dimension",
               call, (long long)m, (long long)n, (long long)k);
    if (m == 0 || n == 0) return SR_OK;
    SR_REQUIRE_PTR(ctx, call, c);
    SR_REQUIRE(ctx, k == 0 || (a != nullptr && b != nullptr), SR_ERR_INVALID_ARGUMENT, "%s: A or B is NULL", call);
    return sr_ctx_result(ctx, call, ctx->ops->gemm_f32(&ctx->env, trans_a, trans_b, m, n, k, alpha, a, b, beta, c));
}
