// compress.cpp — host reference: portable 2:4 layout (values [outer, K/2, inner], meta
// [outer, K/4, inner]). Per-group encode/decode is common/compress24.h, shared with cuda/compress.cu.
// Both directions validate every group before writing the first byte.
#include "common/compress24.h"
#include "host/host_ops.h"

namespace {

// Names group g = (o*(K/4) + kg)*inner + i by its coordinates.
sr_status fail_group(sr_env* env, int64_t g, int64_t k, int64_t inner, const char* what) {
    const int64_t i = g % inner, kg = (g / inner) % (k / 4), o = g / inner / (k / 4);
    return sr_fail(env, SR_ERR_PATTERN, "2:4 group (outer %lld, k-group %lld = k %lld..%lld, inner %lld) %s",
                   (long long)o, (long long)kg, (long long)(4 * kg), (long long)(4 * kg + 3), (long long)i, what);
}

template <typename T>
sr_status compress(sr_env* env, const T* w, const uint8_t* mask, int64_t outer, int64_t k, int64_t inner, T* values,
                   uint8_t* meta) {
    const int64_t groups = outer * (k / 4) * inner;
    // Groups are walked as g = row*inner + i with w_base = row*4*inner + i and v_base = row*2*inner + i
    // (sr_c24_w_base / sr_c24_v_base without their per-group 64-bit division). Validation accumulates
    // without a branch per group; the first bad group is searched only on error.
    bool invalid = false;
    for (int64_t row = 0; row < outer * (k / 4); ++row)
        for (int64_t i = 0; i < inner; ++i) invalid |= sr_c24_count(sr_c24_kept(mask, row * 4 * inner + i, inner)) > 2;
    for (int64_t g = 0; invalid && g < groups; ++g)
        if (sr_c24_count(sr_c24_kept(mask, sr_c24_w_base(g, inner), inner)) > 2)
            return fail_group(env, g, k, inner, "has more than 2 kept positions in its mask");
    for (int64_t row = 0; row < outer * (k / 4); ++row)
        for (int64_t i = 0; i < inner; ++i)
            sr_c24_compress_at(w, mask, row * inner + i, row * 4 * inner + i, row * 2 * inner + i, inner, values, meta);
    return SR_OK;
}

template <typename T>
sr_status decompress(sr_env* env, const T* values, const uint8_t* meta, int64_t outer, int64_t k, int64_t inner,
                     T* w) {
    const int64_t groups = outer * (k / 4) * inner;
    int idx0 = 0, idx1 = 0;
    for (int64_t g = 0; g < groups; ++g)
        if (!sr_c24_decode(meta[g], &idx0, &idx1)) {
            char what[96];
            std::snprintf(what, sizeof what, "has invalid metadata 0x%02x (need bits 4-7 clear and idx0 < idx1)",
                          (unsigned)meta[g]);
            return fail_group(env, g, k, inner, what);
        }
    for (int64_t g = 0; g < groups; ++g) sr_c24_decompress_group(values, meta, g, inner, w);
    return SR_OK;
}

}  // namespace

sr_status sr_host_compress_24(sr_env* env, int32_t dtype, const void* w, const uint8_t* mask, int64_t outer,
                              int64_t k, int64_t inner, void* values, uint8_t* meta) {
    if (dtype == SR_F32)
        return compress(env, static_cast<const float*>(w), mask, outer, k, inner, static_cast<float*>(values), meta);
    return compress(env, static_cast<const uint16_t*>(w), mask, outer, k, inner, static_cast<uint16_t*>(values),
                    meta);
}

sr_status sr_host_decompress_24(sr_env* env, int32_t dtype, const void* values, const uint8_t* meta, int64_t outer,
                                int64_t k, int64_t inner, void* w) {
    if (dtype == SR_F32)
        return decompress(env, static_cast<const float*>(values), meta, outer, k, inner, static_cast<float*>(w));
    return decompress(env, static_cast<const uint16_t*>(values), meta, outer, k, inner, static_cast<uint16_t*>(w));
}
