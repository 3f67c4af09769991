// api_masks.cpp — mask, selection and 2:4 layout calls of the public C API: argument checks, then
// the context's device implementation.
#include <vector>
#include "runtime/api_support.h"

namespace {

sr_status check_list(sr_context* ctx, const char* call, int32_t count, const void* const* weights,
                     uint8_t* const* masks, const int64_t* sizes, bool need_weights) {
    SR_REQUIRE(ctx, count >= 0, SR_ERR_INVALID_ARGUMENT, "%s: count = %d is negative", call, count);
    if (count == 0) return SR_OK;
    SR_REQUIRE(ctx, masks != nullptr, SR_ERR_INVALID_ARGUMENT, "%s: argument 'masks' is NULL", call);
    SR_REQUIRE(ctx, sizes != nullptr, SR_ERR_INVALID_ARGUMENT, "%s: argument 'sizes' is NULL", call);
    SR_REQUIRE(ctx, !need_weights || weights != nullptr, SR_ERR_INVALID_ARGUMENT, "%s: argument 'weights' is NULL",
               call);
    for (int32_t t = 0; t < count; ++t) {
        SR_REQUIRE(ctx, sizes[t] >= 0, SR_ERR_INVALID_ARGUMENT, "%s: sizes[%d] = %lld is negative", call, t,
                   (long long)sizes[t]);
        if (sizes[t] == 0) continue;
        SR_REQUIRE(ctx, masks[t] != nullptr, SR_ERR_INVALID_ARGUMENT, "%s: masks[%d] is NULL", call, t);
        SR_REQUIRE(ctx, !need_weights || weights[t] != nullptr, SR_ERR_INVALID_ARGUMENT, "%s: weights[%d] is NULL",
                   call, t);
    }
    return SR_OK;
}

sr_status check_grouped(sr_context* ctx, const char* call, int32_t dtype, const void* x, const void* mask,
                        int64_t outer, int64_t k, int64_t inner, bool allow_u8) {
    SR_REQUIRE(ctx, sr_is_float_dtype(dtype) || (allow_u8 && dtype == SR_U8), SR_ERR_DTYPE,
               "%s: dtype = %d is not supported (SR_F32, SR_BF16%s)", call, dtype, allow_u8 ? ", SR_U8" : "");
    SR_REQUIRE(ctx, outer >= 0 && k >= 0 && inner >= 0, SR_ERR_SHAPE,
               "%s: shape [outer=%lld, K=%lld, inner=%lld] has a negative dimension", call, (long long)outer,
               (long long)k, (long long)inner);
    if (outer * k * inner == 0) return SR_OK;
    SR_REQUIRE(ctx, x != nullptr, SR_ERR_INVALID_ARGUMENT, "%s: weight/data pointer is NULL", call);
    SR_REQUIRE(ctx, mask != nullptr, SR_ERR_INVALID_ARGUMENT, "%s: mask pointer is NULL", call);
    return SR_OK;
}

}  // namespace

SR_EXPORT sr_status sr_apply_mask(sr_context* ctx, int32_t dtype, void* w, const uint8_t* mask, int64_t n) {
    const char* call = "sr_apply_mask";
    SR_CHECK_CTX(ctx, call);
    SR_REQUIRE(ctx, sr_is_float_dtype(dtype), SR_ERR_DTYPE, "%s: dtype = %d is not SR_F32 or SR_BF16", call, dtype);
    SR_REQUIRE_NONNEG(ctx, call, n);
    if (n == 0) return SR_OK;
    SR_REQUIRE_PTR(ctx, call, w);
    SR_REQUIRE_PTR(ctx, call, mask);
    return sr_ctx_result(ctx, call, ctx->ops->apply_mask(&ctx->env, dtype, w, mask, n));
}

SR_EXPORT sr_status sr_count_nonzero_many(sr_context* ctx, int32_t dtype, int32_t count, const void* const* xs,
                                          const int64_t* sizes, int64_t* per_tensor, int64_t* total) {
    const char* call = "sr_count_nonzero_many";
    SR_CHECK_CTX(ctx, call);
    SR_REQUIRE(ctx, sr_is_float_dtype(dtype) || dtype == SR_U8, SR_ERR_DTYPE,
               "%s: dtype = %d is not SR_F32, SR_BF16 or SR_U8", call, dtype);
    SR_REQUIRE(ctx, count >= 0, SR_ERR_INVALID_ARGUMENT, "%s: count = %d is negative", call, count);
    std::vector<int64_t> counts(count > 0 ? count : 0, 0);
    if (count > 0) {
        SR_REQUIRE_PTR(ctx, call, xs);
        SR_REQUIRE_PTR(ctx, call, sizes);
        for (int32_t t = 0; t < count; ++t) {
            SR_REQUIRE(ctx, sizes[t] >= 0, SR_ERR_INVALID_ARGUMENT, "%s: sizes[%d] = %lld is negative", call, t,
                       (long long)sizes[t]);
            SR_REQUIRE(ctx, sizes[t] == 0 || xs[t] != nullptr, SR_ERR_INVALID_ARGUMENT, "%s: xs[%d] is NULL", call, t);
        }
        sr_status st = ctx->ops->count_nonzero_many(&ctx->env, dtype, count, xs, sizes, counts.data());
        if (st != SR_OK) return sr_ctx_result(ctx, call, st);
    }
    int64_t sum = 0;
    for (int32_t t = 0; t < count; ++t) {
        if (per_tensor) per_tensor[t] = counts[t];
        sum += counts[t];
    }
    if (total) *total = sum;
    return SR_OK;
}

