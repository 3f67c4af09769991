/*
 * sparseretrain/optim.h — mask-aware SGD and AdamW steps with host scalars (the variants that read
 * the learning rate and step from the context's memory are in step_scalars.h).
 * Part of the C API: sparseretrain.h includes every part and states the conventions they follow.
 */
#ifndef SPARSERETRAIN_OPTIM_H
#define SPARSERETRAIN_OPTIM_H

#include "sparseretrain/base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- mask-aware optimizer steps */

/*
 * SGD as torch.optim.SGD, restricted to the live entries (mask == 1; mask NULL = all live).
 * All tensors F32 with n elements; momentum_buf may be NULL only when momentum == 0.
 *   d = g + wd*w                        (L2; when decoupled_wd: w *= 1 - lr*wd first, d = g)
 *   if momentum: buf = first_step ? d : momentum*buf + (1 - dampening)*d
 *                d = nesterov ? d + momentum*buf : buf
 *   w -= lr*d
 * Where mask == 0: w, buf are set to exactly 0 (the gradient there is ignored).
 * Nesterov requires momentum > 0 and dampening == 0 (as PyTorch).
 */
sr_status sr_sgd_step(sr_context* ctx, float* w, const float* grad, float* momentum_buf,
                      const uint8_t* mask, int64_t n, float lr, float momentum, float dampening,
                      float weight_decay, int32_t nesterov, int32_t decoupled_wd,
                      int32_t first_step);
/*
 * AdamW as torch.optim.AdamW (amsgrad off), restricted to live entries; step is 1-based:
 *   w *= 1 - lr*wd;  m = b1*m + (1-b1)*g;  v = b2*v + (1-b2)*g*g
 *   w -= (lr / (1 - b1^step)) * m / (sqrt(v) / sqrt(1 - b2^step) + eps)
 * Where mask == 0: w, m, v are set to exactly 0.
 */
sr_status sr_adamw_step(sr_context* ctx, float* w, const float* grad, float* m, float* v,
                        const uint8_t* mask, int64_t n, float lr, float beta1, float beta2,
                        float eps, float weight_decay, int64_t step);

#ifdef __cplusplus
}
#endif

#endif /* SPARSERETRAIN_OPTIM_H */
