// select.cu — CUDA top-k selection (sr_prune_magnitude_* / sr_prune_random_*), the same radix select
// as host/select.cpp on the same keys (common/select.h), so both give the identical mask:
//   level 1: 65536-bin histogram of key >> 16 (magnitude: 32768-bin u32 sub-histograms in shared
//            memory, flushed with one 64-bit atomic per nonzero bin; random keys, or GPUs without
//            128 KiB of opt-in shared memory: warp-aggregated global atomics). NaN/Inf in a live
//            weight: atomicMin of the flat (tensor-concatenated) element index into a device flag.
//   level 2: histogram of key & 0xffff inside the chosen level-1 bin (warp-aggregated atomics).
//   Both histograms go to the host through pinned scratch; the threshold search runs there.
//   write:   blocks own contiguous chunks of kChunk elements, so (block, rank in block) is element
//            order. When only some ties at T stay, a tie-count kernel + host exclusive scan give
//            each block the number of ties before it, and the write kernel keeps a tie while
//            block_prefix + rank < ties_needed (rank from warp ballots + a block scan).
// Extra device memory: 512 KiB of histogram + 12 bytes per chunk of 4096 elements.
// `weights` and `masks` are host arrays of device pointers; kernels launch per tensor.
#include <vector>
#include "common/select.h"
#include "cuda/check.cuh"
#include "cuda/cuda_ops.h"

namespace {

constexpr int kBlock = 256;                       // ordered passes and global-atomic histograms
constexpr int kWarps = kBlock / 32;
constexpr int kChunk = 16 * kBlock;               // elements per block in the ordered passes
constexpr int kHistBlock = 1024;                  // one block per SM: its 128 KiB sub-histogram fills shared memory
constexpr int kMagBins = SR_SELECT_BINS / 2;      // |w| keys have the sign bit clear: level-1 bins < 32768
constexpr size_t kMagSmem = kMagBins * sizeof(uint32_t);
constexpr unsigned kFull = 0xffffffffu;
constexpr unsigned long long kNoIndex = ~0ull;

struct Tensor {
    const void* w;  // device [n] F32/BF16, null in random mode
    uint8_t* m;     // device [n], nonzero = live
    int64_t n;
    int32_t t;      // tensor index (random keys depend on it)
    int64_t flat;   // index of element 0 in the concatenation of this selection's tensors
    int64_t chunk0; // index of this tensor's first chunk among this selection's chunks
};

int64_t chunks_of(int64_t n) { return (n + kChunk - 1) / kChunk; }

// Level 1, magnitude. Each block counts its grid-stride share in u32 (a block sees < 2^32 elements
// for any n below 2^32 * gridDim.x) and adds each nonzero bin to hist [65536] u64 once.
template <int Mode>
__global__ void __launch_bounds__(kHistBlock) hist1_shared(const void* w, const uint8_t* m, int64_t n, int64_t flat,
                                                           unsigned long long* hist, unsigned long long* bad) {
    extern __shared__ uint32_t sub[];  // [kMagBins]
    for (int b = threadIdx.x; b < kMagBins; b += blockDim.x) sub[b] = 0;
    __syncthreads();
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x) {
        if (!m[i]) continue;
        const uint32_t key = sr_select_key<Mode>(w, 0, 0, i);
        if (sr_key_nonfinite(key)) atomicMin(bad, (unsigned long long)(flat + i));
        atomicAdd(&sub[key >> 16], 1u);  // NaN/Inf land in bins 0x7f80..0x7fff, still < kMagBins
    }
    __syncthreads();
    for (int b = threadIdx.x; b < kMagBins; b += blockDim.x)
        if (sub[b]) atomicAdd(&hist[b], (unsigned long long)sub[b]);
}

