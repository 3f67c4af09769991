// context.cu — CUDA contexts: device selection, stream, cuBLAS handle, workspaces, machine probe.
#include <cstdio>
#include <string>
#include "cuda/check.cuh"
#include "cuda/cuda_ops.h"

namespace {
// cuBLAS's workspace, owned by the context (32 MiB: cuBLAS's recommendation for Hopper, more than the 4 MiB
// it asks for elsewhere). Without one, cuBLAS takes its default pool when run eagerly but, inside a stream
// capture, allocates its workspace with cudaMallocAsync (memory nodes in every captured graph): a captured
// sr_gemm_f32 / sr_gemm_bf16 then allocated after all (graph.h promises captured ops allocate nothing), and
// eager and captured calls ran with different workspaces. NVIDIA's cuBLAS documentation (CUDA Graphs
// support) gives cublasSetWorkspace as the way to avoid those allocations; bench_common.cuh does the same.
constexpr size_t kCublasWorkspaceBytes = 32u << 20;
}  // namespace

sr_status sr_cuda_init(sr_env* env, int32_t ordinal) {
    int count = 0;
    SR_CUDA_TRY(env, cudaGetDeviceCount(&count));
    if (ordinal < 0 || ordinal >= count)
        return sr_fail(env, SR_ERR_INVALID_ARGUMENT, "CUDA device ordinal %d is out of range (%d device(s))", ordinal,
                       count);
    SR_CUDA_TRY(env, cudaSetDevice(ordinal));
    sr_cuda_state* st = new sr_cuda_state();
    env->device_state = st;
    env->ordinal = ordinal;
    cudaError_t err = cudaStreamCreateWithFlags(&st->stream, cudaStreamNonBlocking);
    if (err != cudaSuccess) {
        cudaGetLastError();  // reported here, not again by a later launch (see SR_CUDA_TRY)
        sr_cuda_shutdown(env);
        return sr_fail(env, SR_ERR_CUDA, "cudaStreamCreateWithFlags failed: %s", cudaGetErrorString(err));
    }
    cublasStatus_t cst = cublasCreate(&st->cublas);
    if (cst == CUBLAS_STATUS_SUCCESS) cst = cublasSetStream(st->cublas, st->stream);
    if (cst != CUBLAS_STATUS_SUCCESS) {
        sr_cuda_shutdown(env);
        return sr_fail(env, SR_ERR_CUDA, "cublasCreate/cublasSetStream failed: %s", cublasGetStatusString(cst));
    }
    // After cublasSetStream, which resets the workspace to cuBLAS's default pool.
    err = cudaMalloc(&st->cublas_workspace, kCublasWorkspaceBytes);
    if (err != cudaSuccess) {
        cudaGetLastError();
        sr_cuda_shutdown(env);
        return sr_fail(env, err == cudaErrorMemoryAllocation ? SR_ERR_OUT_OF_MEMORY : SR_ERR_CUDA,
                       "cudaMalloc of cuBLAS's %zu-byte workspace failed: %s", kCublasWorkspaceBytes,
                       cudaGetErrorString(err));
    }
    cst = cublasSetWorkspace(st->cublas, st->cublas_workspace, kCublasWorkspaceBytes);
    if (cst != CUBLAS_STATUS_SUCCESS) {
        sr_cuda_shutdown(env);
        return sr_fail(env, SR_ERR_CUDA, "cublasSetWorkspace failed: %s", cublasGetStatusString(cst));
    }
    env->stream = st->stream;
    return SR_OK;
}

void sr_cuda_shutdown(sr_env* env) {
    sr_cuda_state* st = sr_cuda(env);
    if (st == nullptr) return;
    cudaSetDevice(env->ordinal);
    // A capture left open (sr_graph_begin without sr_graph_end): end and drop it so the stream can go.
    cudaStreamCaptureStatus capture = cudaStreamCaptureStatusNone;
    if (st->stream && cudaStreamIsCapturing(st->stream, &capture) == cudaSuccess &&
        capture != cudaStreamCaptureStatusNone) {
        cudaGraph_t graph = nullptr;
        cudaStreamEndCapture(st->stream, &graph);
        if (graph) cudaGraphDestroy(graph);
        cudaGetLastError();
    }
    if (st->stream) cudaStreamSynchronize(st->stream);
    if (st->cublas) cublasDestroy(st->cublas);
    if (st->cublas_workspace) cudaFree(st->cublas_workspace);
    if (st->workspace) cudaFree(st->workspace);
    for (void* p : st->retired_workspaces) cudaFree(p);
    if (st->host_pinned) cudaFreeHost(st->host_pinned);
    if (st->stream) cudaStreamDestroy(st->stream);
    delete st;
    env->device_state = nullptr;
    env->stream = nullptr;
}

sr_status sr_cuda_synchronize(sr_env* env) {
    SR_CUDA_TRY(env, cudaStreamSynchronize(sr_cuda(env)->stream));
    return SR_OK;
}

