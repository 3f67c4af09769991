// nm.cpp — host reference: N:M masks, transposable 2:4 masks, N:M check. The per-group and
// per-block choices are the shared functions of common/nm.h and common/transposable.h, which the
// CUDA kernels (cuda/nm.cu) run too; this file only loops over groups and reports errors.
// Both mask ops refuse a NaN in a live weight (SR_ERR_NONFINITE, first one in flat order, before any
// mask byte is written); +-Inf ranks above every finite |w|. Dead weights are never read for ranking.
#include "common/nm.h"
#include "common/transposable.h"
#include "host/host_ops.h"

namespace {

constexpr sr_t24_table kT24 = sr_t24_make_table();

// Lowest flat offset of a live NaN weight, or -1. Runs before any mask byte is written. Blocks of
// 64 are tested with one OR over their compares (vectorized, no early exit per element) and only a
// block with a hit is searched.
template <typename T>
int64_t first_live_nan(const T* w, const uint8_t* mask, int64_t n) {
    constexpr int64_t kBlock = 64;
    for (int64_t b = 0; b < n; b += kBlock) {
        const int64_t end = b + kBlock < n ? b + kBlock : n;
        uint32_t any = 0;
        for (int64_t e = b; e < end; ++e) any |= (uint32_t)((mask[e] != 0) & sr_key_is_nan(sr_abs_key(w[e])));
        if (any)
            for (int64_t e = b; e < end; ++e)
                if (mask[e] != 0 && sr_key_is_nan(sr_abs_key(w[e]))) return e;
    }
    return -1;
}

sr_status fail_nan(sr_env* env, int64_t e, int64_t k, int64_t inner) {
    const int64_t i = e % inner, kk = (e / inner) % k, o = e / inner / k;
    return sr_fail(env, SR_ERR_NONFINITE,
                   "live weight w[%lld] (outer %lld, k %lld, inner %lld) is NaN; magnitudes cannot be ranked",
                   (long long)e, (long long)o, (long long)kk, (long long)i);
}

template <typename T>
sr_status mask_nm(sr_env* env, const T* w, uint8_t* mask, int64_t outer, int64_t k, int64_t inner, int n, int m) {
    const int64_t nan_at = first_live_nan(w, mask, outer * k * inner);
    if (nan_at >= 0) return fail_nan(env, nan_at, k, inner);
    const int64_t groups = outer * (k / m) * inner;
    uint32_t keys[SR_NM_MAX_M];
    for (int64_t g = 0; g < groups; ++g) {
        const int64_t base = sr_nm_group_base(g, inner, m);
        const uint32_t live = sr_nm_gather(w, mask, base, inner, m, keys);
        const uint32_t keep = sr_nm_choose(keys, live, n, m);
        for (int j = 0; j < m; ++j) mask[base + j * inner] = (uint8_t)((keep >> j) & 1u);
    }
    return SR_OK;
}

template <typename T>
sr_status mask_t24(sr_env* env, const T* w, uint8_t* mask, int64_t outer, int64_t k, int64_t inner) {
    const int64_t nan_at = first_live_nan(w, mask, outer * k * inner);
    if (nan_at >= 0) return fail_nan(env, nan_at, k, inner);
    const int64_t blocks = (outer / 4) * (k / 4) * inner;
    float a[16];
    for (int64_t b = 0; b < blocks; ++b) {
        const int64_t base = sr_t24_block_base(b, k, inner);
        const uint32_t live = sr_t24_gather(w, mask, base, k, inner, a);
        const uint32_t keep = kT24.mask[sr_t24_choose(a, kT24.mask)] & live;
        for (int r = 0; r < 4; ++r)
            for (int c = 0; c < 4; ++c) mask[base + r * k * inner + c * inner] = (uint8_t)((keep >> (r * 4 + c)) & 1u);
    }
    return SR_OK;
}

template <typename T>
int64_t check_nm(const T* x, int64_t outer, int64_t k, int64_t inner, int n, int m) {
    const int64_t groups = outer * (k / m) * inner;
    int64_t violations = 0;
    for (int64_t g = 0; g < groups; ++g)
        violations += sr_nm_count_nonzero(x, sr_nm_group_base(g, inner, m), inner, m) > n ? 1 : 0;
    return violations;
}

}  // namespace

sr_status sr_host_mask_nm(sr_env* env, int32_t dtype, const void* w, uint8_t* mask, int64_t outer, int64_t k,
                          int64_t inner, int32_t n, int32_t m) {
    if (dtype == SR_F32) return mask_nm(env, static_cast<const float*>(w), mask, outer, k, inner, n, m);
    return mask_nm(env, static_cast<const uint16_t*>(w), mask, outer, k, inner, n, m);
}

sr_status sr_host_mask_transposable_24(sr_env* env, int32_t dtype, const void* w, uint8_t* mask, int64_t outer,
                                       int64_t k, int64_t inner) {
    if (dtype == SR_F32) return mask_t24(env, static_cast<const float*>(w), mask, outer, k, inner);
    return mask_t24(env, static_cast<const uint16_t*>(w), mask, outer, k, inner);
}

sr_status sr_host_check_nm(sr_env*, int32_t dtype, const void* x, int64_t outer, int64_t k, int64_t inner,
                           int32_t n, int32_t m, int64_t* violations) {
    if (dtype == SR_F32) *violations = check_nm(static_cast<const float*>(x), outer, k, inner, n, m);
    else if (dtype == SR_BF16) *violations = check_nm(static_cast<const uint16_t*>(x), outer, k, inner, n, m);
    else *violations = check_nm(static_cast<const uint8_t*>(x), outer, k, inner, n, m);
    return SR_OK;
}