// Level 1 of random keys (Level2 = false) or level 2 of any keys (Level2 = true: only keys whose top
// 16 bits are hi_bin, binned by their low 16 bits). Lanes with the same bin add once per warp
// (__match_any_sync), which keeps runs of equal weights (e.g. many exact zeros) from serialising.
// Also the level-1 fallback for magnitude keys where 128 KiB of shared memory per block is not
// available (sm_86/sm_89 running the compute_80 PTX), then with the NaN/Inf flag as in hist1_shared.
template <int Mode, bool Level2>
__global__ void __launch_bounds__(kBlock) hist_global(const void* w, const uint8_t* m, int64_t n, int32_t t,
                                                      uint64_t seed, uint32_t hi_bin, unsigned long long* hist,
                                                      int64_t flat, unsigned long long* bad) {
    const int lane = threadIdx.x & 31;
    // base is block-uniform so every lane reaches the warp intrinsics together
    for (int64_t base = blockIdx.x * (int64_t)blockDim.x; base < n; base += (int64_t)gridDim.x * blockDim.x) {
        const int64_t i = base + threadIdx.x;
        bool in = false;
        uint32_t bin = 0;
        if (i < n && m[i]) {
            const uint32_t key = sr_select_key<Mode>(w, seed, t, i);
            if (!Level2 && Mode != SR_SELECT_RANDOM && sr_key_nonfinite(key))
                atomicMin(bad, (unsigned long long)(flat + i));
            bin = Level2 ? key & 0xffffu : key >> 16;
            in = !Level2 || (key >> 16) == hi_bin;
        }
        const unsigned active = __ballot_sync(kFull, in);
        if (in) {
            const unsigned peers = __match_any_sync(active, bin);
            if (lane == __ffs(peers) - 1) atomicAdd(&hist[bin], (unsigned long long)__popc(peers));
        }
    }
}

// block_ties[b] = live entries with key == threshold in chunk b of the tensor.
template <int Mode>
__global__ void __launch_bounds__(kBlock) count_ties(const void* w, const uint8_t* m, int64_t n, int32_t t,
                                                     uint64_t seed, uint32_t threshold, uint32_t* block_ties) {
    __shared__ uint32_t warp_sum[kWarps];
    const int64_t begin = blockIdx.x * (int64_t)kChunk;
    const int64_t end = min(n, begin + kChunk);
    uint32_t c = 0;
    for (int64_t i = begin + threadIdx.x; i < end; i += kBlock)
        c += m[i] && sr_select_key<Mode>(w, seed, t, i) == threshold;
    c = __reduce_add_sync(kFull, c);
    if ((threadIdx.x & 31) == 0) warp_sum[threadIdx.x >> 5] = c;
    __syncthreads();
    if (threadIdx.x == 0) {
        uint32_t s = 0;
        for (int k = 0; k < kWarps; ++k) s += warp_sum[k];
        block_ties[blockIdx.x] = s;
    }
}

// Live entries: mask = key > T, or key == T with (ties before it in (tensor, element) order) <
// ties_needed. block_prefix [chunks] = ties before each chunk; null means every tie stays.
template <int Mode>
__global__ void __launch_bounds__(kBlock) write_masks(const void* w, uint8_t* m, int64_t n, int32_t t, uint64_t seed,
                                                      uint32_t threshold, const unsigned long long* block_prefix,
                                                      unsigned long long ties_needed) {
    __shared__ uint32_t warp_ties[kWarps];
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    const int64_t begin = blockIdx.x * (int64_t)kChunk;
    const int64_t end = min(n, begin + kChunk);
    unsigned long long tile_rank = block_prefix ? block_prefix[blockIdx.x] : 0ull;  // ties before this tile
    for (int64_t base = begin; base < end; base += kBlock) {  // block-uniform: ballots and barriers below
        const int64_t i = base + threadIdx.x;
        const bool live = i < end && m[i] != 0;
        const uint32_t key = live ? sr_select_key<Mode>(w, seed, t, i) : 0u;
        const bool tie = live && key == threshold;
        const unsigned ballot = __ballot_sync(kFull, tie);
        if (lane == 0) warp_ties[warp] = __popc(ballot);
        __syncthreads();
        unsigned long long rank = tile_rank + __popc(ballot & ((1u << lane) - 1u));
        uint32_t tile = 0;
        for (int k = 0; k < kWarps; ++k) {
            const uint32_t c = warp_ties[k];
            rank += k < warp ? c : 0u;
            tile += c;
        }
        __syncthreads();  // warp_ties is rewritten by the next tile
        if (live) m[i] = (key > threshold || (tie && (!block_prefix || rank < ties_needed))) ? 1 : 0;
        tile_rank += tile;
    }
}

// Device workspace and its pinned host mirror share one layout:
//   [hist: 65536 u64][bad: 1 u64][prefix: chunks u64][ties: chunks u32]
struct Scratch {
    unsigned long long* hist;
    unsigned long long* bad;
    unsigned long long* prefix;
    uint32_t* ties;
};

size_t scratch_bytes(int64_t chunks) { return (SR_SELECT_BINS + 1 + chunks) * sizeof(unsigned long long) + chunks * 4; }