SR_EXPORT sr_status sr_count_nonzero(sr_context* ctx, int32_t dtype, const void* x, int64_t n, int64_t* out) {
    SR_CHECK_CTX(ctx, "sr_count_nonzero");
    SR_REQUIRE_PTR(ctx, "sr_count_nonzero", out);
    const void* xs[1] = {x};
    int64_t sizes[1] = {n};
    sr_status st = sr_count_nonzero_many(ctx, dtype, 1, xs, sizes, nullptr, out);
    if (st != SR_OK) ctx->last_error.replace(0, 21, "sr_count_nonzero");  // keep one call name in the message
    return st;
}

SR_EXPORT sr_status sr_prune_magnitude_global(sr_context* ctx, int32_t dtype, int32_t count,
                                              const void* const* weights, uint8_t* const* masks,
                                              const int64_t* sizes, int64_t keep, sr_select_report* report) {
    const char* call = "sr_prune_magnitude_global";
    SR_CHECK_CTX(ctx, call);
    SR_REQUIRE(ctx, sr_is_float_dtype(dtype), SR_ERR_DTYPE, "%s: dtype = %d is not SR_F32 or SR_BF16", call, dtype);
    SR_REQUIRE(ctx, keep >= 0, SR_ERR_OUT_OF_RANGE, "%s: keep = %lld is negative", call, (long long)keep);
    sr_status st = check_list(ctx, call, count, weights, masks, sizes, true);
    if (st != SR_OK) return st;
    return sr_ctx_result(ctx, call,
                         ctx->ops->select_topk(&ctx->env, dtype, count, weights, masks, sizes, keep, nullptr, 0, report));
}

SR_EXPORT sr_status sr_prune_magnitude_layerwise(sr_context* ctx, int32_t dtype, int32_t count,
                                                 const void* const* weights, uint8_t* const* masks,
                                                 const int64_t* sizes, const int64_t* keep_per_tensor) {
    const char* call = "sr_prune_magnitude_layerwise";
    SR_CHECK_CTX(ctx, call);
    SR_REQUIRE(ctx, sr_is_float_dtype(dtype), SR_ERR_DTYPE, "%s: dtype = %d is not SR_F32 or SR_BF16", call, dtype);
    sr_status st = check_list(ctx, call, count, weights, masks, sizes, true);
    if (st != SR_OK) return st;
    if (count == 0) return SR_OK;
    SR_REQUIRE_PTR(ctx, call, keep_per_tensor);
    for (int32_t t = 0; t < count; ++t)
        SR_REQUIRE(ctx, keep_per_tensor[t] >= 0, SR_ERR_OUT_OF_RANGE, "%s: keep_per_tensor[%d] = %lld is negative",
                   call, t, (long long)keep_per_tensor[t]);
    return sr_ctx_result(ctx, call,
                         ctx->ops->select_topk(&ctx->env, dtype, count, weights, masks, sizes, 0, keep_per_tensor, 0,
                                               nullptr));
}

SR_EXPORT sr_status sr_prune_random_global(sr_context* ctx, int32_t count, uint8_t* const* masks,
                                           const int64_t* sizes, int64_t keep, uint64_t seed,
                                           sr_select_report* report) {
    const char* call = "sr_prune_random_global";
    SR_CHECK_CTX(ctx, call);
    SR_REQUIRE(ctx, keep >= 0, SR_ERR_OUT_OF_RANGE, "%s: keep = %lld is negative", call, (long long)keep);
    sr_status st = check_list(ctx, call, count, nullptr, masks, sizes, false);
    if (st != SR_OK) return st;
    return sr_ctx_result(ctx, call,
                         ctx->ops->select_topk(&ctx->env, SR_F32, count, nullptr, masks, sizes, keep, nullptr, seed,
                                               report));
}

SR_EXPORT sr_status sr_prune_random_layerwise(sr_context* ctx, int32_t count, uint8_t* const* masks,
                                              const int64_t* sizes, const int64_t* keep_per_tensor, uint64_t seed) {
    const char* call = "sr_prune_random_layerwise";
    SR_CHECK_CTX(ctx, call);
    sr_status st = check_list(ctx, call, count, nullptr, masks, sizes, false);
    if (st != SR_OK) return st;
    if (count == 0) return SR_OK;
    SR_REQUIRE_PTR(ctx, call, keep_per_tensor);
    for (int32_t t = 0; t < count; ++t)
        SR_REQUIRE(ctx, keep_per_tensor[t] >= 0, SR_ERR_OUT_OF_RANGE, "%s: keep_per_tensor[%d] = %lld is negative",
                   call, t, (long long)keep_per_tensor[t]);
    return sr_ctx_result(ctx, call,
                         ctx->ops->select_topk(&ctx->env, SR_F32, count, nullptr, masks, sizes, 0, keep_per_tensor,
                                               seed, nullptr));
}

