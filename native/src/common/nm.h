// nm.h — per-group N:M logic shared verbatim by the host reference (host/nm.cpp) and the CUDA
// kernels (cuda/nm.cu), so both pick the same entries.
//
// A weight is viewed as [outer, K, inner]; a group is M consecutive k at fixed (o, i). Its M
// elements lie at base + j*stride, j = 0..M-1, with base = (o*K + kg*M)*inner + i and
// stride = inner (elements). Keys are |w| as float bits (bf16 widened to float): for non-NaN
// values the unsigned order of the keys is the order of |w|, Inf included.
#ifndef SR_COMMON_NM_H
#define SR_COMMON_NM_H

#include "common/bf16.h"
#include "common/defs.h"

#define SR_NM_MAX_M 16

// |w| key of one element, per storage type (float = SR_F32, uint16_t = SR_BF16 bits).
SR_HD uint32_t sr_abs_key(float x) { return sr_abs_key_f32(x); }
SR_HD uint32_t sr_abs_key(uint16_t h) { return sr_abs_key_bf16(h); }
// NaN (not Inf) in an |w| key: the only value that has no place in the magnitude order.
SR_HD bool sr_key_is_nan(uint32_t abs_key) { return abs_key > 0x7f800000u; }

// Nonzero test for sr_check_nm: the sign bit is ignored, so -0.0 counts as zero.
SR_HD bool sr_is_nonzero(float x) { return (sr_float_bits(x) & 0x7fffffffu) != 0; }
SR_HD bool sr_is_nonzero(uint16_t h) { return (h & 0x7fffu) != 0; }
SR_HD bool sr_is_nonzero(uint8_t u) { return u != 0; }

// Reads one group: keys[j] = |w| key of element j, returns the live bitmask (bit j = mask != 0).
template <typename T>
SR_HD uint32_t sr_nm_gather(const T* w, const uint8_t* mask, int64_t base, int64_t stride, int m,
                            uint32_t* keys) {
    uint32_t live = 0;
    for (int j = 0; j < m; ++j) {
        const int64_t e = base + j * stride;
        keys[j] = sr_abs_key(w[e]);
        live |= (mask[e] != 0 ? 1u : 0u) << j;
    }
    return live;
}

// The N:M choice of one group of m <= 16 entries: keep bitmask of the (up to) n live entries with
// the largest keys; among equal keys the lower j wins. Dead entries (bit clear in `live`) are never
// kept. Keys of live entries must not be NaN (callers reject NaN first). n passes of an argmax over
// the still-unkept live entries: at most 15*16 compares, no sort, no local arrays beyond keys.
//
// sr_nm_choose_ranked is the same choice, branch-free for a compile-time M (used for M = 4): entry j
// is kept iff it is live and fewer than n live entries rank before it (larger key, or equal key and
// lower index) — the n first of the order the argmax passes walk. One compare per pair (6 for M = 4).
template <int M>
SR_HD uint32_t sr_nm_choose_ranked(const uint32_t* keys, uint32_t live, int n) {
    int before[M] = {};
    for (int i = 0; i < M; ++i)
        for (int j = i + 1; j < M; ++j) {
            const int i_first = keys[i] >= keys[j];  // i < j: the lower index wins ties
            before[j] += i_first & (int)((live >> i) & 1u);
            before[i] += (1 - i_first) & (int)((live >> j) & 1u);
        }
    uint32_t keep = 0;
    for (int j = 0; j < M; ++j) keep |= (((live >> j) & 1u) & (uint32_t)(before[j] < n)) << j;
    return keep;
}

SR_HD uint32_t sr_nm_choose(const uint32_t* keys, uint32_t live, int n, int m) {
    if (m == 4) return sr_nm_choose_ranked<4>(keys, live, n);
    uint32_t keep = 0;
    for (int t = 0; t < n; ++t) {
        int best = -1;
        uint32_t best_key = 0;
        for (int j = 0; j < m; ++j) {
            const bool candidate = ((live & ~keep) >> j) & 1u;
            // strict '>' keeps the earlier (lower k) entry on equal keys
            if (candidate && (best < 0 || keys[j] > best_key)) {
                best = j;
                best_key = keys[j];
            }
        }
        if (best < 0) break;  // fewer than n live: all of them are kept
        keep |= 1u << best;
    }
    return keep;
}

// Number of nonzero entries of one group (sr_check_nm).
template <typename T>
SR_HD int sr_nm_count_nonzero(const T* x, int64_t base, int64_t stride, int m) {
    int nz = 0;
    for (int j = 0; j < m; ++j) nz += sr_is_nonzero(x[base + j * stride]) ? 1 : 0;
    return nz;
}

// Flat offset of the first element of group g, groups numbered inner-fastest:
// g = (o*(K/M) + kg)*inner + i  ->  base = (o*K + kg*M)*inner + i = (g / inner)*M*inner + g % inner.
SR_HD int64_t sr_nm_group_base(int64_t g, int64_t inner, int m) {
    return (g / inner) * m * inner + g % inner;
}

#endif
