// PLACEHOLDER
#include "host/host_ops.h"
sr_status sr_host_compress_24(sr_env* env, int32_t, const void*, const uint8_t*, int64_t, int64_t, int64_t, void*, uint8_t*) {
    return sr_fail(env, SR_ERR_NOT_AVAILABLE, "not implemented yet");
}
sr_status sr_host_decompress_24(sr_env* env, int32_t, const void*, const uint8_t*, int64_t, int64_t, int64_t, void*) {
    return sr_fail(env, SR_ERR_NOT_AVAILABLE, "not implemented yet");
}
