// api_gemm_bf16.cpp — sr_gemm_bf16 of the public C API: the checks of sr_gemm_f32, then the device's
// implementation (host reference or cuBLAS GemmEx).
#include "runtime/api_support.h"

SR_EXPORT sr_status sr_gemm_bf16(sr_context* ctx, int32_t trans_a, int32_t trans_b, int64_t m, int64_t n, int64_t k,
                                 float alpha, const void* a, const void* b, float beta, float* c) {
    const char* call = "sr_gemm_bf16";
    SR_CHECK_CTX(ctx, call);
    SR_REQUIRE(ctx, m >= 0 && n >= 0 && k >= 0, SR_ERR_SHAPE, "%s: shape M=%lld N=%lld K=%lld has a negative dimension",
               call, (long long)m, (long long)n, (long long)k);
    if (m == 0 || n == 0) return SR_OK;
    SR_REQUIRE_PTR(ctx, call, c);
    SR_REQUIRE(ctx, k == 0 || (a != nullptr && b != nullptr), SR_ERR_INVALID_ARGUMENT, "%s: A or B is NULL", call);
    const sr_device_ext_ops* ext = sr_ctx_ext_ops(ctx, call);  // the extension table (device-op ABI 4)
    if (ext == nullptr) return SR_ERR_NOT_AVAILABLE;
    return sr_ctx_result(ctx, call,
                         ext->gemm_bf16(&ctx->env, trans_a, trans_b, m, n, k, alpha,
                                             static_cast<const uint16_t*>(a), static_cast<const uint16_t*>(b), beta, c));
}
