// PLACEHOLDER — replaced by the radix-select implementation.
#include "host/host_ops.h"
sr_status sr_host_select_topk(sr_env* env, int32_t, int32_t, const void* const*, uint8_t* const*, const int64_t*,
                              int64_t, const int64_t*, uint64_t, sr_select_report*) {
    return sr_fail(env, SR_ERR_NOT_AVAILABLE, "not implemented yet");
}
