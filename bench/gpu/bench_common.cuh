// bench_common.cuh — plumbing shared by the GPU benchmarks (gemm_bench.cu, mlp_step_bench.cu): checked
// CUDA / cuBLAS / SparseRetrain calls, deterministic fills, row-major bf16 GEMMs on cuBLAS (the dense
// baseline), CUDA-event medians, the device line every results file starts with. Bench plumbing only:
// nothing here is part of the library.
#ifndef SR_BENCH_COMMON_CUH
#define SR_BENCH_COMMON_CUH

#include <cublas_v2.h>
#include <cuda_runtime.h>
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>
#include "sparseretrain.h"

namespace bench {

struct Error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

#define CK(call)                                                                                              \
    do {                                                                                                      \
        cudaError_t e_ = (call);                                                                              \
        if (e_ != cudaSuccess)                                                                                \
            throw bench::Error(std::string(#call) + " at line " + std::to_string(__LINE__) + ": " +          \
                               cudaGetErrorString(e_));                                                       \
    } while (0)
#define CKB(call)                                                                                             \
    do {                                                                                                      \
        cublasStatus_t s_ = (call);                                                                           \
        if (s_ != CUBLAS_STATUS_SUCCESS)                                                                      \
            throw bench::Error(std::string(#call) + " at line " + std::to_string(__LINE__) + ": " +          \
                               cublasGetStatusString(s_));                                                    \
    } while (0)
// A SparseRetrain call on ctx: the library's message on failure.
#define CKS(ctx, call)                                                                                        \
    do {                                                                                                      \
        sr_status s_ = (call);                                                                                \
        if (s_ != SR_OK)                                                                                      \
            throw bench::Error(std::string(sr_status_name(s_)) + " at line " + std::to_string(__LINE__) + ": " + \
                               sr_context_last_error(ctx));                                                   \
    } while (0)

constexpr int kWarmup = 5;
constexpr int kRuns = 50;

// ---------------------------------------------------------------- fills (deterministic hashes)
__device__ inline uint32_t hash32(uint64_t i, uint32_t seed) {
    uint32_t h = (uint32_t)i * 2654435761u ^ (uint32_t)(i >> 32) * 40503u ^ seed * 2246822519u;
    h ^= h >> 15;
    h *= 2246822519u;
    h ^= h >> 13;
    h *= 3266489917u;
    h ^= h >> 16;
    return h;
}
__device__ inline uint16_t to_bf16(float f) {  // round to nearest even (finite inputs)
    uint32_t u = __float_as_uint(f);
    return (uint16_t)((u + 0x7fffu + ((u >> 16) & 1u)) >> 16);
}
// bf16 uniform in [-scale, scale), never exactly 0
__global__ void fill_bf16_uniform(uint16_t* x, int64_t n, uint32_t seed, float scale) {
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x)
        x[i] = to_bf16(scale * (((hash32(i, seed) >> 8) + 0.5f) / 8388608.0f - 1.0f));
}
// bf16 small integers in [-2, 2]: products and float32 sums stay exact, so any two correct GEMMs agree bit for bit
__global__ void fill_bf16_int(uint16_t* x, int64_t n, uint32_t seed) {
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x)
        x[i] = to_bf16((float)((int)(hash32(i, seed) % 5u) - 2));
}
__global__ void fill_f32_uniform(float* x, int64_t n, uint32_t seed, float scale) {
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x)
        x[i] = scale * (((hash32(i, seed) >> 8) + 0.5f) / 8388608.0f - 1.0f);
}
// *out += number of positions where two bf16 tensors differ bit for bit
__global__ void count_diff_bf16(const uint16_t* a, const uint16_t* b, int64_t n, unsigned long long* out) {
    unsigned long long local = 0;
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x)
        local += a[i] != b[i];
    if (local) atomicAdd(out, local);
}
// *out += number of positions where two fp32 tensors differ by more than rel (relative to max(1, |a|, |b|))
__global__ void count_far_f32(const float* a, const float* b, int64_t n, float rel, unsigned long long* out) {
    unsigned long long local = 0;
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x)
        local += fabsf(a[i] - b[i]) > rel * fmaxf(1.0f, fmaxf(fabsf(a[i]), fabsf(b[i])));
    if (local) atomicAdd(out, local);
}

inline unsigned grid_for(int64_t n) { return (unsigned)std::min<int64_t>(4096, std::max<int64_t>(1, (n + 255) / 256)); }

// ---------------------------------------------------------------- device memory owned by the bench
struct Arena {
    std::vector<void*> owned;
    ~Arena() { release(); }
    void release() {
        for (void* p : owned) cudaFree(p);
        owned.clear();
    }
    template <typename T>
    T* get(int64_t n) {
        void* p = nullptr;
        CK(cudaMalloc(&p, (size_t)std::max<int64_t>(n, 1) * sizeof(T)));
        owned.push_back(p);
        return static_cast<T*>(p);
    }
};

