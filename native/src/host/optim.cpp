// optim.cpp — host reference of the mask-aware optimizer steps (the update itself is shared with
// the CUDA kernels: common/optim_update.h).
#include <cmath>
#include "common/optim_update.h"
#include "host/host_ops.h"

namespace {

// The loops, instantiated per loop invariant (mask given, momentum on, and for SGD the weight-decay
// and Nesterov switches) so that each instance is a straight-line body g++ vectorizes (SSE2 packed
// float; sqrtps for AdamW thanks to -fno-math-errno). The arithmetic is sr_*_update itself.
template <bool Masked>
bool live_at(const uint8_t* mask, int64_t i) { return !Masked || mask[i] != 0; }

template <bool Masked, bool Momentum, bool Nesterov, int Wd>  // Wd: 0 none, 1 L2, 2 decoupled
void sgd_loop(sr_sgd_params p, float* w, const float* g, float* buf, const uint8_t* mask, int64_t n) {
    p.momentum = Momentum ? p.momentum : 0.0f;
    p.nesterov = Nesterov;
    p.decoupled_wd = Wd == 2;
    p.weight_decay = Wd == 0 ? 0.0f : p.weight_decay;
    for (int64_t i = 0; i < n; ++i) sr_sgd_update(p, live_at<Masked>(mask, i), g[i], &w[i], Momentum ? &buf[i] : nullptr);
}

template <bool Masked, bool Momentum, bool Nesterov>
void sgd_wd(const sr_sgd_params& p, float* w, const float* g, float* buf, const uint8_t* mask, int64_t n) {
    if (p.weight_decay == 0.0f) sgd_loop<Masked, Momentum, Nesterov, 0>(p, w, g, buf, mask, n);
    else if (!p.decoupled_wd) sgd_loop<Masked, Momentum, Nesterov, 1>(p, w, g, buf, mask, n);
    else sgd_loop<Masked, Momentum, Nesterov, 2>(p, w, g, buf, mask, n);
}

template <bool Masked>
void sgd_dispatch(const sr_sgd_params& p, float* w, const float* g, float* buf, const uint8_t* mask, int64_t n) {
    if (p.momentum == 0.0f) sgd_wd<Masked, false, false>(p, w, g, buf, mask, n);
    else if (p.nesterov) sgd_wd<Masked, true, true>(p, w, g, buf, mask, n);
    else sgd_wd<Masked, true, false>(p, w, g, buf, mask, n);
}

template <bool Masked>
void adamw_loop(const sr_adamw_params& p, float* w, const float* g, float* m, float* v, const uint8_t* mask, int64_t n) {
    for (int64_t i = 0; i < n; ++i) sr_adamw_update(p, live_at<Masked>(mask, i), g[i], &w[i], &m[i], &v[i]);
}

}  // namespace

sr_status sr_host_sgd_step(sr_env*, float* w, const float* grad, float* buf, const uint8_t* mask, int64_t n,
                           float lr, float momentum, float dampening, float weight_decay, int32_t nesterov,
                           int32_t decoupled_wd, int32_t first_step) {
    const sr_sgd_params p{lr, momentum, dampening, weight_decay, nesterov, decoupled_wd, first_step};
    if (mask) sgd_dispatch<true>(p, w, grad, buf, mask, n);
    else sgd_dispatch<false>(p, w, grad, buf, mask, n);
    return SR_OK;
}

sr_status sr_host_adamw_step(sr_env*, float* w, const float* grad, float* m, float* v, const uint8_t* mask,
                             int64_t n, float lr, float beta1, float beta2, float eps, float weight_decay,
                             int64_t step) {
    sr_adamw_params p{lr, beta1, beta2, eps, weight_decay, 0.0f, 0.0f};
    sr_adamw_bias_corrections(&p, step);
    if (mask) adamw_loop<true>(p, w, grad, m, v, mask, n);
    else adamw_loop<false>(p, w, grad, m, v, mask, n);
    return SR_OK;
}
