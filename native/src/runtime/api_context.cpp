// api_context.cpp — library info, contexts, memory and casts of the public C API.
#include <cstring>
#include <string>
#include "runtime/api_support.h"

namespace {
thread_local std::string t_last_error;

sr_status write_text(const std::string& text, char* buf, size_t cap, const char* call) {
    if (buf == nullptr || cap == 0) {
        sr_set_thread_error("%s: buffer is NULL or has capacity 0", call);
        return SR_ERR_INVALID_ARGUMENT;
    }
    size_t n = text.size() < cap - 1 ? text.size() : cap - 1;
    std::memcpy(buf, text.data(), n);
    buf[n] = '\0';
    return SR_OK;
}
}  // namespace

void sr_set_thread_error(const char* fmt, ...) {
    char tmp[1024];
    va_list args;
    va_start(args, fmt);
    std::vsnprintf(tmp, sizeof tmp, fmt, args);
    va_end(args);
    t_last_error = tmp;
}

sr_status sr_ctx_fail(sr_context* ctx, sr_status status, const char* fmt, ...) {
    char tmp[1024];
    va_list args;
    va_start(args, fmt);
    std::vsnprintf(tmp, sizeof tmp, fmt, args);
    va_end(args);
    ctx->last_error = tmp;
    return status;
}

sr_status sr_ctx_result(sr_context* ctx, const char* call, sr_status status) {
    if (status != SR_OK) {
        ctx->last_error = std::string(call) + ": " + ctx->env.error;
        ctx->env.error[0] = '\0';
    }
    return status;
}

SR_EXPORT const char* sr_version(void) { return SR_VERSION_STRING; }

SR_EXPORT int32_t sr_dtype_size(int32_t dtype) {
    switch (dtype) {
        case SR_F32: return 4;
        case SR_BF16: return 2;
        case SR_U8: return 1;
        case SR_I32: return 4;
        default: return 0;
    }
}

SR_EXPORT const char* sr_status_name(int32_t status) {
    switch (status) {
        case SR_OK: return "SR_OK";
        case SR_ERR_INVALID_ARGUMENT: return "SR_ERR_INVALID_ARGUMENT";
        case SR_ERR_SHAPE: return "SR_ERR_SHAPE";
        case SR_ERR_DTYPE: return "SR_ERR_DTYPE";
        case SR_ERR_NONFINITE: return "SR_ERR_NONFINITE";
        case SR_ERR_PATTERN: return "SR_ERR_PATTERN";
        case SR_ERR_OUT_OF_RANGE: return "SR_ERR_OUT_OF_RANGE";
        case SR_ERR_OUT_OF_MEMORY: return "SR_ERR_OUT_OF_MEMORY";
        case SR_ERR_NOT_AVAILABLE: return "SR_ERR_NOT_AVAILABLE";
        case SR_ERR_CUDA: return "SR_ERR_CUDA";
        case SR_ERR_CUSPARSELT: return "SR_ERR_CUSPARSELT";
        case SR_ERR_INTERNAL: return "SR_ERR_INTERNAL";
        default: return "SR_ERR_UNKNOWN";
    }
}

SR_EXPORT const char* sr_thread_last_error(void) { return t_last_error.c_str(); }

SR_EXPORT sr_status sr_build_info(char* buf, size_t cap) {
    std::string text = std::string("version=") + SR_VERSION_STRING + " api=" + std::to_string(SR_API_VERSION) +
                       " cuda=" + SR_BUILT_CUDA;
    if (std::string(SR_BUILT_CUDA) != "absent") text += std::string(" archs=") + SR_BUILT_ARCHS;
    text += std::string(" cublas=") + SR_BUILT_CUBLAS + " cusparselt=" + SR_BUILT_CUSPARSELT;
    return write_text(text, buf, cap, "sr_build_info");
}

SR_EXPORT sr_status sr_cuda_device_count(int32_t* count) {
    if (count == nullptr) {
        sr_set_thread_error("sr_cuda_device_count: argument 'count' is NULL");
        return SR_ERR_INVALID_ARGUMENT;
    }
    *count = 0;
    std::string reason;
    sr_cuda_probe_fn probe = sr_load_cuda_probe(&reason);
    if (probe == nullptr) return SR_OK;
    char tmp[2048];
    probe(tmp, sizeof tmp, count);
    return SR_OK;
}

SR_EXPORT sr_status sr_runtime_info(char* buf, size_t cap) {
    std::string text;
    std::string reason;
    sr_cuda_probe_fn probe = sr_load_cuda_probe(&reason);
    if (probe == nullptr) {
        text = "cuda: unavailable: " + reason;
    } else {
        char tmp[4096];
        int32_t count = 0;
        probe(tmp, sizeof tmp, &count);
        text = std::string("cuda: ") + tmp;
    }
    sr_lt_probe_fn lt = sr_load_lt_probe(&reason);
    if (lt == nullptr) {
        text += "; cusparselt: unavailable: " + reason;
    } else {
        char tmp[1024];
        lt(tmp, sizeof tmp);
        text += std::string("; cusparselt: ") + tmp;
    }
    return write_text(text, buf, cap, "sr_runtime_info");
}