SR_EXPORT sr_status sr_mask_nm(sr_context* ctx, int32_t dtype, const void* w, uint8_t* mask, int64_t outer,
                               int64_t k, int64_t inner, int32_t n, int32_t m) {
    const char* call = "sr_mask_nm";
    SR_CHECK_CTX(ctx, call);
    sr_status st = check_grouped(ctx, call, dtype, w, mask, outer, k, inner, false);
    if (st != SR_OK) return st;
    SR_REQUIRE(ctx, n > 0 && n < m && m <= 16, SR_ERR_INVALID_ARGUMENT,
               "%s: N:M = %d:%d is not supported (need 0 < N < M <= 16)", call, n, m);
    SR_REQUIRE(ctx, k % m == 0, SR_ERR_SHAPE,
               "%s: the reduction dimension K = %lld is not divisible by M = %d (groups of %d along K)", call,
               (long long)k, m, m);
    if (outer * k * inner == 0) return SR_OK;
    return sr_ctx_result(ctx, call, ctx->ops->mask_nm(&ctx->env, dtype, w, mask, outer, k, inner, n, m));
}

SR_EXPORT sr_status sr_mask_transposable_24(sr_context* ctx, int32_t dtype, const void* w, uint8_t* mask,
                                            int64_t outer, int64_t k, int64_t inner) {
    const char* call = "sr_mask_transposable_24";
    SR_CHECK_CTX(ctx, call);
    sr_status st = check_grouped(ctx, call, dtype, w, mask, outer, k, inner, false);
    if (st != SR_OK) return st;
    SR_REQUIRE(ctx, outer % 4 == 0 && k % 4 == 0, SR_ERR_SHAPE,
               "%s: shape [outer=%lld, K=%lld] does not divide into 4x4 blocks (both must be multiples of 4)", call,
               (long long)outer, (long long)k);
    if (outer * k * inner == 0) return SR_OK;
    return sr_ctx_result(ctx, call, ctx->ops->mask_transposable_24(&ctx->env, dtype, w, mask, outer, k, inner));
}

SR_EXPORT sr_status sr_check_nm(sr_context* ctx, int32_t dtype, const void* x, int64_t outer, int64_t k,
                                int64_t inner, int32_t n, int32_t m, int64_t* violations) {
    const char* call = "sr_check_nm";
    SR_CHECK_CTX(ctx, call);
    SR_REQUIRE_PTR(ctx, call, violations);
    *violations = 0;
    sr_status st = check_grouped(ctx, call, dtype, x, x, outer, k, inner, true);
    if (st != SR_OK) return st;
    SR_REQUIRE(ctx, n > 0 && n < m && m <= 16, SR_ERR_INVALID_ARGUMENT,
               "%s: N:M = %d:%d is not supported (need 0 < N < M <= 16)", call, n, m);
    SR_REQUIRE(ctx, k % m == 0, SR_ERR_SHAPE, "%s: K = %lld is not divisible by M = %d", call, (long long)k, m);
    if (outer * k * inner == 0) return SR_OK;
    return sr_ctx_result(ctx, call, ctx->ops->check_nm(&ctx->env, dtype, x, outer, k, inner, n, m, violations));
}

SR_EXPORT sr_status sr_compress_24(sr_context* ctx, int32_t dtype, const void* w, const uint8_t* mask,
                                   int64_t outer, int64_t k, int64_t inner, void* values, uint8_t* meta) {
    const char* call = "sr_compress_24";
    SR_CHECK_CTX(ctx, call);
    sr_status st = check_grouped(ctx, call, dtype, w, mask, outer, k, inner, false);
    if (st != SR_OK) return st;
    SR_REQUIRE(ctx, k % 4 == 0, SR_ERR_SHAPE, "%s: K = %lld is not a multiple of 4", call, (long long)k);
    if (outer * k * inner == 0) return SR_OK;
    SR_REQUIRE_PTR(ctx, call, values);
    SR_REQUIRE_PTR(ctx, call, meta);
    return sr_ctx_result(ctx, call, ctx->ops->compress_24(&ctx->env, dtype, w, mask, outer, k, inner, values, meta));
}

SR_EXPORT sr_status sr_decompress_24(sr_context* ctx, int32_t dtype, const void* values, const uint8_t* meta,
                                     int64_t outer, int64_t k, int64_t inner, void* w) {
    const char* call = "sr_decompress_24";
    SR_CHECK_CTX(ctx, call);
    sr_status st = check_grouped(ctx, call, dtype, values, meta, outer, k, inner, false);
    if (st != SR_OK) return st;
    SR_REQUIRE(ctx, k % 4 == 0, SR_ERR_SHAPE, "%s: K = %lld is not a multiple of 4", call, (long long)k);
    if (outer * k * inner == 0) return SR_OK;
    SR_REQUIRE_PTR(ctx, call, w);
    return sr_ctx_result(ctx, call, ctx->ops->decompress_24(&ctx->env, dtype, values, meta, outer, k, inner, w));
}
