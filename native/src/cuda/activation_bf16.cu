// activation_bf16.cu — bf16 activations (sparseretrain.h, "bf16 activations"): widen, the shared float
// formula (common/pointwise.h, what the host reference runs), round once. Memory-bound: 8 elements
// (16 bytes) per thread and access when every pointer is 16-byte aligned, else one at a time.
#include "common/bf16.h"
#include "common/pointwise.h"
#include "cuda/check.cuh"
#include "cuda/cuda_ops.h"

namespace {

constexpr int kBlock = 256;

union Pack8 {
    uint4 v;
    uint16_t h[8];
};

template <int Act>
__global__ void act_fwd_bf16_vec(const uint4* x, uint4* y, int64_t packs) {
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < packs; i += (int64_t)gridDim.x * blockDim.x) {
        Pack8 a, b;
        a.v = x[i];
#pragma unroll
        for (int j = 0; j < 8; ++j) b.h[j] = sr_float_to_bf16(sr_act_fwd(Act, sr_bf16_to_float(a.h[j])));
        y[i] = b.v;
    }
}

template <int Act>
__global__ void act_bwd_bf16_vec(const uint4* x, const uint4* dy, uint4* dx, int64_t packs) {
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < packs; i += (int64_t)gridDim.x * blockDim.x) {
        Pack8 a, g, r;
        a.v = x[i];
        g.v = dy[i];
#pragma unroll
        for (int j = 0; j < 8; ++j)
            r.h[j] = sr_float_to_bf16(sr_act_bwd(Act, sr_bf16_to_float(a.h[j]), sr_bf16_to_float(g.h[j])));
        dx[i] = r.v;
    }
}

template <int Act>
__global__ void act_fwd_bf16_scalar(const uint16_t* x, uint16_t* y, int64_t n) {
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x)
        y[i] = sr_float_to_bf16(sr_act_fwd(Act, sr_bf16_to_float(x[i])));
}

template <int Act>
__global__ void act_bwd_bf16_scalar(const uint16_t* x, const uint16_t* dy, uint16_t* dx, int64_t n) {
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x)
        dx[i] = sr_float_to_bf16(sr_act_bwd(Act, sr_bf16_to_float(x[i]), sr_bf16_to_float(dy[i])));
}

bool aligned16(const void* p) { return (reinterpret_cast<uintptr_t>(p) & 15u) == 0; }

template <int Act>
sr_status fwd(sr_env* env, const uint16_t* x, uint16_t* y, int64_t n) {
    cudaStream_t s = sr_cuda(env)->stream;
    int64_t head = 0;
    if (aligned16(x) && aligned16(y)) {
        const int64_t packs = n / 8;
        if (packs > 0) {
            act_fwd_bf16_vec<Act><<<sr_grid_for(packs, kBlock), kBlock, 0, s>>>(
                reinterpret_cast<const uint4*>(x), reinterpret_cast<uint4*>(y), packs);
            SR_CUDA_LAUNCHED(env, "act_fwd_bf16_vec");
        }
        head = packs * 8;
    }
    if (head < n) {
        act_fwd_bf16_scalar<Act><<<sr_grid_for(n - head, kBlock), kBlock, 0, s>>>(x + head, y + head, n - head);
        SR_CUDA_LAUNCHED(env, "act_fwd_bf16_scalar");
    }
    return SR_OK;
}

template <int Act>
sr_status bwd(sr_env* env, const uint16_t* x, const uint16_t* dy, uint16_t* dx, int64_t n) {
    cudaStream_t s = sr_cuda(env)->stream;
    int64_t head = 0;
    if (aligned16(x) && aligned16(dy) && aligned16(dx)) {
        const int64_t packs = n / 8;
        if (packs > 0) {
            act_bwd_bf16_vec<Act><<<sr_grid_for(packs, kBlock), kBlock, 0, s>>>(
                reinterpret_cast<const uint4*>(x), reinterpret_cast<const uint4*>(dy), reinterpret_cast<uint4*>(dx),
                packs);
            SR_CUDA_LAUNCHED(env, "act_bwd_bf16_vec");
        }
        head = packs * 8;
    }
    if (head < n) {
        act_bwd_bf16_scalar<Act><<<sr_grid_for(n - head, kBlock), kBlock, 0, s>>>(x + head, dy + head, dx + head,
                                                                                  n - head);
        SR_CUDA_LAUNCHED(env, "act_bwd_bf16_scalar");
    }
    return SR_OK;
}

}  // namespace

sr_status sr_cuda_activation_fwd_bf16(sr_env* env, int32_t act, const uint16_t* x, uint16_t* y, int64_t n) {
    return act == SR_ACT_GELU ? fwd<SR_ACT_GELU>(env, x, y, n) : fwd<SR_ACT_RELU>(env, x, y, n);
}

sr_status sr_cuda_activation_bwd_bf16(sr_env* env, int32_t act, const uint16_t* x, const uint16_t* dy, uint16_t* dx,
                                      int64_t n) {
    return act == SR_ACT_GELU ? bwd<SR_ACT_GELU>(env, x, dy, dx, n) : bwd<SR_ACT_RELU>(env, x, dy, dx, n);
}
