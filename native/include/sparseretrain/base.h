/*
 * sparseretrain/base.h — what every other part builds on: the API version, the status / dtype /
 * device enums, the opaque sr_context, library and machine info, contexts, memory and casts.
 * Part of the C API: sparseretrain.h includes every part and states the conventions they follow.
 */
#ifndef SPARSERETRAIN_BASE_H
#define SPARSERETRAIN_BASE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SR_API_VERSION 1

typedef enum sr_status {
    SR_OK = 0,
    SR_ERR_INVALID_ARGUMENT = 1, /* null pointer, negative count, bad option value */
    SR_ERR_SHAPE = 2,            /* dimensions that do not fit the op (e.g. K % M != 0) */
    SR_ERR_DTYPE = 3,            /* dtype the op does not take */
    SR_ERR_NONFINITE = 4,        /* NaN or Inf where the op needs finite values */
    SR_ERR_PATTERN = 5,          /* input violates a sparsity pattern (e.g. > 2 kept in a 2:4 group) */
    SR_ERR_OUT_OF_RANGE = 6,     /* k larger than the live count, etc. */
    SR_ERR_OUT_OF_MEMORY = 7,
    SR_ERR_NOT_AVAILABLE = 8,    /* component not built or not present on this machine */
    SR_ERR_CUDA = 9,             /* a CUDA runtime / driver / cuBLAS call failed */
    SR_ERR_CUSPARSELT = 10,      /* a cuSPARSELt call failed */
    SR_ERR_INTERNAL = 11
} sr_status;

typedef enum sr_dtype {
    SR_F32 = 0,  /* IEEE float32 */
    SR_BF16 = 1, /* bfloat16, stored as uint16 bits, round-to-nearest-even on conversion */
    SR_U8 = 2,   /* masks: 0 = pruned, 1 = kept */
    SR_I32 = 3   /* labels, pooling indices */
} sr_dtype;

typedef enum sr_device_kind {
    SR_DEVICE_HOST = 0,
    SR_DEVICE_CUDA = 1
} sr_device_kind;

typedef enum sr_memcpy_kind {
    SR_COPY_HOST_TO_DEVICE = 0,
    SR_COPY_DEVICE_TO_HOST = 1,
    SR_COPY_DEVICE_TO_DEVICE = 2
} sr_memcpy_kind;

/* Opaque: device, stream, workspace and last-error message. One context per thread at a time. */
typedef struct sr_context sr_context;

/* ---------------------------------------------------------------- library and machine info */

/* Version of this library, e.g. "0.1.0". Static storage. */
const char* sr_version(void);
/* Size in bytes of one element of dtype, 0 for an unknown dtype. */
int32_t sr_dtype_size(int32_t dtype);
/* Human-readable name of a status code. Static storage. */
const char* sr_status_name(int32_t status);
/* Last error of the calling thread for calls without a context. Never NULL ("" when none). */
const char* sr_thread_last_error(void);

/*
 * What the library was built with, as one line of key=value pairs, e.g.
 * "version=0.1.0 api=1 cuda=13.0 archs=sm_80,sm_90a,compute_80 cublas=13.1 cusparselt=0.8.1"
 * (cuda=absent / cusparselt=absent when not built). Writes at most cap bytes including the NUL.
 */
sr_status sr_build_info(char* buf, size_t cap);
/*
 * What this machine has: driver version, device count, and per device its name, compute
 * capability and memory, or the reason there is none ("cuda: unavailable: <reason>"). Never
 * crashes where there is no driver or GPU. Same buffer rules as sr_build_info.
 */
sr_status sr_runtime_info(char* buf, size_t cap);
/* Number of usable CUDA devices; 0 (and SR_OK) where there is no driver, runtime or GPU. */
sr_status sr_cuda_device_count(int32_t* count);

/* ---------------------------------------------------------------- context and memory */

/* device_kind: SR_DEVICE_HOST (ordinal ignored) or SR_DEVICE_CUDA with a device ordinal. */
sr_status sr_context_create(int32_t device_kind, int32_t ordinal, sr_context** out);
/* Frees the context and everything it owns. NULL is a no-op. */
void sr_context_destroy(sr_context* ctx);
/* Last error message on this context. Never NULL ("" when none). Valid until the next call. */
const char* sr_context_last_error(const sr_context* ctx);
int32_t sr_context_device_kind(const sr_context* ctx);
/* Opaque cudaStream_t of a CUDA context (NULL for host); ops on the context run on it. */
void* sr_context_stream(const sr_context* ctx);
/* Waits for all work queued on the context's stream; reports asynchronous kernel errors. */
sr_status sr_context_synchronize(sr_context* ctx);

/* Memory of the context's device: host memory is 64-byte aligned, device memory from cudaMalloc. */
sr_status sr_malloc(sr_context* ctx, size_t bytes, void** out);
sr_status sr_free(sr_context* ctx, void* ptr);
/* Copies between host memory and the context's device (on host contexts all kinds are memcpy). */
sr_status sr_memcpy(sr_context* ctx, void* dst, const void* src, size_t bytes, int32_t kind);
sr_status sr_memset_zero(sr_context* ctx, void* ptr, size_t bytes);
/* dst[i] = convert(src[i]) between SR_F32 and SR_BF16 (round to nearest even; NaN stays NaN). */
sr_status sr_cast(sr_context* ctx, int32_t src_dtype, const void* src, int32_t dst_dtype,
                  void* dst, int64_t n);

#ifdef __cplusplus
}
#endif

#endif /* SPARSERETRAIN_BASE_H */
