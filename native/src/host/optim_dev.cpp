// optim_dev.cpp — host reference of the device-resident-scalar optimizer steps (sparseretrain.h,
// "device-resident step scalars"). On a host context the scalar struct and the LR table are host
// memory, and ops run synchronously, so "read at run time" is "read now": each step reads s and hands
// the values to the host-scalar step, whose loops and shared per-element update it reuses unchanged.
#include "common/optim_update.h"
#include "host/host_ops.h"

sr_status sr_host_step_scalars_advance(sr_env*, sr_step_scalars* s, const float* lr_table, int64_t table_len) {
    sr_step_scalars_next(s, lr_table, table_len);
    return SR_OK;
}

sr_status sr_host_sgd_step_dev(sr_env* env, float* w, const float* grad, float* buf, const uint8_t* mask, int64_t n,
                               const sr_step_scalars* s, float momentum, float dampening, float weight_decay,
                               int32_t nesterov, int32_t decoupled_wd, int32_t first_step) {
    return sr_host_sgd_step(env, w, grad, buf, mask, n, s->lr, momentum, dampening, weight_decay, nesterov,
                            decoupled_wd, first_step);
}

sr_status sr_host_adamw_step_dev(sr_env* env, float* w, const float* grad, float* m, float* v, const uint8_t* mask,
                                 int64_t n, const sr_step_scalars* s, float beta1, float beta2, float eps,
                                 float weight_decay) {
    // Same clamp as the CUDA kernel: a step < 1 computes as step 1 (no error can come back mid-graph).
    return sr_host_adamw_step(env, w, grad, m, v, mask, n, s->lr, beta1, beta2, eps, weight_decay,
                              s->step < 1 ? 1 : s->step);
}