Scratch scratch_at(void* base, int64_t chunks) {
    unsigned long long* u = static_cast<unsigned long long*>(base);
    return Scratch{u, u + SR_SELECT_BINS, u + SR_SELECT_BINS + 1,
                   reinterpret_cast<uint32_t*>(u + SR_SELECT_BINS + 1 + chunks)};
}

struct Run {
    sr_env* env;
    cudaStream_t s;
    int sms;
    bool smem_hist;  // the device grants kMagSmem of shared memory per block (opt-in)
    uint64_t seed;
    Scratch dev, host;
};

sr_status to_host(Run& r, void* host, const void* dev, size_t bytes) {
    SR_CUDA_TRY(r.env, cudaMemcpyAsync(host, dev, bytes, cudaMemcpyDeviceToHost, r.s));
    SR_CUDA_TRY(r.env, cudaStreamSynchronize(r.s));
    return SR_OK;
}

template <int Mode>
sr_status launch_level1(Run& r, const Tensor& x) {
    if (x.n == 0) return SR_OK;
    if constexpr (Mode != SR_SELECT_RANDOM) {
        if (r.smem_hist) {
            SR_CUDA_TRY(r.env, cudaFuncSetAttribute(hist1_shared<Mode>, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                                    (int)kMagSmem));
            const int64_t blocks = (x.n + kHistBlock - 1) / kHistBlock;
            const unsigned grid = (unsigned)(blocks < r.sms ? blocks : r.sms);
            hist1_shared<Mode><<<grid, kHistBlock, kMagSmem, r.s>>>(x.w, x.m, x.n, x.flat, r.dev.hist, r.dev.bad);
            SR_CUDA_LAUNCHED(r.env, "hist1_shared");
            return SR_OK;
        }
    }
    hist_global<Mode, false><<<sr_grid_for(x.n, kBlock), kBlock, 0, r.s>>>(x.w, x.m, x.n, x.t, r.seed, 0u, r.dev.hist,
                                                                            x.flat, r.dev.bad);
    SR_CUDA_LAUNCHED(r.env, "hist_global<level 1>");
    return SR_OK;
}

// The first live NaN/Inf (flat index from the device flag) as the error, with its value.
template <int Mode>
sr_status fail_nonfinite(Run& r, const Tensor* xs, int32_t count, unsigned long long flat) {
    for (int32_t k = 0; k < count; ++k) {
        if ((int64_t)flat < xs[k].flat || (int64_t)flat >= xs[k].flat + xs[k].n) continue;
        const int64_t i = (int64_t)flat - xs[k].flat;
        const size_t es = Mode == SR_SELECT_F32 ? 4 : 2;
        uint32_t bits = 0;  // little-endian: a bf16 lands in the low half
        SR_CUDA_TRY(r.env, cudaMemcpyAsync(&bits, static_cast<const char*>(xs[k].w) + i * es, es,
                                           cudaMemcpyDeviceToHost, r.s));
        SR_CUDA_TRY(r.env, cudaStreamSynchronize(r.s));
        const double v = Mode == SR_SELECT_F32 ? sr_bits_float(bits) : sr_bf16_to_float((uint16_t)bits);
        return sr_fail(r.env, SR_ERR_NONFINITE, SR_SELECT_MSG_NONFINITE, xs[k].t, (long long)i, v);
    }
    return sr_fail(r.env, SR_ERR_INTERNAL, "non-finite flag %llu lies outside the tensors", flat);
}

