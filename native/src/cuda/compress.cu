// compress.cu — CUDA: portable 2:4 layout (values [outer, K/2, inner], meta [outer, K/4, inner]).
// One thread per group of 4, groups numbered inner-fastest (common/compress24.h, shared with the
// host). Each direction first runs a validation kernel that atomicMin's the index of the first bad
// group into an 8-byte workspace counter; the host reads it back (pinned scratch) and launches the
// write kernel only when no group failed, so an error leaves every output untouched.
#include <cstdio>
#include "common/compress24.h"
#include "cuda/check.cuh"
#include "cuda/cuda_ops.h"

namespace {

constexpr int kBlock = 256;
constexpr unsigned long long kNone = ~0ull;

__global__ void validate_mask_kernel(const uint8_t* mask, int64_t groups, int64_t inner, unsigned long long* first) {
    uint32_t real = 0;
    for (int64_t g = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; g < groups; g += (int64_t)gridDim.x * blockDim.x)
        if (sr_c24_encode(sr_c24_kept(mask, sr_c24_w_base(g, inner), inner), &real) < 0)
            atomicMin(first, (unsigned long long)g);
}

__global__ void validate_meta_kernel(const uint8_t* meta, int64_t groups, unsigned long long* first) {
    int idx0 = 0, idx1 = 0;
    for (int64_t g = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; g < groups; g += (int64_t)gridDim.x * blockDim.x)
        if (!sr_c24_decode(meta[g], &idx0, &idx1)) atomicMin(first, (unsigned long long)g);
}

template <typename T>
__global__ void compress_kernel(const T* w, const uint8_t* mask, int64_t groups, int64_t inner, T* values,
                                uint8_t* meta) {
    for (int64_t g = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; g < groups; g += (int64_t)gridDim.x * blockDim.x)
        sr_c24_compress_group(w, mask, g, inner, values, meta);
}

template <typename T>
__global__ void decompress_kernel(const T* values, const uint8_t* meta, int64_t groups, int64_t inner, T* w) {
    for (int64_t g = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; g < groups; g += (int64_t)gridDim.x * blockDim.x)
        sr_c24_decompress_group(values, meta, g, inner, w);
}

// Workspace counter set to kNone and the pinned slot it is read back into.
sr_status first_bad_slot(sr_env* env, unsigned long long** dev, unsigned long long** host) {
    void* d = nullptr;
    void* h = nullptr;
    sr_status st = sr_cuda_workspace(env, sizeof(unsigned long long), &d);
    if (st != SR_OK) return st;
    st = sr_cuda_host_scratch(env, sizeof(unsigned long long), &h);
    if (st != SR_OK) return st;
    *dev = static_cast<unsigned long long*>(d);
    *host = static_cast<unsigned long long*>(h);
    SR_CUDA_TRY(env, cudaMemsetAsync(*dev, 0xFF, sizeof(unsigned long long), sr_cuda(env)->stream));
    return SR_OK;
}

// Copies the counter back and waits; *bad = first failing group or -1.
sr_status read_first_bad(sr_env* env, const unsigned long long* dev, unsigned long long* host, int64_t* bad) {
    cudaStream_t s = sr_cuda(env)->stream;
    SR_CUDA_TRY(env, cudaMemcpyAsync(host, dev, sizeof *host, cudaMemcpyDeviceToHost, s));
    SR_CUDA_TRY(env, cudaStreamSynchronize(s));
    *bad = *host == kNone ? -1 : (int64_t)*host;
    return SR_OK;
}

// Same message as host/compress.cpp.
sr_status fail_group(sr_env* env, int64_t g, int64_t k, int64_t inner, const char* what) {
    const int64_t i = g % inner, kg = (g / inner) % (k / 4), o = g / inner / (k / 4);
    return sr_fail(env, SR_ERR_PATTERN, "2:4 group (outer %lld, k-group %lld = k %lld..%lld, inner %lld) %s",
                   (long long)o, (long long)kg, (long long)(4 * kg), (long long)(4 * kg + 3), (long long)i, what);
}

}  // namespace

sr_status sr_cuda_compress_24(sr_env* env, int32_t dtype, const void* w, const uint8_t* mask, int64_t outer,
                              int64_t k, int64_t inner, void* values, uint8_t* meta) {
    cudaStream_t s = sr_cuda(env)->stream;
    const int64_t groups = outer * (k / 4) * inner;
    const unsigned grid = sr_grid_for(groups, kBlock);
    unsigned long long *dev = nullptr, *host = nullptr;
    sr_status st = first_bad_slot(env, &dev, &host);
    if (st != SR_OK) return st;
    validate_mask_kernel<<<grid, kBlock, 0, s>>>(mask, groups, inner, dev);
    SR_CUDA_LAUNCHED(env, "validate_mask_kernel");
    int64_t bad = -1;
    st = read_first_bad(env, dev, host, &bad);
    if (st != SR_OK) return st;
    if (bad >= 0) return fail_group(env, bad, k, inner, "has more than 2 kept positions in its mask");
    if (dtype == SR_F32)
        compress_kernel<float><<<grid, kBlock, 0, s>>>(static_cast<const float*>(w), mask, groups, inner,
                                                       static_cast<float*>(values), meta);
    else
        compress_kernel<uint16_t><<<grid, kBlock, 0, s>>>(static_cast<const uint16_t*>(w), mask, groups, inner,
                                                          static_cast<uint16_t*>(values), meta);
    SR_CUDA_LAUNCHED(env, "compress_kernel");
    return SR_OK;
}

sr_status sr_cuda_decompress_24(sr_env* env, int32_t dtype, const void* values, const uint8_t* meta, int64_t outer,
                                int64_t k, int64_t inner, void* w) {
    cudaStream_t s = sr_cuda(env)->stream;
    const int64_t groups = outer * (k / 4) * inner;
    const unsigned grid = sr_grid_for(groups, kBlock);
    unsigned long long *dev = nullptr, *host = nullptr;
    sr_status st = first_bad_slot(env, &dev, &host);
    if (st != SR_OK) return st;
    validate_meta_kernel<<<grid, kBlock, 0, s>>>(meta, groups, dev);
    SR_CUDA_LAUNCHED(env, "validate_meta_kernel");
    int64_t bad = -1;
    st = read_first_bad(env, dev, host, &bad);
    if (st != SR_OK) return st;
    if (bad >= 0) {
        // one byte back to name the value (meta is device memory)
        uint8_t byte = 0;
        SR_CUDA_TRY(env, cudaMemcpyAsync(host, meta + bad, 1, cudaMemcpyDeviceToHost, s));
        SR_CUDA_TRY(env, cudaStreamSynchronize(s));
        byte = *reinterpret_cast<uint8_t*>(host);
        char what[96];
        std::snprintf(what, sizeof what, "has invalid metadata 0x%02x (need bits 4-7 clear and idx0 < idx1)",
                      (unsigned)byte);
        return fail_group(env, bad, k, inner, what);
    }
    if (dtype == SR_F32)
        decompress_kernel<float><<<grid, kBlock, 0, s>>>(static_cast<const float*>(values), meta, groups, inner,
                                                         static_cast<float*>(w));
    else
        decompress_kernel<uint16_t><<<grid, kBlock, 0, s>>>(static_cast<const uint16_t*>(values), meta, groups,
                                                            inner, static_cast<uint16_t*>(w));
    SR_CUDA_LAUNCHED(env, "decompress_kernel");
    return SR_OK;
}
