// memory.cpp — host contexts: 64-byte aligned allocations, memcpy, casts.
#include <cstdlib>
#include <cstring>
#include "common/bf16.h"
#include "host/host_ops.h"

sr_status sr_host_init(sr_env* env, int32_t ordinal) {
    env->ordinal = ordinal;
    return SR_OK;
}

void sr_host_shutdown(sr_env*) {}

sr_status sr_host_synchronize(sr_env*) { return SR_OK; }

sr_status sr_host_malloc(sr_env* env, size_t bytes, void** out) {
    size_t rounded = (bytes + 63) / 64 * 64;
    void* p = std::aligned_alloc(64, rounded == 0 ? 64 : rounded);
    if (p == nullptr) return sr_fail(env, SR_ERR_OUT_OF_MEMORY, "cannot allocate %zu bytes of host memory", bytes);
    *out = p;
    return SR_OK;
}

sr_status sr_host_free(sr_env*, void* ptr) {
    std::free(ptr);
    return SR_OK;
}

sr_status sr_host_memcpy(sr_env*, void* dst, const void* src, size_t bytes, int32_t) {
    std::memmove(dst, src, bytes);
    return SR_OK;
}

sr_status sr_host_memset_zero(sr_env*, void* ptr, size_t bytes) {
    std::memset(ptr, 0, bytes);
    return SR_OK;
}

sr_status sr_host_cast(sr_env*, int32_t src_dtype, const void* src, int32_t dst_dtype, void* dst, int64_t n) {
    if (src_dtype == dst_dtype) {
        std::memmove(dst, src, (size_t)n * (src_dtype == SR_F32 ? 4 : 2));
    } else if (src_dtype == SR_F32) {
        const float* s = static_cast<const float*>(src);
        uint16_t* d = static_cast<uint16_t*>(dst);
        for (int64_t i = 0; i < n; ++i) d[i] = sr_float_to_bf16(s[i]);
    } else {
        const uint16_t* s = static_cast<const uint16_t*>(src);
        float* d = static_cast<float*>(dst);
        for (int64_t i = 0; i < n; ++i) d[i] = sr_bf16_to_float(s[i]);
    }
    return SR_OK;
}