// Levels 1 and 2 over xs[0..count) as one selection; keep_of(live) gives the number to keep or -1
// after writing the out-of-range error. Writes no mask.
template <int Mode, typename KeepOf>
sr_status plan_selection(Run& r, const Tensor* xs, int32_t count, KeepOf keep_of, sr_select_plan* plan) {
    const size_t hist_bytes = SR_SELECT_BINS * sizeof(unsigned long long);
    SR_CUDA_TRY(r.env, cudaMemsetAsync(r.dev.hist, 0, hist_bytes, r.s));
    SR_CUDA_TRY(r.env, cudaMemsetAsync(r.dev.bad, 0xff, sizeof(unsigned long long), r.s));  // kNoIndex
    for (int32_t k = 0; k < count; ++k) {
        sr_status st = launch_level1<Mode>(r, xs[k]);
        if (st != SR_OK) return st;
    }
    sr_status st = to_host(r, r.host.hist, r.dev.hist, hist_bytes + sizeof(unsigned long long));  // hist + bad
    if (st != SR_OK) return st;
    if (Mode != SR_SELECT_RANDOM && *r.host.bad != kNoIndex) return fail_nonfinite<Mode>(r, xs, count, *r.host.bad);
    plan->live = 0;
    for (int b = 0; b < SR_SELECT_BINS; ++b) plan->live += (int64_t)r.host.hist[b];
    plan->keep = keep_of(plan->live);
    if (plan->keep < 0) return SR_ERR_OUT_OF_RANGE;
    if (plan->keep == 0) return SR_OK;
    sr_select_plan_level1(plan, r.host.hist);
    SR_CUDA_TRY(r.env, cudaMemsetAsync(r.dev.hist, 0, hist_bytes, r.s));
    for (int32_t k = 0; k < count; ++k) {
        if (xs[k].n == 0) continue;
        hist_global<Mode, true><<<sr_grid_for(xs[k].n, kBlock), kBlock, 0, r.s>>>(
            xs[k].w, xs[k].m, xs[k].n, xs[k].t, r.seed, plan->hi_bin, r.dev.hist, 0, nullptr);
        SR_CUDA_LAUNCHED(r.env, "hist_global<level 2>");
    }
    st = to_host(r, r.host.hist, r.dev.hist, hist_bytes);
    if (st != SR_OK) return st;
    sr_select_plan_level2(plan, r.host.hist);
    return SR_OK;
}

// Writes the masks of one plan: keep == 0 clears them, keep == live leaves them as they are.
template <int Mode>
sr_status apply_plan(Run& r, const Tensor* xs, int32_t count, const sr_select_plan& plan) {
    if (plan.keep == plan.live) return SR_OK;
    if (plan.keep == 0) {
        for (int32_t k = 0; k < count; ++k)
            if (xs[k].n > 0) SR_CUDA_TRY(r.env, cudaMemsetAsync(xs[k].m, 0, (size_t)xs[k].n, r.s));
        return SR_OK;
    }
    // Only when some ties at T must go does element order matter: ties per chunk -> exclusive scan.
    const bool split = plan.ties_needed < plan.ties_total;
    if (split) {
        const int64_t chunks = xs[count - 1].chunk0 + chunks_of(xs[count - 1].n);
        for (int32_t k = 0; k < count; ++k) {
            if (xs[k].n == 0) continue;
            count_ties<Mode><<<(unsigned)chunks_of(xs[k].n), kBlock, 0, r.s>>>(
                xs[k].w, xs[k].m, xs[k].n, xs[k].t, r.seed, plan.threshold, r.dev.ties + xs[k].chunk0);
            SR_CUDA_LAUNCHED(r.env, "count_ties");
        }
        sr_status st = to_host(r, r.host.ties, r.dev.ties, (size_t)chunks * sizeof(uint32_t));
        if (st != SR_OK) return st;
        unsigned long long before = 0;
        for (int64_t c = 0; c < chunks; ++c) {
            r.host.prefix[c] = before;
            before += r.host.ties[c];
        }
        SR_CUDA_TRY(r.env, cudaMemcpyAsync(r.dev.prefix, r.host.prefix, (size_t)chunks * sizeof(unsigned long long),
                                           cudaMemcpyHostToDevice, r.s));
    }
    for (int32_t k = 0; k < count; ++k) {
        if (xs[k].n == 0) continue;
        write_masks<Mode><<<(unsigned)chunks_of(xs[k].n), kBlock, 0, r.s>>>(
            xs[k].w, xs[k].m, xs[k].n, xs[k].t, r.seed, plan.threshold, split ? r.dev.prefix + xs[k].chunk0 : nullptr,
            (unsigned long long)plan.ties_needed);
        SR_CUDA_LAUNCHED(r.env, "write_masks");
    }
    return SR_OK;
}

template <int Mode>
sr_status select_global(Run& r, const std::vector<Tensor>& xs, int64_t keep, sr_select_report* report) {
    const int32_t count = (int32_t)xs.size();
    auto keep_of = [&](int64_t live) -> int64_t {
        if (keep <= live) return keep;
        sr_fail(r.env, SR_ERR_OUT_OF_RANGE, SR_SELECT_MSG_KEEP_GLOBAL, (long long)keep, (long long)live, count);
        return -1;
    };
    sr_select_plan plan;
    sr_status st = plan_selection<Mode>(r, xs.data(), count, keep_of, &plan);
    if (st != SR_OK) return st;
    st = apply_plan<Mode>(r, xs.data(), count, plan);
    if (st != SR_OK) return st;
    if (report) {
        report->threshold_bits = plan.threshold;
        report->reserved = 0;
        report->kept_above = plan.kept_above;
        report->kept_ties = plan.ties_needed;
        report->live_before = plan.live;
    }
    return SR_OK;
}

