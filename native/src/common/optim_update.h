// optim_update.h — the per-element SGD and AdamW updates, shared verbatim by the host reference
// (host/optim.cpp) and the CUDA kernels (cuda/optim.cu). Semantics follow torch.optim.SGD / AdamW
// (see sparseretrain.h); a pruned element (live == false) and its state are set to exactly zero.
#ifndef SR_COMMON_OPTIM_UPDATE_H
#define SR_COMMON_OPTIM_UPDATE_H

#include <math.h>
#include "common/defs.h"
#include "sparseretrain.h"

struct sr_sgd_params {
    float lr, momentum, dampening, weight_decay;
    int32_t nesterov, decoupled_wd, first_step;
};

// Branch-free in `live` (computes the update, then keeps it or 0) so that random masks cost no
// mispredicted branches and the host loop vectorizes; live results are those of the plain update.
// buf: the momentum buffer, read and written only when momentum != 0 (callers pass null otherwise).
SR_HD void sr_sgd_update(const sr_sgd_params& p, bool live, float g, float* w, float* buf) {
    float wv = *w;
    float d = g;
    if (p.weight_decay != 0.0f) {
        if (p.decoupled_wd) wv *= 1.0f - p.lr * p.weight_decay;
        else d = d + p.weight_decay * wv;
    }
    if (p.momentum != 0.0f) {
        float b = p.first_step ? d : p.momentum * (*buf) + (1.0f - p.dampening) * d;
        *buf = live ? b : 0.0f;
        d = p.nesterov ? d + p.momentum * b : b;
    }
    *w = live ? wv - p.lr * d : 0.0f;
}

struct sr_adamw_params {
    float lr, beta1, beta2, eps, weight_decay;
    float bias_correction1;       // 1 - beta1^step
    float bias_correction2_sqrt;  // sqrt(1 - beta2^step)
};

// AdamW's bias corrections for a 1-based step, in double then rounded once to float: the one formula
// for the host-scalar steps (computed on the host) and the device-scalar ones (computed on the device
// from the step counter in memory).
SR_HD void sr_adamw_bias_corrections(sr_adamw_params* p, int64_t step) {
    p->bias_correction1 = (float)(1.0 - pow((double)p->beta1, (double)step));
    p->bias_correction2_sqrt = (float)sqrt(1.0 - pow((double)p->beta2, (double)step));
}

// sr_step_scalars_advance on one struct (sparseretrain.h): next step, the LR at the table cursor, the
// last entry past the end (the cursor saturates, so it never overflows).
SR_HD void sr_step_scalars_next(sr_step_scalars* s, const float* lr_table, int64_t table_len) {
    int64_t at = s->cursor < table_len ? (int64_t)s->cursor : table_len - 1;
    if (at < 0) at = 0;
    s->lr = lr_table[at];
    s->step += 1;
    s->cursor = (int32_t)(at + 1);
}

// Branch-free in `live`, as sr_sgd_update.
SR_HD void sr_adamw_update(const sr_adamw_params& p, bool live, float g, float* w, float* m, float* v) {
    float wv = *w * (1.0f - p.lr * p.weight_decay);
    // m.lerp_(g, 1 - beta1) as PyTorch computes it (its two-sided lerp formula).
    float weight = 1.0f - p.beta1;
    float mv = weight < 0.5f ? *m + weight * (g - *m) : g - (g - *m) * (1.0f - weight);
    float vv = p.beta2 * (*v) + (1.0f - p.beta2) * g * g;
    float denom = sqrtf(vv) / p.bias_correction2_sqrt + p.eps;
    *w = live ? wv - (p.lr / p.bias_correction1) * (mv / denom) : 0.0f;
    *m = live ? mv : 0.0f;
    *v = live ? vv : 0.0f;
}

#endif
