// select.h — the per-element key and the threshold search of top-k selection (sr_prune_*), shared by
// the host reference (host/select.cpp) and the CUDA kernels (cuda/select.cu).
//
// Radix select on 32-bit keys, larger key ranks first:
//   level 1: histogram of key >> 16 over live entries (65536 bins, 64-bit counts) -> the bin b that
//            holds the keep-th largest key, and `above` = live entries in bins > b;
//   level 2: histogram of key & 0xffff over live entries with key >> 16 == b -> the exact threshold
//            T = b << 16 | lo, c_gt = live entries with key > T, ties_needed = keep - c_gt;
//   write:   key > T kept, key == T kept for the first ties_needed in (tensor, element) order.
#ifndef SR_COMMON_SELECT_H
#define SR_COMMON_SELECT_H

#include "common/bf16.h"
#include "common/philox.h"

#define SR_SELECT_BINS 65536

// Where the key comes from: |w| bits of an F32 or BF16 weight, or philox(seed, t, i).
enum sr_select_mode { SR_SELECT_F32 = 0, SR_SELECT_BF16 = 1, SR_SELECT_RANDOM = 2 };

// Key of element i of tensor t. Magnitude keys are < 0x80000000 (sign cleared) and >= 0x7f800000
// exactly when the weight is NaN/Inf; random keys cover all 32 bits and ignore w.
template <int Mode>
SR_HD uint32_t sr_select_key(const void* w, uint64_t seed, int32_t t, int64_t i) {
    if (Mode == SR_SELECT_F32) return sr_abs_key_f32(static_cast<const float*>(w)[i]);
    if (Mode == SR_SELECT_BF16) return sr_abs_key_bf16(static_cast<const uint16_t*>(w)[i]);
    return sr_philox_select_key(seed, t, i);
}

// Error messages, identical on host and CUDA (the context prefixes the call name).
#define SR_SELECT_MSG_NONFINITE \
    "weights[%d][%lld] = %g is not finite (a live entry, mask != 0; NaN/Inf cannot be ranked by magnitude)"
#define SR_SELECT_MSG_KEEP_GLOBAL "keep = %lld exceeds the live count %lld (entries with mask != 0 in %d tensors)"
#define SR_SELECT_MSG_KEEP_LAYER "keep_per_tensor[%d] = %lld exceeds the live count %lld of tensor %d"

// Host-side threshold search over one 65536-bin histogram: the bin holding the rank-th largest key
// (1 <= rank <= sum of hist), scanning from the top bin down; *above = entries in higher bins.
// Count: uint64_t on the host reference, unsigned long long as the CUDA atomics write it.
template <typename Count>
uint32_t sr_select_find_bin(const Count* hist, int64_t rank, int64_t* above) {
    int64_t acc = 0;
    for (int32_t b = SR_SELECT_BINS - 1; b > 0; --b) {
        if (acc + (int64_t)hist[b] >= rank) {
            *above = acc;
            return (uint32_t)b;
        }
        acc += (int64_t)hist[b];
    }
    *above = acc;
    return 0u;
}

// The outcome of levels 1 and 2 for one selection (a whole model, or one tensor when layer-wise).
struct sr_select_plan {
    int64_t live = 0;         // live entries before the call
    int64_t keep = 0;         // entries that stay live
    uint32_t hi_bin = 0;      // level-1 bin b (valid when keep > 0)
    int64_t above_bin = 0;    // live entries in bins > b
    uint32_t threshold = 0;   // T; 0 when keep == 0
    int64_t kept_above = 0;   // live entries with key > T
    int64_t ties_needed = 0;  // keep - kept_above: entries with key == T that stay
    int64_t ties_total = 0;   // live entries with key == T
};

// Level 1 -> plan.hi_bin. hist1: key >> 16 histogram of the live entries. Needs plan.keep > 0.
template <typename Count>
void sr_select_plan_level1(sr_select_plan* plan, const Count* hist1) {
    plan->hi_bin = sr_select_find_bin(hist1, plan->keep, &plan->above_bin);
}

// Level 2 -> threshold and tie counts. hist2: key & 0xffff histogram restricted to bin hi_bin.
template <typename Count>
void sr_select_plan_level2(sr_select_plan* plan, const Count* hist2) {
    int64_t above_lo = 0;
    uint32_t lo = sr_select_find_bin(hist2, plan->keep - plan->above_bin, &above_lo);
    plan->threshold = plan->hi_bin << 16 | lo;
    plan->kept_above = plan->above_bin + above_lo;
    plan->ties_needed = plan->keep - plan->kept_above;
    plan->ties_total = (int64_t)hist2[lo];
}

#endif
