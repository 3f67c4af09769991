// api_support.h — argument checks shared by the public C API functions (runtime/api_*.cpp).
// Each check writes a message naming the call, the argument and its value, and returns the status.
#ifndef SR_API_SUPPORT_H
#define SR_API_SUPPORT_H

#include <cstdarg>
#include "runtime/context.h"

#define SR_EXPORT extern "C" __attribute__((visibility("default")))

sr_status sr_ctx_fail(sr_context* ctx, sr_status status, const char* fmt, ...);
// Runs a device op and turns env->error into ctx->last_error ("call: message") on failure.
sr_status sr_ctx_result(sr_context* ctx, const char* call, sr_status status);

#define SR_CHECK_CTX(ctx, call)                                                               \
    do {                                                                                      \
        if ((ctx) == nullptr) {                                                               \
            sr_set_thread_error("%s: context is NULL", call);                                 \
            return SR_ERR_INVALID_ARGUMENT;                                                   \
        }                                                                                     \
        (ctx)->last_error.clear();                                                            \
    } while (0)

#define SR_REQUIRE(ctx, cond, status, ...)                                                    \
    do {                                                                                      \
        if (!(cond)) return sr_ctx_fail((ctx), (status), __VA_ARGS__);                        \
    } while (0)

#define SR_REQUIRE_PTR(ctx, call, ptr) \
    SR_REQUIRE(ctx, (ptr) != nullptr, SR_ERR_INVALID_ARGUMENT, "%s: argument '%s' is NULL", call, #ptr)
#define SR_REQUIRE_NONNEG(ctx, call, v) \
    SR_REQUIRE(ctx, (v) >= 0, SR_ERR_INVALID_ARGUMENT, "%s: argument '%s' = %lld is negative", call, #v, (long long)(v))

inline bool sr_is_float_dtype(int32_t dtype) { return dtype == SR_F32 || dtype == SR_BF16; }

#endif
