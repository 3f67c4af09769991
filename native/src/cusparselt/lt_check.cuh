// lt_check.cuh — every CUDA / cuSPARSELt call of the component checked, naming the call and the line
// in the context's error (env->error), never exiting.
#ifndef SR_LT_CHECK_CUH
#define SR_LT_CHECK_CUH

#include <cuda_runtime.h>
#include <cusparseLt.h>
#include "runtime/lt_ops.h"

#define SR_LT_CUDA_TRY(env, call)                                                                       \
    do {                                                                                                \
        cudaError_t sr_err_ = (call);                                                                   \
        if (sr_err_ != cudaSuccess)                                                                     \
            return sr_fail((env), sr_err_ == cudaErrorMemoryAllocation ? SR_ERR_OUT_OF_MEMORY : SR_ERR_CUDA, \
                           "%s failed at %s:%d: %s (%s)", #call, __FILE__, __LINE__,                    \
                           cudaGetErrorName(sr_err_), cudaGetErrorString(sr_err_));                     \
    } while (0)

#define SR_LT_TRY(env, call)                                                                            \
    do {                                                                                                \
        cusparseStatus_t sr_st_ = (call);                                                               \
        if (sr_st_ != CUSPARSE_STATUS_SUCCESS)                                                          \
            return sr_fail((env), SR_ERR_CUSPARSELT, "%s failed at %s:%d: %s (%s)", #call, __FILE__,     \
                           __LINE__, cusparseLtGetErrorName(sr_st_), cusparseLtGetErrorString(sr_st_));  \
    } while (0)

#endif
