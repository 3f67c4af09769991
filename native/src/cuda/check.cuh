// check.cuh — every CUDA / cuBLAS call checked, naming the call and the line in the context's error.
#ifndef SR_CUDA_CHECK_CUH
#define SR_CUDA_CHECK_CUH

#include <cublas_v2.h>
#include <cuda_runtime.h>
#include <vector>
#include "runtime/device_ops.h"

// The failed call's error is consumed (cudaGetLastError) where it is reported: left as the thread's
// "last error" it made the next SR_CUDA_LAUNCHED blame an unrelated kernel launch for it (e.g. a
// workspace cudaMalloc that ran out of memory, or a synchronization refused inside a capture). Sticky
// errors are not cleared by this; every later call still returns them.
#define SR_CUDA_TRY(env, call)                                                                         \
    do {                                                                                               \
        cudaError_t sr_err_ = (call);                                                                  \
        if (sr_err_ != cudaSuccess) {                                                                  \
            cudaGetLastError();                                                                        \
            return sr_fail((env), SR_ERR_CUDA, "%s failed at %s:%d: %s (%s)", #call, __FILE__, __LINE__, \
                           cudaGetErrorName(sr_err_), cudaGetErrorString(sr_err_));                    \
        }                                                                                              \
    } while (0)

// After a kernel launch: launch-configuration errors surface here, execution errors at the next sync.
#define SR_CUDA_LAUNCHED(env, kernel_name)                                                             \
    do {                                                                                               \
        cudaError_t sr_err_ = cudaGetLastError();                                                      \
        if (sr_err_ != cudaSuccess)                                                                    \
            return sr_fail((env), SR_ERR_CUDA, "launch of %s failed at %s:%d: %s (%s)", kernel_name,     \
                           __FILE__, __LINE__, cudaGetErrorName(sr_err_), cudaGetErrorString(sr_err_)); \
    } while (0)

#define SR_CUBLAS_TRY(env, call)                                                                       \
    do {                                                                                               \
        cublasStatus_t sr_st_ = (call);                                                                \
        if (sr_st_ != CUBLAS_STATUS_SUCCESS)                                                           \
            return sr_fail((env), SR_ERR_CUDA, "%s failed at %s:%d: cuBLAS status %d (%s)", #call,      \
                           __FILE__, __LINE__, (int)sr_st_, cublasGetStatusString(sr_st_));             \
    } while (0)

// What a CUDA context owns. Workspace grows on demand outside the step loop and is reused.
struct sr_cuda_state {
    cudaStream_t stream = nullptr;
    cublasHandle_t cublas = nullptr;
    void* cublas_workspace = nullptr;  // cuBLAS's own workspace (cublasSetWorkspace), kCublasWorkspaceBytes
    void* workspace = nullptr;       // device scratch (histograms, counters)
    size_t workspace_bytes = 0;
    bool graph_made = false;               // a graph was captured on the stream (sr_cuda_graph_end)
    std::vector<void*> retired_workspaces; // outgrown workspaces a graph may still use (freed at shutdown)
    void* host_pinned = nullptr;     // pinned host scratch for small results (counts, reports)
    size_t host_pinned_bytes = 0;
};

inline sr_cuda_state* sr_cuda(sr_env* env) { return static_cast<sr_cuda_state*>(env->device_state); }

// Ensures at least `bytes` of device workspace / pinned host scratch (grows, never shrinks).
sr_status sr_cuda_workspace(sr_env* env, size_t bytes, void** out);
sr_status sr_cuda_host_scratch(sr_env* env, size_t bytes, void** out);

inline unsigned sr_grid_for(int64_t n, int block) {
    int64_t blocks = (n + block - 1) / block;
    return (unsigned)(blocks < 65535 * 16 ? (blocks < 1 ? 1 : blocks) : 65535 * 16);  // grid-stride loops
}

#endif
