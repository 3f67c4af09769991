// compress24.h — per-group encode/decode of the portable 2:4 layout (sparseretrain.h,
// sr_compress_24), shared by the host reference (host/compress.cpp) and the kernels (cuda/compress.cu).
//
// Weight [outer, K, inner]; group g = (o*(K/4) + kg)*inner + i (inner fastest) holds the 4 elements
// w[(o*K + 4*kg + j)*inner + i], j = 0..3. Its two values sit at values[(o*(K/2) + 2*kg + s)*inner + i],
// s = 0, 1, and its metadata byte at meta[g] (meta is [outer, K/4, inner], so meta offset == g):
// bits 0-1 = idx0, bits 2-3 = idx1, idx0 < idx1, bits 4-7 zero.
#ifndef SR_COMMON_COMPRESS24_H
#define SR_COMMON_COMPRESS24_H

#include "common/defs.h"

// Offsets of group g: element j of w is at w_base + j*inner, value s at v_base + s*inner.
SR_HD int64_t sr_c24_w_base(int64_t g, int64_t inner) { return (g / inner) * 4 * inner + g % inner; }
SR_HD int64_t sr_c24_v_base(int64_t g, int64_t inner) { return (g / inner) * 2 * inner + g % inner; }

// Metadata byte for the kept positions `kept` (bit j = mask of element j != 0), or -1 when more
// than 2 are kept. Fewer than 2 kept: the lowest unused indices are added (they carry value 0), so
// idx0 < idx1 always. *real = which of the two slots hold a kept value (bit s for slot s).
SR_HD int sr_c24_count(uint32_t kept) {
    return (int)(kept & 1u) + (int)((kept >> 1) & 1u) + (int)((kept >> 2) & 1u) + (int)((kept >> 3) & 1u);
}

// Branch-free past the count check (fixed trip counts, selects only): kept patterns of a real mask
// are random and would mispredict branches.
SR_HD int sr_c24_encode(uint32_t kept, uint32_t* real) {
    int count = sr_c24_count(kept);
    if (count > 2) return -1;
    uint32_t used = kept;
    for (int j = 0; j < 4; ++j) {  // add the lowest unused indices until 2 are used
        const uint32_t add = (uint32_t)(count < 2) & ~(used >> j) & 1u;
        used |= add << j;
        count += (int)add;
    }
    int idx0 = 0, idx1 = 0;  // used has exactly 2 bits: idx0 the lower, idx1 the higher
    for (int j = 3; j >= 0; --j) idx0 = ((used >> j) & 1u) ? j : idx0;
    for (int j = 0; j < 4; ++j) idx1 = ((used >> j) & 1u) ? j : idx1;
    *real = ((kept >> idx0) & 1u) | (((kept >> idx1) & 1u) << 1);
    return idx0 | idx1 << 2;
}

// Indices of a metadata byte; false when it is invalid (bits 4-7 set, or idx0 >= idx1).
SR_HD bool sr_c24_decode(uint8_t meta, int* idx0, int* idx1) {
    *idx0 = meta & 3;
    *idx1 = (meta >> 2) & 3;
    return (meta & 0xF0u) == 0 && *idx0 < *idx1;
}

// Kept bitmask of group g's 4 mask bytes.
SR_HD uint32_t sr_c24_kept(const uint8_t* mask, int64_t w_base, int64_t inner) {
    uint32_t kept = 0;
    for (int j = 0; j < 4; ++j) kept |= (mask[w_base + j * inner] != 0 ? 1u : 0u) << j;
    return kept;
}

// Writes group g of values/meta (kept <= 2 already validated), its w and values offsets given.
template <typename T>
SR_HD void sr_c24_compress_at(const T* w, const uint8_t* mask, int64_t g, int64_t wb, int64_t vb, int64_t inner,
                              T* values, uint8_t* meta) {
    uint32_t real = 0;
    const int code = sr_c24_encode(sr_c24_kept(mask, wb, inner), &real);
    const int idx0 = code & 3, idx1 = (code >> 2) & 3;
    const T v0 = w[wb + idx0 * inner], v1 = w[wb + idx1 * inner];  // loaded unconditionally: selects, no branches
    values[vb] = (real & 1u) ? v0 : T(0);
    values[vb + inner] = (real & 2u) ? v1 : T(0);
    meta[g] = (uint8_t)code;
}

template <typename T>
SR_HD void sr_c24_compress_group(const T* w, const uint8_t* mask, int64_t g, int64_t inner, T* values,
                                 uint8_t* meta) {
    sr_c24_compress_at(w, mask, g, sr_c24_w_base(g, inner), sr_c24_v_base(g, inner), inner, values, meta);
}

// Writes the 4 elements of group g of w (meta already validated).
template <typename T>
SR_HD void sr_c24_decompress_group(const T* values, const uint8_t* meta, int64_t g, int64_t inner, T* w) {
    const int64_t wb = sr_c24_w_base(g, inner), vb = sr_c24_v_base(g, inner);
    int idx0 = 0, idx1 = 0;
    sr_c24_decode(meta[g], &idx0, &idx1);
    for (int j = 0; j < 4; ++j)
        w[wb + j * inner] = j == idx0 ? values[vb] : j == idx1 ? values[vb + inner] : T(0);
}

#endif
