// PLACEHOLDER
#include "host/host_ops.h"
sr_status sr_host_mask_nm(sr_env* env, int32_t, const void*, uint8_t*, int64_t, int64_t, int64_t, int32_t, int32_t) {
    return sr_fail(env, SR_ERR_NOT_AVAILABLE, "not implemented yet");
}
sr_status sr_host_mask_transposable_24(sr_env* env, int32_t, const void*, uint8_t*, int64_t, int64_t, int64_t) {
    return sr_fail(env, SR_ERR_NOT_AVAILABLE, "not implemented yet");
}
sr_status sr_host_check_nm(sr_env* env, int32_t, const void*, int64_t, int64_t, int64_t, int32_t, int32_t, int64_t*) {
    return sr_fail(env, SR_ERR_NOT_AVAILABLE, "not implemented yet");
}