// Layer-wise: every tensor is planned (all checks) before any mask is written.
template <int Mode>
sr_status select_layerwise(Run& r, const std::vector<Tensor>& xs, const int64_t* keep_per_tensor) {
    std::vector<sr_select_plan> plans(xs.size());
    for (size_t k = 0; k < xs.size(); ++k) {
        const int32_t t = xs[k].t;
        auto keep_of = [&](int64_t live) -> int64_t {
            if (keep_per_tensor[t] <= live) return keep_per_tensor[t];
            sr_fail(r.env, SR_ERR_OUT_OF_RANGE, SR_SELECT_MSG_KEEP_LAYER, t, (long long)keep_per_tensor[t],
                    (long long)live, t);
            return -1;
        };
        sr_status st = plan_selection<Mode>(r, &xs[k], 1, keep_of, &plans[k]);
        if (st != SR_OK) return st;
    }
    for (size_t k = 0; k < xs.size(); ++k) {
        sr_status st = apply_plan<Mode>(r, &xs[k], 1, plans[k]);
        if (st != SR_OK) return st;
    }
    return SR_OK;
}

template <int Mode>
sr_status select_mode(Run& r, const std::vector<Tensor>& xs, int64_t keep, const int64_t* keep_per_tensor,
                      sr_select_report* report) {
    sr_status st = keep_per_tensor ? select_layerwise<Mode>(r, xs, keep_per_tensor)
                                   : select_global<Mode>(r, xs, keep, report);
    if (st != SR_OK) return st;
    // Outside the step loop: wait, so kernel faults surface here and the pinned scratch is free again.
    SR_CUDA_TRY(r.env, cudaStreamSynchronize(r.s));
    return SR_OK;
}

}  // namespace

sr_status sr_cuda_select_topk(sr_env* env, int32_t dtype, int32_t count, const void* const* weights,
                              uint8_t* const* masks, const int64_t* sizes, int64_t keep,
                              const int64_t* keep_per_tensor, uint64_t seed, sr_select_report* report) {
    // Global: flat indices and chunks run across all tensors; layer-wise: each tensor starts at 0.
    const bool layerwise = keep_per_tensor != nullptr;
    std::vector<Tensor> xs((size_t)count);
    int64_t flat = 0, chunks = 0, max_chunks = 0;
    for (int32_t t = 0; t < count; ++t) {
        xs[t] = Tensor{weights ? weights[t] : nullptr, masks[t], sizes[t], t, layerwise ? 0 : flat,
                       layerwise ? 0 : chunks};
        flat += sizes[t];
        chunks += chunks_of(sizes[t]);
        max_chunks = chunks_of(sizes[t]) > max_chunks ? chunks_of(sizes[t]) : max_chunks;
    }
    if (layerwise) chunks = max_chunks;
    void* dev = nullptr;
    void* host = nullptr;
    sr_status st = sr_cuda_workspace(env, scratch_bytes(chunks), &dev);
    if (st != SR_OK) return st;
    st = sr_cuda_host_scratch(env, scratch_bytes(chunks), &host);
    if (st != SR_OK) return st;
    int sms = 0, smem_optin = 0;
    SR_CUDA_TRY(env, cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, env->ordinal));
    SR_CUDA_TRY(env, cudaDeviceGetAttribute(&smem_optin, cudaDevAttrMaxSharedMemoryPerBlockOptin, env->ordinal));
    Run r{env, sr_cuda(env)->stream, sms, (size_t)smem_optin >= kMagSmem, seed, scratch_at(dev, chunks),
          scratch_at(host, chunks)};
    if (!weights) return select_mode<SR_SELECT_RANDOM>(r, xs, keep, keep_per_tensor, report);
    if (dtype == SR_BF16) return select_mode<SR_SELECT_BF16>(r, xs, keep, keep_per_tensor, report);
    return select_mode<SR_SELECT_F32>(r, xs, keep, keep_per_tensor, report);
}
