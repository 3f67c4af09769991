// lt_check.cuh — every CUDA / cuSPARSELt call of the component checked, naming the call and the line
// in the context's error (env->error), never exiting.
#ifndef SR_LT_CHECK_CUH
#define SR_LT_CHECK_CUH

#include <cuda_runtime.h>
#include <cusparseLt.h>
#include "runtime/lt_ops.h"

// A failed runtime call also stays in the thread's "last error" of the one cudart this process shares
// with the core CUDA library (CMAKE_CUDA_RUNTIME_LIBRARY Shared). Left there, an OOM of plan_create (or a
// call refused inside a capture) was reported a second time by the next kernel launch's
// cudaGetLastError (SR_CUDA_LAUNCHED: "launch of ... failed: out of memory") and read as a sticky error
// by the benches' cudaPeekAtLastError: consume it where it is reported. Sticky errors (a faulted context)
// are not cleared by this; every later call still returns them.
#define SR_LT_CUDA_TRY(env, call)                                                                       \
    do {                                                                                                \
        cudaError_t sr_err_ = (call);                                                                   \
        if (sr_err_ != cudaSuccess) {                                                                   \
            cudaGetLastError();                                                                         \
            return sr_fail((env), sr_err_ == cudaErrorMemoryAllocation ? SR_ERR_OUT_OF_MEMORY : SR_ERR_CUDA, \
                           "%s failed at %s:%d: %s (%s)", #call, __FILE__, __LINE__,                    \
                           cudaGetErrorName(sr_err_), cudaGetErrorString(sr_err_));                     \
        }                                                                                               \
    } while (0)

#define SR_LT_TRY(env, call)                                                                            \
    do {                                                                                                \
        cusparseStatus_t sr_st_ = (call);                                                               \
        if (sr_st_ != CUSPARSE_STATUS_SUCCESS)                                                          \
            return sr_fail((env), SR_ERR_CUSPARSELT, "%s failed at %s:%d: %s (%s)", #call, __FILE__,     \
                           __LINE__, cusparseLtGetErrorName(sr_st_), cusparseLtGetErrorString(sr_st_));  \
    } while (0)

#endif
