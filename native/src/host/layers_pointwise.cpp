// PLACEHOLDER — replaced by the real implementation.
#include "host/host_ops.h"
sr_status sr_host_bias_add(sr_env* env, float*, const float*, int64_t, int64_t) {
    return sr_fail(env, SR_ERR_NOT_AVAILABLE, "not implemented yet");
}
sr_status sr_host_bias_grad(sr_env* env, const float*, float*, int64_t, int64_t, float) {
    return sr_fail(env, SR_ERR_NOT_AVAILABLE, "not implemented yet");
}
sr_status sr_host_activation_fwd(sr_env* env, int32_t, const float*, float*, int64_t) {
    return sr_fail(env, SR_ERR_NOT_AVAILABLE, "not implemented yet");
}
sr_status sr_host_activation_bwd(sr_env* env, int32_t, const float*, const float*, float*, int64_t) {
    return sr_fail(env, SR_ERR_NOT_AVAILABLE, "not implemented yet");
}
sr_status sr_host_softmax_xent(sr_env* env, const float*, const int32_t*, int64_t, int64_t, float, float*, double*, int64_t*) {
    return sr_fail(env, SR_ERR_NOT_AVAILABLE, "not implemented yet");
}
sr_status sr_host_dropout_fwd(sr_env* env, const float*, float*, uint8_t*, int64_t, float, uint64_t, uint64_t) {
    return sr_fail(env, SR_ERR_NOT_AVAILABLE, "not implemented yet");
}
sr_status sr_host_dropout_bwd(sr_env* env, const float*, const uint8_t*, float*, int64_t, float) {
    return sr_fail(env, SR_ERR_NOT_AVAILABLE, "not implemented yet");
}
sr_status sr_host_axpby(sr_env* env, float, const float*, float, float*, int64_t) {
    return sr_fail(env, SR_ERR_NOT_AVAILABLE, "not implemented yet");
}
sr_status sr_host_sum_squares(sr_env* env, int32_t, const void*, int64_t, double*) {
    return sr_fail(env, SR_ERR_NOT_AVAILABLE, "not implemented yet");
}
