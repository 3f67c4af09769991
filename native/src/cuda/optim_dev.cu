// optim_dev.cu — CUDA optimizer steps that read the learning rate and step count from an
// sr_step_scalars struct in device memory when they run (so a captured graph follows a schedule),
// plus the one-thread kernel that advances the struct along a device LR table. The per-element
// updates and the bias-correction formula are common/optim_update.h, as for the host-scalar steps.
#include "common/optim_update.h"
#include "cuda/check.cuh"
#include "cuda/cuda_ops.h"

namespace {

constexpr int kBlock = 256;

__global__ void advance_kernel(sr_step_scalars* s, const float* lr_table, int64_t table_len) {
    sr_step_scalars_next(s, lr_table, table_len);
}

__global__ void sgd_dev_kernel(sr_sgd_params p, const sr_step_scalars* s, float* w, const float* g, float* buf,
                               const uint8_t* mask, int64_t n) {
    p.lr = s->lr;  // 4 bytes every thread reads: one cached load per block
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x)
        sr_sgd_update(p, mask == nullptr || mask[i] != 0, g[i], &w[i], buf ? &buf[i] : nullptr);
}

__global__ void adamw_dev_kernel(sr_adamw_params p, const sr_step_scalars* s, float* w, const float* g, float* m,
                                 float* v, const uint8_t* mask, int64_t n) {
    // Two double pows per block, not per element: thread 0 computes the corrections, the block shares them.
    __shared__ float corrections[2];
    if (threadIdx.x == 0) {
        sr_adamw_params q = p;
        sr_adamw_bias_corrections(&q, s->step < 1 ? 1 : s->step);
        corrections[0] = q.bias_correction1;
        corrections[1] = q.bias_correction2_sqrt;
    }
    __syncthreads();
    p.lr = s->lr;
    p.bias_correction1 = corrections[0];
    p.bias_correction2_sqrt = corrections[1];
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x)
        sr_adamw_update(p, mask == nullptr || mask[i] != 0, g[i], &w[i], &m[i], &v[i]);
}

}  // namespace

sr_status sr_cuda_step_scalars_advance(sr_env* env, sr_step_scalars* s, const float* lr_table, int64_t table_len) {
    advance_kernel<<<1, 1, 0, sr_cuda(env)->stream>>>(s, lr_table, table_len);
    SR_CUDA_LAUNCHED(env, "advance_kernel");
    return SR_OK;
}

sr_status sr_cuda_sgd_step_dev(sr_env* env, float* w, const float* grad, float* buf, const uint8_t* mask, int64_t n,
                               const sr_step_scalars* s, float momentum, float dampening, float weight_decay,
                               int32_t nesterov, int32_t decoupled_wd, int32_t first_step) {
    const sr_sgd_params p{0.0f, momentum, dampening, weight_decay, nesterov, decoupled_wd, first_step};
    sgd_dev_kernel<<<sr_grid_for(n, kBlock), kBlock, 0, sr_cuda(env)->stream>>>(
        p, s, w, grad, momentum != 0.0f ? buf : nullptr, mask, n);
    SR_CUDA_LAUNCHED(env, "sgd_dev_kernel");
    return SR_OK;
}

sr_status sr_cuda_adamw_step_dev(sr_env* env, float* w, const float* grad, float* m, float* v, const uint8_t* mask,
                                 int64_t n, const sr_step_scalars* s, float beta1, float beta2, float eps,
                                 float weight_decay) {
    const sr_adamw_params p{0.0f, beta1, beta2, eps, weight_decay, 1.0f, 1.0f};
    adamw_dev_kernel<<<sr_grid_for(n, kBlock), kBlock, 0, sr_cuda(env)->stream>>>(p, s, w, grad, m, v, mask, n);
    SR_CUDA_LAUNCHED(env, "adamw_dev_kernel");
    return SR_OK;
}
