// nm.cu — CUDA: N:M masks, transposable 2:4 masks, N:M check. One thread per group (or 4x4 block),
// groups numbered inner-fastest so that for inner > 1 neighbouring threads read neighbouring
// addresses. The per-group choices are common/nm.h and common/transposable.h, as on the host.
//
// Error before write: a live NaN weight is found by an elementwise pass (atomicMin of its flat
// offset into an 8-byte workspace counter, read back through pinned scratch) before the mask
// kernel runs, so a failing call leaves the mask untouched and names the same element as the host.
#include "common/nm.h"
#include "common/transposable.h"
#include "cuda/check.cuh"
#include "cuda/cuda_ops.h"

namespace {

constexpr int kBlock = 256;
constexpr unsigned long long kNone = ~0ull;

__constant__ sr_t24_table c_t24 = sr_t24_make_table();

template <typename T>
__global__ void first_live_nan_kernel(const T* w, const uint8_t* mask, int64_t n, unsigned long long* first) {
    for (int64_t e = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; e < n; e += (int64_t)gridDim.x * blockDim.x)
        if (mask[e] != 0 && sr_key_is_nan(sr_abs_key(w[e]))) atomicMin(first, (unsigned long long)e);
}

// kM > 0: M known at compile time (the common 2:4, 1:4, 2:8, 4:16 cases), so the group loops unroll
// and keys[] stays in registers; kM == 0: any M <= 16 from the argument (keys[] in local memory).
template <typename T, int kM>
__global__ void mask_nm_kernel(const T* w, uint8_t* mask, int64_t groups, int64_t inner, int n, int m_arg) {
    const int m = kM > 0 ? kM : m_arg;
    uint32_t keys[SR_NM_MAX_M];
    for (int64_t g = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; g < groups; g += (int64_t)gridDim.x * blockDim.x) {
        const int64_t base = sr_nm_group_base(g, inner, m);
        const uint32_t live = sr_nm_gather(w, mask, base, inner, m, keys);
        const uint32_t keep = sr_nm_choose(keys, live, n, m);
        for (int j = 0; j < m; ++j) mask[base + j * inner] = (uint8_t)((keep >> j) & 1u);
    }
}

template <typename T>
__global__ void mask_t24_kernel(const T* w, uint8_t* mask, int64_t blocks, int64_t k, int64_t inner) {
    float a[16];
    for (int64_t b = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; b < blocks; b += (int64_t)gridDim.x * blockDim.x) {
        const int64_t base = sr_t24_block_base(b, k, inner);
        const uint32_t live = sr_t24_gather(w, mask, base, k, inner, a);
        // all threads of a warp walk the patterns in the same order: constant-memory broadcasts
        const uint32_t keep = c_t24.mask[sr_t24_choose(a, c_t24.mask)] & live;
#pragma unroll
        for (int r = 0; r < 4; ++r)
#pragma unroll
            for (int c = 0; c < 4; ++c) mask[base + r * k * inner + c * inner] = (uint8_t)((keep >> (r * 4 + c)) & 1u);
    }
}

// Per-thread counts of violating groups, reduced per warp, one atomic per warp into *out.
template <typename T>
__global__ void check_nm_kernel(const T* x, int64_t groups, int64_t inner, int n, int m, unsigned long long* out) {
    unsigned long long local = 0;
    for (int64_t g = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; g < groups; g += (int64_t)gridDim.x * blockDim.x)
        local += sr_nm_count_nonzero(x, sr_nm_group_base(g, inner, m), inner, m) > n ? 1 : 0;
    for (int off = 16; off > 0; off >>= 1) local += __shfl_down_sync(0xffffffffu, local, off);
    if ((threadIdx.x & 31) == 0 && local != 0) atomicAdd(out, local);
}

// Runs the NaN pass; *nan_at = flat offset of the first live NaN, or -1.
template <typename T>
sr_status find_live_nan(sr_env* env, const T* w, const uint8_t* mask, int64_t n, int64_t* nan_at) {
    cudaStream_t s = sr_cuda(env)->stream;
    void* dev = nullptr;
    void* host = nullptr;
    sr_status st = sr_cuda_workspace(env, sizeof(unsigned long long), &dev);
    if (st != SR_OK) return st;
    st = sr_cuda_host_scratch(env, sizeof(unsigned long long), &host);
    if (st != SR_OK) return st;
    unsigned long long* first = static_cast<unsigned long long*>(dev);
    SR_CUDA_TRY(env, cudaMemsetAsync(first, 0xFF, sizeof *first, s));  // kNone
    first_live_nan_kernel<T><<<sr_grid_for(n, kBlock), kBlock, 0, s>>>(w, mask, n, first);
    SR_CUDA_LAUNCHED(env, "first_live_nan_kernel");
    SR_CUDA_TRY(env, cudaMemcpyAsync(host, first, sizeof *first, cudaMemcpyDeviceToHost, s));
    SR_CUDA_TRY(env, cudaStreamSynchronize(s));
    const unsigned long long found = *static_cast<unsigned long long*>(host);
    *nan_at = found == kNone ? -1 : (int64_t)found;
    return SR_OK;
}

sr_status fail_nan(sr_env* env, int64_t e, int64_t k, int64_t inner) {
    const int64_t i = e % inner, kk = (e / inner) % k, o = e / inner / k;
    return sr_fail(env, SR_ERR_NONFINITE,
                   "live weight w[%lld] (outer %lld, k %lld, inner %lld) is NaN; magnitudes cannot be ranked",
                   (long long)e, (long long)o, (long long)kk, (long long)i);
}

template <typename T>
sr_status mask_nm(sr_env* env, const T* w, uint8_t* mask, int64_t outer, int64_t k, int64_t inner, int n, int m) {
    int64_t nan_at = -1;
    sr_status st = find_live_nan(env, w, mask, outer * k * inner, &nan_at);
    if (st != SR_OK) return st;
    if (nan_at >= 0) return fail_nan(env, nan_at, k, inner);
    const int64_t groups = outer * (k / m) * inner;
    const unsigned grid = sr_grid_for(groups, kBlock);
    cudaStream_t s = sr_cuda(env)->stream;
    if (m == 4) mask_nm_kernel<T, 4><<<grid, kBlock, 0, s>>>(w, mask, groups, inner, n, m);
    else if (m == 8) mask_nm_kernel<T, 8><<<grid, kBlock, 0, s>>>(w, mask, groups, inner, n, m);
    else if (m == 16) mask_nm_kernel<T, 16><<<grid, kBlock, 0, s>>>(w, mask, groups, inner, n, m);
    else mask_nm_kernel<T, 0><<<grid, kBlock, 0, s>>>(w, mask, groups, inner, n, m);
    SR_CUDA_LAUNCHED(env, "mask_nm_kernel");
    return SR_OK;
}

template <typename T>
sr_status mask_t24(sr_env* env, const T* w, uint8_t* mask, int64_t outer, int64_t k, int64_t inner) {
    int64_t nan_at = -1;
    sr_status st = find_live_nan(env, w, mask, outer * k * inner, &nan_at);
    if (st != SR_OK) return st;
    if (nan_at >= 0) return fail_nan(env, nan_at, k, inner);
    const int64_t blocks = (outer / 4) * (k / 4) * inner;
    // 128 threads: 90-pattern scan is ALU-bound, smaller blocks spread it over more SMs
    mask_t24_kernel<T><<<sr_grid_for(blocks, 128), 128, 0, sr_cuda(env)->stream>>>(w, mask, blocks, k, inner);
    SR_CUDA_LAUNCHED(env, "mask_t24_kernel");
    return SR_OK;
}

}  // namespace

