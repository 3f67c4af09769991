// layout.cu — CUDA NHWC <-> NCHW permutation (one thread per output element; reads of the source
// are strided in one direction — fine for the small activations it serves at the conv/linear seam).
#include "cuda/check.cuh"
#include "cuda/cuda_ops.h"

namespace {

__global__ void permute_kernel(const float* x, float* y, int64_t b, int64_t hw, int64_t c, int to_nchw) {
    const int64_t total = b * hw * c;
    for (int64_t o = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; o < total; o += (int64_t)gridDim.x * blockDim.x) {
        const int64_t n = o / (hw * c);
        const int64_t r = o - n * hw * c;
        if (to_nchw) {  // o indexes NCHW [n, ch, p]
            const int64_t ch = r / hw, p = r - ch * hw;
            y[o] = x[n * hw * c + p * c + ch];
        } else {  // o indexes NHWC [n, p, ch]
            const int64_t p = r / c, ch = r - p * c;
            y[o] = x[n * hw * c + ch * hw + p];
        }
    }
}

}  // namespace

sr_status sr_cuda_permute_nhwc(sr_env* env, const float* x, float* y, int64_t b, int64_t h, int64_t w, int64_t c,
                               int32_t to_nchw) {
    const int64_t n = b * h * w * c;
    permute_kernel<<<sr_grid_for(n, 256), 256, 0, sr_cuda(env)->stream>>>(x, y, b, h * w, c, to_nchw);
    SR_CUDA_LAUNCHED(env, "permute_kernel");
    return SR_OK;
}
