/*
 * sparseretrain/masks.h — masks, global and layer-wise top-k selection (magnitude and random), N:M
 * and transposable 2:4 masks, the N:M check, and the portable 2:4 layout (compress / decompress).
 * Part of the C API: sparseretrain.h includes every part and states the conventions they follow.
 */
#ifndef SPARSERETRAIN_MASKS_H
#define SPARSERETRAIN_MASKS_H

#include "sparseretrain/base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- masks */

/* w[i] = mask[i] ? w[i] : 0, in place. dtype: F32 or BF16. */
sr_status sr_apply_mask(sr_context* ctx, int32_t dtype, void* w, const uint8_t* mask, int64_t n);
/* *out (host) = number of nonzero elements of x. dtype: F32, BF16 or U8. -0.0 counts as zero. */
sr_status sr_count_nonzero(sr_context* ctx, int32_t dtype, const void* x, int64_t n, int64_t* out);
/*
 * Per-tensor counts of nonzero elements of `count` tensors: per_tensor[t] (host, may be NULL) and
 * *total (host, may be NULL).
 */
sr_status sr_count_nonzero_many(sr_context* ctx, int32_t dtype, int32_t count,
                                const void* const* xs, const int64_t* sizes,
                                int64_t* per_tensor, int64_t* total);

/*
 * Result of a top-k selection (magnitude or random), written to host memory.
 *  threshold_bits: the 32-bit key of the k-th kept entry (for magnitude on F32: the float bits of
 *                  |w|; for BF16 the bits of |w| widened to float). 0 when k = 0.
 *  kept_above:     live entries with key > threshold (all kept).
 *  kept_ties:      entries with key == threshold that were kept (the first ones in
 *                  (tensor, element) order); kept_above + kept_ties == k.
 *  live_before:    live entries across all tensors before the call.
 */
typedef struct sr_select_report {
    uint32_t threshold_bits;
    int32_t reserved;
    int64_t kept_above;
    int64_t kept_ties;
    int64_t live_before;
} sr_select_report;

/*
 * Global magnitude pruning over a list of tensors and their current masks.
 * Ranks only live entries (mask == 1) by |w|, larger first; among equal |w| the lower tensor index,
 * then the lower element index wins. Keeps exactly `keep` of them: the rest get mask = 0. Entries
 * already pruned are never revived, even when a live weight is exactly 0. Weights are not changed
 * (apply the masks with sr_apply_mask). Extra memory: O(histogram bins), never a copy of the model.
 * Errors without touching any mask: NaN/Inf in a live weight (names tensor and element),
 * keep > live count (SR_ERR_OUT_OF_RANGE), keep < 0, bad dtype (F32 or BF16 only).
 * report (host) may be NULL.
 */
sr_status sr_prune_magnitude_global(sr_context* ctx, int32_t dtype, int32_t count,
                                    const void* const* weights, uint8_t* const* masks,
                                    const int64_t* sizes, int64_t keep, sr_select_report* report);
/* Layer-wise variant: tensor t keeps exactly keep_per_tensor[t] (host array) of its live entries. */
sr_status sr_prune_magnitude_layerwise(sr_context* ctx, int32_t dtype, int32_t count,
                                       const void* const* weights, uint8_t* const* masks,
                                       const int64_t* sizes, const int64_t* keep_per_tensor);

/*
 * Random pruning (baseline) with the same selection rules as magnitude pruning, ranking live
 * entries by a counter-based key philox4x32-10(seed; tensor index, element index) instead of |w|,
 * so host and CUDA produce the identical mask for a seed. Exactly `keep` live entries stay.
 */
sr_status sr_prune_random_global(sr_context* ctx, int32_t count, uint8_t* const* masks,
                                 const int64_t* sizes, int64_t keep, uint64_t seed,
                                 sr_select_report* report);
sr_status sr_prune_random_layerwise(sr_context* ctx, int32_t count, uint8_t* const* masks,
                                    const int64_t* sizes, const int64_t* keep_per_tensor,
                                    uint64_t seed);

/*
 * N:M mask along K of a weight viewed as [outer, K, inner]: in every group of M consecutive k (at
 * fixed outer and inner index) keep the N live entries of largest |w| (ties: lower k wins).
 * mask is in/out: on input the current mask (0 = pruned, never revived); on output at most N
 * kept per group, exactly N where the group had at least N live entries. Requires 0 < N < M <= 16
 * and K % M == 0 (SR_ERR_SHAPE otherwise, naming K and M). dtype: F32 or BF16.
 */
sr_status sr_mask_nm(sr_context* ctx, int32_t dtype, const void* w, uint8_t* mask, int64_t outer,
                     int64_t k, int64_t inner, int32_t n, int32_t m);
/*
 * Transposable 2:4 mask: the weight viewed as [outer, K, inner] is cut into 4x4 blocks of 4
 * consecutive outer rows x 4 consecutive k at fixed inner; each block keeps exactly 2 per row and 2
 * per column — the one of the 90 such patterns with the largest sum of |w| over kept live entries
 * (ties: the lowest pattern index in the enumeration of native/src/common/transposable.h).
 * mask is in/out as for sr_mask_nm: output = chosen pattern AND input mask. outer % 4 == 0 and
 * K % 4 == 0 are required.
 */
sr_status sr_mask_transposable_24(sr_context* ctx, int32_t dtype, const void* w, uint8_t* mask,
                                  int64_t outer, int64_t k, int64_t inner);
/*
 * *violations (host) = number of groups of M along K with more than N nonzero entries in x
 * (dtype F32, BF16 or U8). 0 means x satisfies N:M.
 */
sr_status sr_check_nm(sr_context* ctx, int32_t dtype, const void* x, int64_t outer, int64_t k,
                      int64_t inner, int32_t n, int32_t m, int64_t* violations);

/*
 * Portable 2:4 layout (for export), for a weight viewed as [outer, K, inner], K % 4 == 0:
 *  values [outer, K/2, inner] (dtype of w): the 2 kept values of each group, in ascending k order;
 *  meta   [outer, K/4, inner] uint8: per group, bits 0-1 = index (0..3) of the first kept value,
 *         bits 2-3 = index of the second, index0 < index1.
 * The kept positions are those with mask == 1. A group with fewer than 2 kept positions is filled
 * with the lowest unused indices holding value 0. More than 2 kept in a group is SR_ERR_PATTERN
 * (naming the group), detected before anything is written.
 */
sr_status sr_compress_24(sr_context* ctx, int32_t dtype, const void* w, const uint8_t* mask,
                         int64_t outer, int64_t k, int64_t inner, void* values, uint8_t* meta);
/* Inverse of sr_compress_24: w (all of it written) from values and meta; invalid meta is an error. */
sr_status sr_decompress_24(sr_context* ctx, int32_t dtype, const void* values, const uint8_t* meta,
                           int64_t outer, int64_t k, int64_t inner, void* w);

#ifdef __cplusplus
}
#endif

#endif /* SPARSERETRAIN_MASKS_H */
