// optim.cpp — host reference of the mask-aware optimizer steps (the update itself is shared with
// the CUDA kernels: common/optim_update.h).
#include <cmath>
#include "common/optim_update.h"
#include "host/host_ops.h"

sr_status sr_host_sgd_step(sr_env*, float* w, const float* grad, float* buf, const uint8_t* mask, int64_t n,
                           float lr, float momentum, float dampening, float weight_decay, int32_t nesterov,
                           int32_t decoupled_wd, int32_t first_step) {
    const sr_sgd_params p{lr, momentum, dampening, weight_decay, nesterov, decoupled_wd, first_step};
    float* b = momentum != 0.0f ? buf : nullptr;
    for (int64_t i = 0; i < n; ++i) sr_sgd_update(p, mask == nullptr || mask[i] != 0, grad[i], &w[i], b ? &b[i] : nullptr);
    return SR_OK;
}

sr_status sr_host_adamw_step(sr_env*, float* w, const float* grad, float* m, float* v, const uint8_t* mask,
                             int64_t n, float lr, float beta1, float beta2, float eps, float weight_decay,
                             int64_t step) {
    const sr_adamw_params p{lr, beta1, beta2, eps, weight_decay,
                            (float)(1.0 - std::pow((double)beta1, (double)step)),
                            (float)std::sqrt(1.0 - std::pow((double)beta2, (double)step))};
    for (int64_t i = 0; i < n; ++i) sr_adamw_update(p, mask == nullptr || mask[i] != 0, grad[i], &w[i], &m[i], &v[i]);
    return SR_OK;
}
