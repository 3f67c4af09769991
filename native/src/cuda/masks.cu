// masks.cu — CUDA: casts, apply a mask, count nonzeros (grid-stride loops; counts reduced per block
// then with one atomic per block into a device counter, copied back through pinned memory).
#include "common/bf16.h"
#include "cuda/check.cuh"
#include "cuda/cuda_ops.h"

namespace {

constexpr int kBlock = 256;

__global__ void cast_f32_to_bf16(const float* src, uint16_t* dst, int64_t n) {
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x)
        dst[i] = sr_float_to_bf16(src[i]);
}

__global__ void cast_bf16_to_f32(const uint16_t* src, float* dst, int64_t n) {
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x)
        dst[i] = sr_bf16_to_float(src[i]);
}

template <typename T>
__global__ void apply_mask_kernel(T* w, const uint8_t* mask, int64_t n) {
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x)
        if (!mask[i]) w[i] = T(0);
}

// Bits of a value with the sign cleared, so -0.0 counts as zero.
template <int Dtype>
__device__ __forceinline__ bool is_nonzero(const void* x, int64_t i) {
    if (Dtype == SR_F32) return (static_cast<const uint32_t*>(x)[i] & 0x7fffffffu) != 0;
    if (Dtype == SR_BF16) return (static_cast<const uint16_t*>(x)[i] & 0x7fffu) != 0;
    return static_cast<const uint8_t*>(x)[i] != 0;
}

template <int Dtype>
__global__ void count_nonzero_kernel(const void* x, int64_t n, unsigned long long* out) {
    __shared__ unsigned long long block_sum;
    if (threadIdx.x == 0) block_sum = 0;
    __syncthreads();
    unsigned long long local = 0;
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x)
        local += is_nonzero<Dtype>(x, i);
    // warp reduce, then one shared atomic per warp and one global atomic per block
    for (int off = 16; off > 0; off >>= 1) local += __shfl_down_sync(0xffffffffu, local, off);
    if ((threadIdx.x & 31) == 0) atomicAdd(&block_sum, local);
    __syncthreads();
    if (threadIdx.x == 0) atomicAdd(out, block_sum);
}

}  // namespace

sr_status sr_cuda_cast(sr_env* env, int32_t src_dtype, const void* src, int32_t dst_dtype, void* dst, int64_t n) {
    cudaStream_t s = sr_cuda(env)->stream;
    if (src_dtype == dst_dtype) {
        SR_CUDA_TRY(env, cudaMemcpyAsync(dst, src, (size_t)n * (src_dtype == SR_F32 ? 4 : 2), cudaMemcpyDeviceToDevice, s));
        return SR_OK;
    }
    if (src_dtype == SR_F32)
        cast_f32_to_bf16<<<sr_grid_for(n, kBlock), kBlock, 0, s>>>(static_cast<const float*>(src), static_cast<uint16_t*>(dst), n);
    else
        cast_bf16_to_f32<<<sr_grid_for(n, kBlock), kBlock, 0, s>>>(static_cast<const uint16_t*>(src), static_cast<float*>(dst), n);
    SR_CUDA_LAUNCHED(env, "cast");
    return SR_OK;
}

sr_status sr_cuda_apply_mask(sr_env* env, int32_t dtype, void* w, const uint8_t* mask, int64_t n) {
    cudaStream_t s = sr_cuda(env)->stream;
    if (dtype == SR_F32)
        apply_mask_kernel<float><<<sr_grid_for(n, kBlock), kBlock, 0, s>>>(static_cast<float*>(w), mask, n);
    else
        apply_mask_kernel<uint16_t><<<sr_grid_for(n, kBlock), kBlock, 0, s>>>(static_cast<uint16_t*>(w), mask, n);
    SR_CUDA_LAUNCHED(env, "apply_mask_kernel");
    return SR_OK;
}

sr_status sr_cuda_count_nonzero_many(sr_env* env, int32_t dtype, int32_t count, const void* const* xs,
                                     const int64_t* sizes, int64_t* per_tensor) {
    cudaStream_t s = sr_cuda(env)->stream;
    void* dev = nullptr;
    void* host = nullptr;
    size_t bytes = sizeof(unsigned long long) * (size_t)count;
    sr_status st = sr_cuda_workspace(env, bytes, &dev);
    if (st != SR_OK) return st;
    st = sr_cuda_host_scratch(env, bytes, &host);
    if (st != SR_OK) return st;
    unsigned long long* counters = static_cast<unsigned long long*>(dev);
    SR_CUDA_TRY(env, cudaMemsetAsync(counters, 0, bytes, s));
    for (int32_t t = 0; t < count; ++t) {
        if (sizes[t] == 0) continue;
        unsigned grid = sr_grid_for(sizes[t], kBlock);
        grid = grid > 1024 ? 1024 : grid;  // few atomics; grid-stride covers the rest
        if (dtype == SR_F32) count_nonzero_kernel<SR_F32><<<grid, kBlock, 0, s>>>(xs[t], sizes[t], counters + t);
        else if (dtype == SR_BF16) count_nonzero_kernel<SR_BF16><<<grid, kBlock, 0, s>>>(xs[t], sizes[t], counters + t);
        else count_nonzero_kernel<SR_U8><<<grid, kBlock, 0, s>>>(xs[t], sizes[t], counters + t);
        SR_CUDA_LAUNCHED(env, "count_nonzero_kernel");
    }
    SR_CUDA_TRY(env, cudaMemcpyAsync(host, counters, bytes, cudaMemcpyDeviceToHost, s));
    SR_CUDA_TRY(env, cudaStreamSynchronize(s));
    for (int32_t t = 0; t < count; ++t) per_tensor[t] = (int64_t) static_cast<unsigned long long*>(host)[t];
    return SR_OK;
}
