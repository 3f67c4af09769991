// transposable.h — the transposable 2:4 block choice, shared by the host reference (host/nm.cpp)
// and the CUDA kernel (cuda/nm.cu).
//
// A block is 4 consecutive outer rows x 4 consecutive k at fixed inner. Block element (r, c),
// r = row 0..3 (outer offset), c = column 0..3 (k offset), is bit r*4 + c of a 16-bit mask:
// row r is nibble r (bits 4r..4r+3), bit c of the nibble is column c.
//
// Enumeration (normative: ties pick the lowest index): the 90 masks with exactly 2 bits set in
// every row and every column, in ASCENDING NUMERIC ORDER of the 16-bit mask. Generated below by
// nesting the row choices with row 3 outermost and row 0 innermost, each row taking the 6 nibbles
// with two bits in ascending value (0x3, 0x5, 0x6, 0x9, 0xA, 0xC), which yields exactly that order.
// Index 0 = 0x33CC (rows 0,1 keep columns 2,3; rows 2,3 keep columns 0,1), 1 = 0x35AC, 2 = 0x35CA,
// ..., 88 = 0xCA53, 89 = 0xCC33. The static_assert below and tests/test_nm.cpp check count and order.
#ifndef SR_COMMON_TRANSPOSABLE_H
#define SR_COMMON_TRANSPOSABLE_H

#include "common/nm.h"

#define SR_T24_PATTERNS 90

struct sr_t24_table {
    uint16_t mask[SR_T24_PATTERNS];
};

constexpr sr_t24_table sr_t24_make_table() {
    constexpr uint16_t pairs[6] = {0x3, 0x5, 0x6, 0x9, 0xA, 0xC};
    sr_t24_table t{};
    int count = 0;
    for (int a3 = 0; a3 < 6; ++a3)
        for (int a2 = 0; a2 < 6; ++a2)
            for (int a1 = 0; a1 < 6; ++a1)
                for (int a0 = 0; a0 < 6; ++a0) {
                    const int rows[4] = {pairs[a0], pairs[a1], pairs[a2], pairs[a3]};
                    bool ok = true;
                    for (int c = 0; c < 4; ++c) {
                        int col = 0;
                        for (int r = 0; r < 4; ++r) col += (rows[r] >> c) & 1;
                        ok = ok && col == 2;
                    }
                    if (!ok) continue;
                    if (count < SR_T24_PATTERNS)
                        t.mask[count] = (uint16_t)(rows[0] | rows[1] << 4 | rows[2] << 8 | rows[3] << 12);
                    ++count;
                }
    return t;
}

// Strictly ascending with every slot filled <=> exactly 90 valid masks in the documented order.
constexpr bool sr_t24_table_ok(const sr_t24_table& t) {
    for (int p = 1; p < SR_T24_PATTERNS; ++p)
        if (t.mask[p] <= t.mask[p - 1]) return false;
    return t.mask[0] == 0x33CC && t.mask[SR_T24_PATTERNS - 1] == 0xCC33;
}
static_assert(sr_t24_table_ok(sr_t24_make_table()), "transposable 2:4 pattern table");

// The block choice. a[b] = |w| of block element b (bit layout above) as float, already 0 for dead
// entries and never NaN. score(p) = sum over b = 0..15 in ascending order of (p bit b ? a[b] : 0),
// accumulated in float: adding +0.0 to a non-negative sum is exact, so this is the sum over kept
// live entries in ascending b, the same additions in the same order on host and device. Returns the
// index of the pattern with the largest score, the lowest index among equal scores.
SR_HD int sr_t24_choose(const float* a, const uint16_t* patterns) {
    int best = 0;
    float best_score = -1.0f;
    for (int p = 0; p < SR_T24_PATTERNS; ++p) {
        const uint32_t bits = patterns[p];
        float s = 0.0f;
        for (int b = 0; b < 16; ++b) s += ((bits >> b) & 1u) ? a[b] : 0.0f;
        if (s > best_score) {  // strict: the lowest index wins ties
            best = p;
            best_score = s;
        }
    }
    return best;
}

// Flat offset of element (0, 0) of block b, blocks numbered inner-fastest:
// b = (ob*(K/4) + kb)*inner + i  ->  ((4*ob)*K + 4*kb)*inner + i. Element (r, c) is at
// base + r*K*inner + c*inner.
SR_HD int64_t sr_t24_block_base(int64_t b, int64_t k, int64_t inner) {
    const int64_t i = b % inner;
    const int64_t q = b / inner;  // ob*(K/4) + kb
    const int64_t kb = q % (k / 4), ob = q / (k / 4);
    return (4 * ob * k + 4 * kb) * inner + i;
}

// Reads one block: a[r*4+c] = |w| as float where live, else 0; returns the live bitmask.
template <typename T>
SR_HD uint32_t sr_t24_gather(const T* w, const uint8_t* mask, int64_t base, int64_t k, int64_t inner, float* a) {
    uint32_t live = 0;
    for (int r = 0; r < 4; ++r)
        for (int c = 0; c < 4; ++c) {
            const int64_t e = base + r * k * inner + c * inner;
            const bool is_live = mask[e] != 0;
            a[r * 4 + c] = is_live ? sr_bits_float(sr_abs_key(w[e])) : 0.0f;
            live |= (is_live ? 1u : 0u) << (r * 4 + c);
        }
    return live;
}

#endif
