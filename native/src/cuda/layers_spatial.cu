// PLACEHOLDER — replaced by the real implementation.
#include "cuda/check.cuh"
#include "cuda/cuda_ops.h"
sr_status sr_cuda_im2col_nhwc(sr_env* env, const float*, float*, int64_t, int64_t, int64_t, int64_t, int32_t, int32_t, int32_t, int32_t) {
    return sr_fail(env, SR_ERR_NOT_AVAILABLE, "not implemented yet");
}
sr_status sr_cuda_col2im_nhwc(sr_env* env, const float*, float*, int64_t, int64_t, int64_t, int64_t, int32_t, int32_t, int32_t, int32_t) {
    return sr_fail(env, SR_ERR_NOT_AVAILABLE, "not implemented yet");
}
sr_status sr_cuda_maxpool_fwd(sr_env* env, const float*, float*, int32_t*, int64_t, int64_t, int64_t, int64_t, int32_t, int32_t, int32_t) {
    return sr_fail(env, SR_ERR_NOT_AVAILABLE, "not implemented yet");
}
sr_status sr_cuda_maxpool_bwd(sr_env* env, const float*, const int32_t*, float*, int64_t, int64_t, int64_t, int64_t, int32_t, int32_t, int32_t) {
    return sr_fail(env, SR_ERR_NOT_AVAILABLE, "not implemented yet");
}
sr_status sr_cuda_avgpool_fwd(sr_env* env, const float*, float*, int64_t, int64_t, int64_t, int64_t, int32_t, int32_t, int32_t) {
    return sr_fail(env, SR_ERR_NOT_AVAILABLE, "not implemented yet");
}
sr_status sr_cuda_avgpool_bwd(sr_env* env, const float*, float*, int64_t, int64_t, int64_t, int64_t, int32_t, int32_t, int32_t) {
    return sr_fail(env, SR_ERR_NOT_AVAILABLE, "not implemented yet");
}
sr_status sr_cuda_batchnorm_fwd_train(sr_env* env, const float*, float*, const float*, const float*, float*, float*, float*, float*, int64_t, int64_t, float, float) {
    return sr_fail(env, SR_ERR_NOT_AVAILABLE, "not implemented yet");
}
sr_status sr_cuda_batchnorm_fwd_eval(sr_env* env, const float*, float*, const float*, const float*, const float*, const float*, int64_t, int64_t, float) {
    return sr_fail(env, SR_ERR_NOT_AVAILABLE, "not implemented yet");
}
sr_status sr_cuda_batchnorm_bwd(sr_env* env, const float*, const float*, const float*, const float*, const float*, float*, float*, float*, int64_t, int64_t) {
    return sr_fail(env, SR_ERR_NOT_AVAILABLE, "not implemented yet");
}