// ---------------------------------------------------------------- row-major bf16 GEMMs on cuBLAS
// Row-major A[r,c] is column-major A^T with ld c. Compute type FP32 (bf16 inputs, fp32 accumulation).
struct Cublas {
    cublasHandle_t h = nullptr;
    void* workspace = nullptr;
    explicit Cublas(cudaStream_t s) {
        CKB(cublasCreate(&h));
        CKB(cublasSetStream(h, s));
        // An explicit workspace (32 MiB, cuBLAS's recommendation for Hopper), set after the stream (setStream
        // resets it): nothing is allocated inside a captured step.
        CK(cudaMalloc(&workspace, 32u << 20));
        CKB(cublasSetWorkspace(h, workspace, 32u << 20));
    }
    ~Cublas() {
        if (h) cublasDestroy(h);
        cudaFree(workspace);
    }
    // Y[m,n] = X[m,k] · W[n,k]^T (+ beta Y), bf16 out
    cublasStatus_t forward(int64_t m, int64_t n, int64_t k, const void* x, const void* w, void* y, float beta = 0) const {
        const float one = 1;
        return cublasGemmEx(h, CUBLAS_OP_T, CUBLAS_OP_N, (int)n, (int)m, (int)k, &one, w, CUDA_R_16BF, (int)k, x,
                            CUDA_R_16BF, (int)k, &beta, y, CUDA_R_16BF, (int)n, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT);
    }
    // dX[m,k] = dY[m,n] · W[n,k], bf16 out
    cublasStatus_t input_grad(int64_t m, int64_t n, int64_t k, const void* dy, const void* w, void* dx) const {
        const float one = 1, zero = 0;
        return cublasGemmEx(h, CUBLAS_OP_N, CUBLAS_OP_N, (int)k, (int)m, (int)n, &one, w, CUDA_R_16BF, (int)k, dy,
                            CUDA_R_16BF, (int)n, &zero, dx, CUDA_R_16BF, (int)k, CUBLAS_COMPUTE_32F,
                            CUBLAS_GEMM_DEFAULT);
    }
    // dW[n,k] = dY[m,n]^T · X[m,k], fp32 out (the gradient of an fp32 master weight)
    cublasStatus_t weight_grad(int64_t m, int64_t n, int64_t k, const void* dy, const void* x, float* dw) const {
        const float one = 1, zero = 0;
        return cublasGemmEx(h, CUBLAS_OP_N, CUBLAS_OP_T, (int)k, (int)n, (int)m, &one, x, CUDA_R_16BF, (int)k, dy,
                            CUDA_R_16BF, (int)n, &zero, dw, CUDA_R_32F, (int)k, CUBLAS_COMPUTE_32F,
                            CUBLAS_GEMM_DEFAULT);
    }
};

// ---------------------------------------------------------------- timing
// Median of kRuns CUDA-event intervals on stream s after kWarmup untimed runs; op(r) gets the run index
// (rotate buffer sets with it); before(r), if given, runs before the start event (e.g. an L2 flush).
inline double median_ms(cudaStream_t s, const std::function<void(int)>& op,
                        const std::function<void(int)>& before = nullptr, int runs = kRuns) {
    cudaEvent_t a, b;
    CK(cudaEventCreate(&a));
    CK(cudaEventCreate(&b));
    std::vector<float> ms;
    for (int r = 0; r < kWarmup + runs; ++r) {
        if (before) before(r);
        CK(cudaEventRecord(a, s));
        op(r);
        CK(cudaEventRecord(b, s));
        CK(cudaEventSynchronize(b));
        float t = 0;
        CK(cudaEventElapsedTime(&t, a, b));
        if (r >= kWarmup) ms.push_back(t);
    }
    cudaEventDestroy(a);
    cudaEventDestroy(b);
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

// ---------------------------------------------------------------- the device line of every results file
inline std::string device_line(sr_context* ctx, cublasHandle_t h, int64_t* l2_bytes) {
    cudaDeviceProp prop;
    CK(cudaGetDeviceProperties(&prop, 0));
    int driver = 0, runtime = 0, cublas = 0, l2 = 0;
    CK(cudaDriverGetVersion(&driver));
    CK(cudaRuntimeGetVersion(&runtime));
    CKB(cublasGetVersion(h, &cublas));
    CK(cudaDeviceGetAttribute(&l2, cudaDevAttrL2CacheSize, 0));
    if (l2_bytes) *l2_bytes = l2;
    char info[2048] = "";
    sr_runtime_info(info, sizeof info);
    std::string lt = info;
    size_t at = lt.find("cusparselt: ");
    lt = at == std::string::npos ? "unknown" : lt.substr(at + 12);
    char build[512] = "";
    sr_build_info(build, sizeof build);
    char when[64];
    std::time_t now = std::time(nullptr);
    std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
    char head[4096];
    std::snprintf(head, sizeof head,
                  "device=%s sm_%d%d SMs=%d L2=%dMiB driver=%d.%d cuda_runtime=%d.%d cublas=%d cusparselt=[%s] "
                  "build=[%s] date=%s",
                  prop.name, prop.major, prop.minor, prop.multiProcessorCount, l2 >> 20, driver / 1000,
                  (driver % 1000) / 10, runtime / 1000, (runtime % 1000) / 10, cublas, lt.c_str(), build, when);
    (void)ctx;
    return head;
}

}  // namespace bench

#endif
