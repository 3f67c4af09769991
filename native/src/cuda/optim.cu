// optim.cu — CUDA mask-aware optimizer steps; the per-element update is common/optim_update.h, the
// very code the host reference runs.
#include <cmath>
#include "common/optim_update.h"
#include "cuda/check.cuh"
#include "cuda/cuda_ops.h"

namespace {

constexpr int kBlock = 256;

__global__ void sgd_kernel(sr_sgd_params p, float* w, const float* g, float* buf, const uint8_t* mask, int64_t n) {
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x)
        sr_sgd_update(p, mask == nullptr || mask[i] != 0, g[i], &w[i], buf ? &buf[i] : nullptr);
}

__global__ void adamw_kernel(sr_adamw_params p, float* w, const float* g, float* m, float* v, const uint8_t* mask,
                             int64_t n) {
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x)
        sr_adamw_update(p, mask == nullptr || mask[i] != 0, g[i], &w[i], &m[i], &v[i]);
}

}  // namespace

sr_status sr_cuda_sgd_step(sr_env* env, float* w, const float* grad, float* buf, const uint8_t* mask, int64_t n,
                           float lr, float momentum, float dampening, float weight_decay, int32_t nesterov,
                           int32_t decoupled_wd, int32_t first_step) {
    const sr_sgd_params p{lr, momentum, dampening, weight_decay, nesterov, decoupled_wd, first_step};
    sgd_kernel<<<sr_grid_for(n, kBlock), kBlock, 0, sr_cuda(env)->stream>>>(p, w, grad, momentum != 0.0f ? buf : nullptr,
                                                                             mask, n);
    SR_CUDA_LAUNCHED(env, "sgd_kernel");
    return SR_OK;
}

sr_status sr_cuda_adamw_step(sr_env* env, float* w, const float* grad, float* m, float* v, const uint8_t* mask,
                             int64_t n, float lr, float beta1, float beta2, float eps, float weight_decay,
                             int64_t step) {
    // Bias corrections computed once on the host, in double, exactly as the host reference does.
    sr_adamw_params p{lr, beta1, beta2, eps, weight_decay, 0.0f, 0.0f};
    sr_adamw_bias_corrections(&p, step);
    adamw_kernel<<<sr_grid_for(n, kBlock), kBlock, 0, sr_cuda(env)->stream>>>(p, w, grad, m, v, mask, n);
    SR_CUDA_LAUNCHED(env, "adamw_kernel");
    return SR_OK;
}