sr_status sr_cuda_malloc(sr_env* env, size_t bytes, void** out) {
    SR_CUDA_TRY(env, cudaSetDevice(env->ordinal));
    cudaError_t err = cudaMalloc(out, bytes == 0 ? 1 : bytes);
    if (err == cudaErrorMemoryAllocation) {
        cudaGetLastError();
        return sr_fail(env, SR_ERR_OUT_OF_MEMORY, "cudaMalloc of %zu bytes on device %d failed: out of memory", bytes,
                       env->ordinal);
    }
    SR_CUDA_TRY(env, err);
    return SR_OK;
}

sr_status sr_cuda_free(sr_env* env, void* ptr) {
    SR_CUDA_TRY(env, cudaFree(ptr));
    return SR_OK;
}

sr_status sr_cuda_memcpy(sr_env* env, void* dst, const void* src, size_t bytes, int32_t kind) {
    cudaMemcpyKind k = kind == SR_COPY_HOST_TO_DEVICE   ? cudaMemcpyHostToDevice
                       : kind == SR_COPY_DEVICE_TO_HOST ? cudaMemcpyDeviceToHost
                                                        : cudaMemcpyDeviceToDevice;
    cudaStream_t s = sr_cuda(env)->stream;
    SR_CUDA_TRY(env, cudaMemcpyAsync(dst, src, bytes, k, s));
    // Host memory may be pageable and reused by the caller right after return: finish the copy.
    if (k != cudaMemcpyDeviceToDevice) SR_CUDA_TRY(env, cudaStreamSynchronize(s));
    return SR_OK;
}

sr_status sr_cuda_memset_zero(sr_env* env, void* ptr, size_t bytes) {
    SR_CUDA_TRY(env, cudaMemsetAsync(ptr, 0, bytes, sr_cuda(env)->stream));
    return SR_OK;
}

sr_status sr_cuda_workspace(sr_env* env, size_t bytes, void** out) {
    sr_cuda_state* st = sr_cuda(env);
    if (st->workspace_bytes < bytes) {
        // Once a graph has been captured, its kernels (bias grad, batch norm) may hold the old workspace
        // in their arguments and be replayed after this call: freeing it made those replays write freed
        // memory (possibly the new workspace). It is kept until the context goes instead.
        if (st->workspace && !st->graph_made) {
            SR_CUDA_TRY(env, cudaStreamSynchronize(st->stream));
            SR_CUDA_TRY(env, cudaFree(st->workspace));
            st->workspace = nullptr;
            st->workspace_bytes = 0;
        }
        void* fresh = nullptr;
        SR_CUDA_TRY(env, cudaMalloc(&fresh, bytes));
        if (st->workspace) st->retired_workspaces.push_back(st->workspace);
        st->workspace = fresh;
        st->workspace_bytes = bytes;
    }
    *out = st->workspace;
    return SR_OK;
}

sr_status sr_cuda_host_scratch(sr_env* env, size_t bytes, void** out) {
    sr_cuda_state* st = sr_cuda(env);
    if (st->host_pinned_bytes < bytes) {
        if (st->host_pinned) {
            SR_CUDA_TRY(env, cudaStreamSynchronize(st->stream));
            SR_CUDA_TRY(env, cudaFreeHost(st->host_pinned));
            st->host_pinned = nullptr;
            st->host_pinned_bytes = 0;
        }
        SR_CUDA_TRY(env, cudaMallocHost(&st->host_pinned, bytes));
        st->host_pinned_bytes = bytes;
    }
    *out = st->host_pinned;
    return SR_OK;
}

extern "C" __attribute__((visibility("default"))) sr_status sr_cuda_probe(char* buf, size_t cap, int32_t* count) {
    *count = 0;
    std::string text;
    int driver = 0, runtime = 0;
    cudaError_t err = cudaDriverGetVersion(&driver);
    cudaRuntimeGetVersion(&runtime);
    if (err != cudaSuccess || driver == 0) {
        text = "unavailable: no CUDA driver (" + std::string(cudaGetErrorString(err)) + ")";
    } else {
        int n = 0;
        err = cudaGetDeviceCount(&n);
        char head[128];
        std::snprintf(head, sizeof head, "driver=%d.%d runtime=%d.%d", driver / 1000, (driver % 1000) / 10,
                      runtime / 1000, (runtime % 1000) / 10);
        text = head;
        if (err != cudaSuccess) {
            text += std::string(" devices=0 (") + cudaGetErrorString(err) + ")";
            cudaGetLastError();
        } else {
            text += " devices=" + std::to_string(n);
            for (int d = 0; d < n; ++d) {
                cudaDeviceProp prop;
                if (cudaGetDeviceProperties(&prop, d) != cudaSuccess) continue;
                char dev[512];
                std::snprintf(dev, sizeof dev, " [%d: %s, sm_%d%d, %.1f GiB, %d SMs]", d, prop.name, prop.major,
                              prop.minor, prop.totalGlobalMem / 1073741824.0, prop.multiProcessorCount);
                text += dev;
            }
            *count = n;
        }
    }
    std::snprintf(buf, cap, "%s", text.c_str());
    return SR_OK;
}