SR_EXPORT sr_status sr_context_create(int32_t device_kind, int32_t ordinal, sr_context** out) {
    if (out == nullptr) {
        sr_set_thread_error("sr_context_create: argument 'out' is NULL");
        return SR_ERR_INVALID_ARGUMENT;
    }
    *out = nullptr;
    const sr_device_ops* ops = nullptr;
    if (device_kind == SR_DEVICE_HOST) {
        ops = sr_host_device_ops();
    } else if (device_kind == SR_DEVICE_CUDA) {
        std::string reason;
        ops = sr_load_cuda_ops(&reason);
        if (ops == nullptr) {
            sr_set_thread_error("sr_context_create: CUDA unavailable: %s", reason.c_str());
            return SR_ERR_NOT_AVAILABLE;
        }
    } else {
        sr_set_thread_error("sr_context_create: device_kind = %d is neither SR_DEVICE_HOST (0) nor SR_DEVICE_CUDA (1)",
                            device_kind);
        return SR_ERR_INVALID_ARGUMENT;
    }
    sr_context* ctx = new (std::nothrow) sr_context();
    if (ctx == nullptr) {
        sr_set_thread_error("sr_context_create: out of host memory");
        return SR_ERR_OUT_OF_MEMORY;
    }
    ctx->kind = device_kind;
    ctx->ops = ops;
    sr_status st = ops->init(&ctx->env, ordinal);
    if (st != SR_OK) {
        sr_set_thread_error("sr_context_create(%s, %d): %s", ops->name, ordinal, ctx->env.error);
        delete ctx;
        return st;
    }
    *out = ctx;
    return SR_OK;
}

SR_EXPORT void sr_context_destroy(sr_context* ctx) {
    if (ctx == nullptr) return;
    if (ctx->lt_state != nullptr) ctx->lt->context_shutdown(ctx->lt_state);  // before the stream goes
    ctx->ops->shutdown(&ctx->env);
    delete ctx;
}

SR_EXPORT const char* sr_context_last_error(const sr_context* ctx) {
    return ctx == nullptr ? "context is NULL" : ctx->last_error.c_str();
}

SR_EXPORT int32_t sr_context_device_kind(const sr_context* ctx) { return ctx == nullptr ? -1 : ctx->kind; }

SR_EXPORT void* sr_context_stream(const sr_context* ctx) { return ctx == nullptr ? nullptr : ctx->env.stream; }

SR_EXPORT sr_status sr_context_synchronize(sr_context* ctx) {
    SR_CHECK_CTX(ctx, "sr_context_synchronize");
    return sr_ctx_result(ctx, "sr_context_synchronize", ctx->ops->synchronize(&ctx->env));
}

SR_EXPORT sr_status sr_malloc(sr_context* ctx, size_t bytes, void** out) {
    SR_CHECK_CTX(ctx, "sr_malloc");
    SR_REQUIRE_PTR(ctx, "sr_malloc", out);
    *out = nullptr;
    return sr_ctx_result(ctx, "sr_malloc", ctx->ops->malloc_(&ctx->env, bytes, out));
}

SR_EXPORT sr_status sr_free(sr_context* ctx, void* ptr) {
    SR_CHECK_CTX(ctx, "sr_free");
    if (ptr == nullptr) return SR_OK;
    return sr_ctx_result(ctx, "sr_free", ctx->ops->free_(&ctx->env, ptr));
}

SR_EXPORT sr_status sr_memcpy(sr_context* ctx, void* dst, const void* src, size_t bytes, int32_t kind) {
    SR_CHECK_CTX(ctx, "sr_memcpy");
    if (bytes == 0) return SR_OK;
    SR_REQUIRE_PTR(ctx, "sr_memcpy", dst);
    SR_REQUIRE_PTR(ctx, "sr_memcpy", src);
    SR_REQUIRE(ctx, kind >= SR_COPY_HOST_TO_DEVICE && kind <= SR_COPY_DEVICE_TO_DEVICE, SR_ERR_INVALID_ARGUMENT,
               "sr_memcpy: kind = %d is not an sr_memcpy_kind", kind);
    return sr_ctx_result(ctx, "sr_memcpy", ctx->ops->memcpy_(&ctx->env, dst, src, bytes, kind));
}

SR_EXPORT sr_status sr_memset_zero(sr_context* ctx, void* ptr, size_t bytes) {
    SR_CHECK_CTX(ctx, "sr_memset_zero");
    if (bytes == 0) return SR_OK;
    SR_REQUIRE_PTR(ctx, "sr_memset_zero", ptr);
    return sr_ctx_result(ctx, "sr_memset_zero", ctx->ops->memset_zero(&ctx->env, ptr, bytes));
}

SR_EXPORT sr_status sr_cast(sr_context* ctx, int32_t src_dtype, const void* src, int32_t dst_dtype, void* dst,
                            int64_t n) {
    SR_CHECK_CTX(ctx, "sr_cast");
    SR_REQUIRE_NONNEG(ctx, "sr_cast", n);
    if (n == 0) return SR_OK;
    SR_REQUIRE_PTR(ctx, "sr_cast", src);
    SR_REQUIRE_PTR(ctx, "sr_cast", dst);
    SR_REQUIRE(ctx, sr_is_float_dtype(src_dtype) && sr_is_float_dtype(dst_dtype), SR_ERR_DTYPE,
               "sr_cast: dtypes %d -> %d: only SR_F32 (0) and SR_BF16 (1) convert", src_dtype, dst_dtype);
    return sr_ctx_result(ctx, "sr_cast", ctx->ops->cast(&ctx->env, src_dtype, src, dst_dtype, dst, n));
}
