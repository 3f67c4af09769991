// masks.cpp — host reference: apply a mask, count nonzeros.
#include "common/bf16.h"
#include "host/host_ops.h"

sr_status sr_host_apply_mask(sr_env*, int32_t dtype, void* w, const uint8_t* mask, int64_t n) {
    if (dtype == SR_F32) {
        float* x = static_cast<float*>(w);
        for (int64_t i = 0; i < n; ++i) x[i] = mask[i] ? x[i] : 0.0f;
    } else {
        uint16_t* x = static_cast<uint16_t*>(w);
        for (int64_t i = 0; i < n; ++i) x[i] = mask[i] ? x[i] : (uint16_t)0;
    }
    return SR_OK;
}

sr_status sr_host_count_nonzero_many(sr_env*, int32_t dtype, int32_t count, const void* const* xs,
                                     const int64_t* sizes, int64_t* per_tensor) {
    for (int32_t t = 0; t < count; ++t) {
        int64_t nz = 0;
        const int64_t n = sizes[t];
        if (dtype == SR_F32) {
            const uint32_t* x = static_cast<const uint32_t*>(xs[t]);
            for (int64_t i = 0; i < n; ++i) nz += (x[i] & 0x7fffffffu) != 0;  // -0.0 is zero
        } else if (dtype == SR_BF16) {
            const uint16_t* x = static_cast<const uint16_t*>(xs[t]);
            for (int64_t i = 0; i < n; ++i) nz += (x[i] & 0x7fffu) != 0;
        } else {
            const uint8_t* x = static_cast<const uint8_t*>(xs[t]);
            for (int64_t i = 0; i < n; ++i) nz += x[i] != 0;
        }
        per_tensor[t] = nz;
    }
    return SR_OK;
}
