// bf16.h — bfloat16 <-> float conversion shared by host and device code (bf16 is stored as the
// upper 16 bits of a float; conversion rounds to nearest even and keeps NaN a quiet NaN).
#ifndef SR_COMMON_BF16_H
#define SR_COMMON_BF16_H

#include <string.h>
#include "common/defs.h"

SR_HD uint32_t sr_float_bits(float f) {
#if defined(__CUDA_ARCH__)
    return __float_as_uint(f);
#else
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
#endif
}

SR_HD float sr_bits_float(uint32_t u) {
#if defined(__CUDA_ARCH__)
    return __uint_as_float(u);
#else
    float f;
    memcpy(&f, &u, 4);
    return f;
#endif
}

SR_HD float sr_bf16_to_float(uint16_t h) { return sr_bits_float(((uint32_t)h) << 16); }

SR_HD uint16_t sr_float_to_bf16(float f) {
    uint32_t u = sr_float_bits(f);
    if ((u & 0x7f800000u) == 0x7f800000u && (u & 0x007fffffu) != 0) return (uint16_t)((u >> 16) | 0x0040u);
    uint32_t rounding = 0x7fffu + ((u >> 16) & 1u);
    return (uint16_t)((u + rounding) >> 16);
}

// |x| as the bits of a non-negative float: for finite values the unsigned order of these keys is
// the order of |x|, which is what the radix-select of the magnitude threshold ranks by.
SR_HD uint32_t sr_abs_key_f32(float x) { return sr_float_bits(x) & 0x7fffffffu; }
SR_HD uint32_t sr_abs_key_bf16(uint16_t h) { return (((uint32_t)h) << 16) & 0x7fffffffu; }
// NaN or Inf in float bits.
SR_HD bool sr_key_nonfinite(uint32_t abs_key) { return abs_key >= 0x7f800000u; }

#endif
