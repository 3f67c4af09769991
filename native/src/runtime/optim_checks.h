// optim_checks.h — the hyper-parameter checks of the optimizer steps, shared by the host-scalar calls
// (api_optim.cpp) and the device-resident-scalar ones (api_optim_dev.cpp) so both refuse the same
// arguments with the same messages. Each returns SR_OK or the failure already recorded on ctx.
#ifndef SR_RUNTIME_OPTIM_CHECKS_H
#define SR_RUNTIME_OPTIM_CHECKS_H

#include <cmath>
#include "runtime/api_support.h"

inline sr_status sr_check_sgd_hyper(sr_context* ctx, const char* call, float momentum, float dampening,
                                    float weight_decay, int32_t nesterov) {
    SR_REQUIRE(ctx, std::isfinite(momentum) && momentum >= 0, SR_ERR_INVALID_ARGUMENT,
               "%s: momentum = %g must be finite and >= 0", call, momentum);
    SR_REQUIRE(ctx, std::isfinite(weight_decay) && weight_decay >= 0, SR_ERR_INVALID_ARGUMENT,
               "%s: weight_decay = %g must be finite and >= 0", call, weight_decay);
    SR_REQUIRE(ctx, std::isfinite(dampening), SR_ERR_INVALID_ARGUMENT, "%s: dampening = %g is not finite", call,
               dampening);
    SR_REQUIRE(ctx, !nesterov || (momentum > 0 && dampening == 0), SR_ERR_INVALID_ARGUMENT,
               "%s: Nesterov momentum requires momentum > 0 and dampening = 0 (got %g, %g)", call, momentum, dampening);
    return SR_OK;
}

inline sr_status sr_check_adamw_hyper(sr_context* ctx, const char* call, float beta1, float beta2, float eps,
                                      float weight_decay) {
    SR_REQUIRE(ctx, beta1 >= 0 && beta1 < 1, SR_ERR_INVALID_ARGUMENT, "%s: beta1 = %g is not in [0, 1)", call, beta1);
    SR_REQUIRE(ctx, beta2 >= 0 && beta2 < 1, SR_ERR_INVALID_ARGUMENT, "%s: beta2 = %g is not in [0, 1)", call, beta2);
    SR_REQUIRE(ctx, std::isfinite(eps) && eps >= 0, SR_ERR_INVALID_ARGUMENT, "%s: eps = %g must be finite and >= 0",
               call, eps);
    SR_REQUIRE(ctx, std::isfinite(weight_decay) && weight_decay >= 0, SR_ERR_INVALID_ARGUMENT,
               "%s: weight_decay = %g must be finite and >= 0", call, weight_decay);
    return SR_OK;
}

#endif
