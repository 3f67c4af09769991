// select.cpp — host reference of top-k selection (sr_prune_magnitude_* / sr_prune_random_*): radix
// select on 32-bit keys (common/select.h) in three streaming passes over weights+masks, with one
// 65536-bin histogram (512 KiB) as the only extra memory — never a copy of the model.
//   pass 1: level-1 histogram (key >> 16) of live entries; also the live count and, in magnitude
//           mode, the NaN/Inf check (|w| keys >= 0x7f800000 land in bins >= 0x7f80);
//   pass 2: level-2 histogram (key & 0xffff) of live entries in the chosen level-1 bin;
//   pass 3: write masks (key > T, or key == T among the first ties_needed in (tensor, element) order).
// Every check happens in passes 1-2, before pass 3 writes any mask.
#include <algorithm>
#include <cstring>
#include <vector>
#include "common/select.h"
#include "host/host_ops.h"

namespace {

struct Tensor {
    const void* w;  // [n] F32/BF16 weights, null in random mode
    uint8_t* m;     // [n] mask, nonzero = live
    int64_t n;
    int32_t t;      // tensor index (random keys depend on it)
};

// Level-1 histogram: hist[key >> 16] += live. Branch-free for magnitude keys; random mode skips dead
// entries because a philox key costs ~10x the load.
template <int Mode>
void hist_level1(const Tensor& x, uint64_t seed, uint64_t* hist) {
    for (int64_t i = 0; i < x.n; ++i) {
        const uint64_t live = x.m[i] != 0;
        if (Mode == SR_SELECT_RANDOM && !live) continue;
        hist[sr_select_key<Mode>(x.w, seed, x.t, i) >> 16] += live;
    }
}

// Level-2 histogram: hist[key & 0xffff] += 1 for live entries with key >> 16 == hi_bin.
template <int Mode>
void count_level2(const Tensor& x, uint64_t seed, uint32_t hi_bin, int64_t i, uint64_t* hist) {
    const bool live = x.m[i] != 0;
    if (Mode == SR_SELECT_RANDOM && !live) return;
    const uint32_t key = sr_select_key<Mode>(x.w, seed, x.t, i);
    if (((key >> 16) == hi_bin) & live) ++hist[key & 0xffffu];  // & not &&: no branch on a random mask
}

// Only a few entries fall in one level-1 bin: for magnitude keys, each block of kBlock2 entries is
// first tested with one OR over its compares (vectorized, no branch per element), and only blocks
// with a hit are counted. Random keys (philox, ~10x the load) are computed once, for live entries.
constexpr int64_t kBlock2 = 32;

template <int Mode>
void hist_level2(const Tensor& x, uint64_t seed, uint32_t hi_bin, uint64_t* hist) {
    int64_t i = 0;
    if (Mode != SR_SELECT_RANDOM) {
        for (; i + kBlock2 <= x.n; i += kBlock2) {
            uint32_t hit = 0;
            for (int64_t j = i; j < i + kBlock2; ++j)
                hit |= ((sr_select_key<Mode>(x.w, seed, x.t, j) >> 16) == hi_bin) & (x.m[j] != 0);
            if (hit)
                for (int64_t j = i; j < i + kBlock2; ++j) count_level2<Mode>(x, seed, hi_bin, j, hist);
        }
    }
    for (; i < x.n; ++i) count_level2<Mode>(x, seed, hi_bin, i, hist);
}

// Pass 3 over x.m[i0, i1): mask = live & (key > T | key == T & take_ties), branch-free. m and w in
// locals: a store through uint8_t* may alias x itself, which would keep the loop from vectorizing.
template <int Mode>
void write_range(const Tensor& x, uint64_t seed, uint32_t threshold, bool take_ties, int64_t i0, int64_t i1) {
    uint8_t* const m = x.m;
    const void* const w = x.w;
    const int32_t t = x.t;
    for (int64_t i = i0; i < i1; ++i) {
        const bool live = m[i] != 0;
        if (Mode == SR_SELECT_RANDOM && !live) continue;
        const uint32_t key = sr_select_key<Mode>(w, seed, t, i);
        m[i] = (uint8_t)(live & ((key > threshold) | ((key == threshold) & take_ties)));
    }
}

// Pass 3: mask = 1 for key > T, and for key == T while fewer than ties_needed have been kept
// (*ties_taken carries the count across tensors); 0 otherwise. Pruned entries stay 0. When every
// tie stays (ties_needed == ties_total, the usual case) or none is left to take, it is one
// branch-free comparison per element; only while some but not all ties remain does the counting
// loop run.
template <int Mode>
void write_masks(const Tensor& x, uint64_t seed, const sr_select_plan& plan, int64_t* ties_taken) {
    const uint32_t threshold = plan.threshold;
    if (plan.ties_needed == plan.ties_total) return write_range<Mode>(x, seed, threshold, true, 0, x.n);
    int64_t taken = *ties_taken;
    int64_t i = 0;
    for (; i < x.n && taken < plan.ties_needed; ++i) {
        const bool live = x.m[i] != 0;
        if (Mode == SR_SELECT_RANDOM && !live) continue;
        const uint32_t key = sr_select_key<Mode>(x.w, seed, x.t, i);
        const bool tie = live & (key == threshold);
        taken += tie;
        x.m[i] = (uint8_t)((live & (key > threshold)) | tie);
    }
    *ties_taken = taken;
    write_range<Mode>(x, seed, threshold, false, i, x.n);
}

double weight_value(int32_t mode, const void* w, int64_t i) {
    if (mode == SR_SELECT_F32) return static_cast<const float*>(w)[i];
    return sr_bf16_to_float(static_cast<const uint16_t*>(w)[i]);
}

// Magnitude mode: live NaN/Inf entries show up in level-1 bins >= 0x7f80 (bins >= 0x8000 stay empty
// since the sign is cleared). When any do, finds the first one in (tensor, element) order.
template <int Mode>
sr_status check_finite(sr_env* env, const Tensor* xs, int32_t count, const uint64_t* hist1) {
    if (Mode == SR_SELECT_RANDOM) return SR_OK;
    uint64_t nonfinite = 0;
    for (uint32_t b = 0x7f80u; b < SR_SELECT_BINS; ++b) nonfinite += hist1[b];
    if (nonfinite == 0) return SR_OK;
    for (int32_t k = 0; k < count; ++k)
        for (int64_t i = 0; i < xs[k].n; ++i)
            if (xs[k].m[i] && sr_key_nonfinite(sr_select_key<Mode>(xs[k].w, 0, xs[k].t, i)))
                return sr_fail(env, SR_ERR_NONFINITE, SR_SELECT_MSG_NONFINITE, xs[k].t, (long long)i,
                               weight_value(Mode, xs[k].w, i));
    return sr_fail(env, SR_ERR_INTERNAL, "histogram counted %llu non-finite weights that a rescan did not find",
                   (unsigned long long)nonfinite);
}

// Passes 1 and 2 over the tensors xs[0..count) as one selection (the whole model, or one tensor when
// layer-wise); keep_of(live count) returns the number to keep, or -1 after writing the out-of-range
// error. Writes no mask.
template <int Mode, typename KeepOf>
sr_status plan_selection(sr_env* env, const Tensor* xs, int32_t count, uint64_t seed, std::vector<uint64_t>& hist,
                         KeepOf keep_of, sr_select_plan* plan) {
    std::fill(hist.begin(), hist.end(), 0);
    for (int32_t k = 0; k < count; ++k) hist_level1<Mode>(xs[k], seed, hist.data());
    sr_status st = check_finite<Mode>(env, xs, count, hist.data());
    if (st != SR_OK) return st;
    plan->live = 0;
    for (uint64_t c : hist) plan->live += (int64_t)c;
    plan->keep = keep_of(plan->live);
    if (plan->keep < 0) return SR_ERR_OUT_OF_RANGE;
    if (plan->keep == 0) return SR_OK;  // threshold 0, nothing kept: no level 2 needed
    sr_select_plan_level1(plan, hist.data());
    std::fill(hist.begin(), hist.end(), 0);
    for (int32_t k = 0; k < count; ++k) hist_level2<Mode>(xs[k], seed, plan->hi_bin, hist.data());
    sr_select_plan_level2(plan, hist.data());
    return SR_OK;
}

// Pass 3 for one plan: keep == 0 clears the masks, keep == live leaves them as they are.
template <int Mode>
void apply_plan(const Tensor* xs, int32_t count, uint64_t seed, const sr_select_plan& plan) {
    if (plan.keep == plan.live) return;
    int64_t ties_taken = 0;
    for (int32_t k = 0; k < count; ++k) {
        if (plan.keep == 0) {
            if (xs[k].n > 0) std::memset(xs[k].m, 0, (size_t)xs[k].n);
        } else {
            write_masks<Mode>(xs[k], seed, plan, &ties_taken);
        }
    }
}

template <int Mode>
sr_status select_global(sr_env* env, const std::vector<Tensor>& xs, int64_t keep, uint64_t seed,
                        sr_select_report* report) {
    std::vector<uint64_t> hist(SR_SELECT_BINS);
    const int32_t count = (int32_t)xs.size();
    auto keep_of = [&](int64_t live) -> int64_t {
        if (keep <= live) return keep;
        sr_fail(env, SR_ERR_OUT_OF_RANGE, SR_SELECT_MSG_KEEP_GLOBAL, (long long)keep, (long long)live, count);
        return -1;
    };
    sr_select_plan plan;
    sr_status st = plan_selection<Mode>(env, xs.data(), count, seed, hist, keep_of, &plan);
    if (st != SR_OK) return st;
    apply_plan<Mode>(xs.data(), count, seed, plan);
    if (report) {
        report->threshold_bits = plan.threshold;
        report->reserved = 0;
        report->kept_above = plan.kept_above;
        report->kept_ties = plan.ties_needed;
        report->live_before = plan.live;
    }
    return SR_OK;
}

// Layer-wise: plans every tensor first (all checks), then writes; one plan (~64 bytes) per tensor.
template <int Mode>
sr_status select_layerwise(sr_env* env, const std::vector<Tensor>& xs, const int64_t* keep_per_tensor,
                           uint64_t seed) {
    std::vector<uint64_t> hist(SR_SELECT_BINS);
    std::vector<sr_select_plan> plans(xs.size());
    for (size_t k = 0; k < xs.size(); ++k) {
        const int32_t t = xs[k].t;
        auto keep_of = [&](int64_t live) -> int64_t {
            if (keep_per_tensor[t] <= live) return keep_per_tensor[t];
            sr_fail(env, SR_ERR_OUT_OF_RANGE, SR_SELECT_MSG_KEEP_LAYER, t, (long long)keep_per_tensor[t],
                    (long long)live, t);
            return -1;
        };
        sr_status st = plan_selection<Mode>(env, &xs[k], 1, seed, hist, keep_of, &plans[k]);
        if (st != SR_OK) return st;
    }
    for (size_t k = 0; k < xs.size(); ++k) apply_plan<Mode>(&xs[k], 1, seed, plans[k]);
    return SR_OK;
}

template <int Mode>
sr_status select_mode(sr_env* env, const std::vector<Tensor>& xs, int64_t keep, const int64_t* keep_per_tensor,
                      uint64_t seed, sr_select_report* report) {
    if (keep_per_tensor) return select_layerwise<Mode>(env, xs, keep_per_tensor, seed);
    return select_global<Mode>(env, xs, keep, seed, report);
}

}  // namespace

sr_status sr_host_select_topk(sr_env* env, int32_t dtype, int32_t count, const void* const* weights,
                              uint8_t* const* masks, const int64_t* sizes, int64_t keep,
                              const int64_t* keep_per_tensor, uint64_t seed, sr_select_report* report) {
    std::vector<Tensor> xs((size_t)count);
    for (int32_t t = 0; t < count; ++t)
        xs[t] = Tensor{weights ? weights[t] : nullptr, masks[t], sizes[t], t};
    if (!weights) return select_mode<SR_SELECT_RANDOM>(env, xs, keep, keep_per_tensor, seed, report);
    if (dtype == SR_BF16) return select_mode<SR_SELECT_BF16>(env, xs, keep, keep_per_tensor, seed, report);
    return select_mode<SR_SELECT_F32>(env, xs, keep, keep_per_tensor, seed, report);
}