sr_status sr_cuda_mask_nm(sr_env* env, int32_t dtype, const void* w, uint8_t* mask, int64_t outer, int64_t k,
                          int64_t inner, int32_t n, int32_t m) {
    if (dtype == SR_F32) return mask_nm(env, static_cast<const float*>(w), mask, outer, k, inner, n, m);
    return mask_nm(env, static_cast<const uint16_t*>(w), mask, outer, k, inner, n, m);
}

sr_status sr_cuda_mask_transposable_24(sr_env* env, int32_t dtype, const void* w, uint8_t* mask, int64_t outer,
                                       int64_t k, int64_t inner) {
    if (dtype == SR_F32) return mask_t24(env, static_cast<const float*>(w), mask, outer, k, inner);
    return mask_t24(env, static_cast<const uint16_t*>(w), mask, outer, k, inner);
}

sr_status sr_cuda_check_nm(sr_env* env, int32_t dtype, const void* x, int64_t outer, int64_t k, int64_t inner,
                           int32_t n, int32_t m, int64_t* violations) {
    cudaStream_t s = sr_cuda(env)->stream;
    void* dev = nullptr;
    void* host = nullptr;
    sr_status st = sr_cuda_workspace(env, sizeof(unsigned long long), &dev);
    if (st != SR_OK) return st;
    st = sr_cuda_host_scratch(env, sizeof(unsigned long long), &host);
    if (st != SR_OK) return st;
    unsigned long long* count = static_cast<unsigned long long*>(dev);
    SR_CUDA_TRY(env, cudaMemsetAsync(count, 0, sizeof *count, s));
    const int64_t groups = outer * (k / m) * inner;
    const unsigned grid = sr_grid_for(groups, kBlock);
    if (dtype == SR_F32)
        check_nm_kernel<float><<<grid, kBlock, 0, s>>>(static_cast<const float*>(x), groups, inner, n, m, count);
    else if (dtype == SR_BF16)
        check_nm_kernel<uint16_t><<<grid, kBlock, 0, s>>>(static_cast<const uint16_t*>(x), groups, inner, n, m, count);
    else
        check_nm_kernel<uint8_t><<<grid, kBlock, 0, s>>>(static_cast<const uint8_t*>(x), groups, inner, n, m, count);
    SR_CUDA_LAUNCHED(env, "check_nm_kernel");
    SR_CUDA_TRY(env, cudaMemcpyAsync(host, count, sizeof *count, cudaMemcpyDeviceToHost, s));
    SR_CUDA_TRY(env, cudaStreamSynchronize(s));
    *violations = (int64_t) * static_cast<unsigned long long*>(host);
    return SR_OK;
}
