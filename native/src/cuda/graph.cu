// graph.cu — CUDA Graph capture of a context's stream (sparseretrain.h, "CUDA Graphs"): thread-local
// capture mode, so an op on this thread that is not stream-ordered (a synchronization, an allocation, a
// copy to pageable memory) fails the capture instead of silently running outside it.
#include <new>
#include "cuda/check.cuh"
#include "cuda/cuda_ops.h"

namespace {

struct Exec {
    cudaGraphExec_t exec = nullptr;
};

}  // namespace

sr_status sr_cuda_graph_begin(sr_env* env) {
    SR_CUDA_TRY(env, cudaSetDevice(env->ordinal));
    SR_CUDA_TRY(env, cudaStreamBeginCapture(sr_cuda(env)->stream, cudaStreamCaptureModeThreadLocal));
    return SR_OK;
}

sr_status sr_cuda_graph_end(sr_env* env, void** out) {
    cudaStream_t s = sr_cuda(env)->stream;
    cudaGraph_t graph = nullptr;
    cudaError_t err = cudaStreamEndCapture(s, &graph);
    if (err != cudaSuccess) {
        if (graph != nullptr) cudaGraphDestroy(graph);
        cudaGetLastError();  // the invalidation is reported here, not left for the next launch
        return sr_fail(env, SR_ERR_CUDA,
                       "cudaStreamEndCapture failed: %s (%s); an op inside the capture was not capturable "
                       "(synchronized, allocated or copied to host memory: see sparseretrain.h, CUDA Graphs) and "
                       "the capture was discarded", cudaGetErrorName(err), cudaGetErrorString(err));
    }
    Exec* e = new (std::nothrow) Exec();
    if (e == nullptr) {
        cudaGraphDestroy(graph);
        return sr_fail(env, SR_ERR_OUT_OF_MEMORY, "out of host memory for a graph");
    }
    err = cudaGraphInstantiate(&e->exec, graph, 0);
    cudaGraphDestroy(graph);  // the executable graph keeps what it needs
    if (err != cudaSuccess) {
        delete e;
        return sr_fail(env, SR_ERR_CUDA, "cudaGraphInstantiate failed: %s (%s)", cudaGetErrorName(err),
                       cudaGetErrorString(err));
    }
    // Upload now so that the first replay costs what the others do.
    err = cudaGraphUpload(e->exec, s);
    if (err != cudaSuccess) {
        cudaGraphExecDestroy(e->exec);
        delete e;
        return sr_fail(env, SR_ERR_CUDA, "cudaGraphUpload failed: %s (%s)", cudaGetErrorName(err),
                       cudaGetErrorString(err));
    }
    sr_cuda(env)->graph_made = true;  // from now on the workspace is never freed under a graph (context.cu)
    *out = e;
    return SR_OK;
}

sr_status sr_cuda_graph_launch(sr_env* env, void* exec) {
    SR_CUDA_TRY(env, cudaGraphLaunch(static_cast<Exec*>(exec)->exec, sr_cuda(env)->stream));
    return SR_OK;
}

// cudaGraphExecDestroy of an executable graph that is still running frees it once the replay completes.
void sr_cuda_graph_destroy(void* exec) {
    Exec* e = static_cast<Exec*>(exec);
    if (e == nullptr) return;
    cudaGraphExecDestroy(e->exec);  // destructor path: nowhere to report a failure
    delete e;
}
