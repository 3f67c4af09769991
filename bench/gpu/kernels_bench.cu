// kernels_bench.cu — bandwidth of SparseRetrain's CUDA ops through the public C API (the kernels the
// library ships), plus cuBLAS SGEMM 4096^3 as a sanity line. CUDA events on the context's stream,
// 5 warm-up runs, median of kRuns; inputs rotated over >= 4 buffer sets of 64 MiB+ each, so the
// working set exceeds L2 (50 MiB on H100). Achieved GB/s counts the bytes each op must move once
// (listed per row), next to the device's peak from cudaDeviceGetAttribute.
// Usage: kernels_bench OUT.csv OUT.md   (exit 0 also when some ops are not built: rows say "n/a")
#include <cublas_v2.h>
#include <cuda_runtime.h>
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>
#include "sparseretrain.h"

namespace {

struct Error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Every CUDA / cuBLAS call checked, naming the call and line; main reports and returns non-zero.
#define CK(call)                                                                                         \
    do {                                                                                                 \
        cudaError_t e_ = (call);                                                                         \
        if (e_ != cudaSuccess)                                                                           \
            throw Error(std::string(#call) + " at line " + std::to_string(__LINE__) + ": " + cudaGetErrorString(e_)); \
    } while (0)
#define CKB(call)                                                                                        \
    do {                                                                                                 \
        cublasStatus_t s_ = (call);                                                                      \
        if (s_ != CUBLAS_STATUS_SUCCESS)                                                                 \
            throw Error(std::string(#call) + " at line " + std::to_string(__LINE__) + ": cuBLAS status " + std::to_string((int)s_)); \
    } while (0)

constexpr int kWarmup = 5;
constexpr int kRuns = 50;
constexpr int kSets = 4;                    // rotated buffer sets
constexpr int64_t kN = 16 * 1024 * 1024;    // elements per buffer: a F32 weight is 64 MiB
constexpr int64_t kSelectN = 100000000;     // global selection over 1e8 weights (4 tensors of 2.5e7)

sr_context* g_ctx = nullptr;
cudaStream_t g_stream = nullptr;

// Deterministic values in [-1, 1) without zeros (hash of the index), and masks with ~live% ones.
__global__ void fill_floats(float* x, int64_t n, uint32_t seed) {
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x) {
        uint32_t h = (uint32_t)i * 2654435761u ^ seed;
        h ^= h >> 15; h *= 2246822519u; h ^= h >> 13;
        x[i] = ((h >> 8) + 0.5f) / 8388608.0f - 1.0f;
    }
}
__global__ void fill_mask(uint8_t* m, int64_t n, uint32_t live_per_256, uint32_t seed) {
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x) {
        uint32_t h = (uint32_t)i * 2246822519u ^ seed;
        h ^= h >> 13; h *= 3266489917u; h ^= h >> 16;
        m[i] = (h & 255u) < live_per_256;
    }
}

void launch_fill(float* x, int64_t n, uint32_t seed) {
    fill_floats<<<1024, 256, 0, g_stream>>>(x, n, seed);
    CK(cudaGetLastError());
}
void launch_mask(uint8_t* m, int64_t n, uint32_t live, uint32_t seed) {
    fill_mask<<<1024, 256, 0, g_stream>>>(m, n, live, seed);
    CK(cudaGetLastError());
}

template <typename T>
T* dalloc(int64_t n, std::vector<void*>& owned) {
    void* p = nullptr;
    CK(cudaMalloc(&p, (size_t)n * sizeof(T)));
    owned.push_back(p);
    return static_cast<T*>(p);
}

struct Row {
    std::string op, note;
    double ms = 0, gbs = 0, bytes = 0;
    bool ok = false;
};

// Median time of op(set) over kRuns after kWarmup; reset(set) runs before each, outside the timing.
// Returns false (row.note = the library's message) when the op is not available in this build.
bool time_op(Row& row, double bytes, const std::function<void(int)>& reset, const std::function<sr_status(int)>& op) {
    cudaEvent_t a, b;
    CK(cudaEventCreate(&a));
    CK(cudaEventCreate(&b));
    std::vector<float> ms;
    for (int r = 0; r < kWarmup + kRuns; ++r) {
        int set = r % kSets;
        if (reset) reset(set);
        CK(cudaEventRecord(a, g_stream));
        sr_status st = op(set);
        CK(cudaEventRecord(b, g_stream));
        if (st != SR_OK) {
            row.note = std::string(sr_status_name(st)) + ": " + sr_context_last_error(g_ctx);
            cudaEventDestroy(a);
            cudaEventDestroy(b);
            return false;
        }
        CK(cudaEventSynchronize(b));
        float t = 0;
        CK(cudaEventElapsedTime(&t, a, b));
        if (r >= kWarmup) ms.push_back(t);
    }
    CK(cudaEventDestroy(a));
    CK(cudaEventDestroy(b));
    std::sort(ms.begin(), ms.end());
    row.ms = ms[ms.size() / 2];
    row.bytes = bytes;
    row.gbs = bytes / (row.ms * 1e-3) / 1e9;
    row.ok = true;
    return true;
}

struct Sets {  // kSets of: weight, grad, moment1, moment2 (F32) and mask (U8), kN elements each
    float* w[kSets]; float* g[kSets]; float* m1[kSets]; float* m2[kSets]; uint8_t* mask[kSets];
};

std::vector<Row> bench_ops(std::vector<void*>& owned) {
    Sets s;
    for (int i = 0; i < kSets; ++i) {
        s.w[i] = dalloc<float>(kN, owned); s.g[i] = dalloc<float>(kN, owned);
        s.m1[i] = dalloc<float>(kN, owned); s.m2[i] = dalloc<float>(kN, owned);
        s.mask[i] = dalloc<uint8_t>(kN, owned);
        launch_fill(s.w[i], kN, 1 + i); launch_fill(s.g[i], kN, 11 + i);
        CK(cudaMemsetAsync(s.m1[i], 0, kN * 4, g_stream)); CK(cudaMemsetAsync(s.m2[i], 0, kN * 4, g_stream));
    }
    auto live_masks = [&](int set) { launch_mask(s.mask[set], kN, 230, 7 + set); };  // ~90% live
    // [outer, K] = [4096, 4096] view of kN for the N:M ops (K % 4 == 0, outer % 4 == 0)
    const int64_t outer = 4096, K = kN / 4096;
    std::vector<Row> rows;
    auto add = [&](const char* op, const char* bytes_note, double bpe, std::function<void(int)> reset,
                   std::function<sr_status(int)> f) {
        Row r;
        r.op = op;
        if (time_op(r, bpe * kN, reset, f)) r.note = bytes_note;
        rows.push_back(r);
        std::printf("  %-24s %s\n", op, r.ok ? (std::to_string(r.gbs) + " GB/s").c_str() : r.note.c_str());
        std::fflush(stdout);
    };
    for (int i = 0; i < kSets; ++i) live_masks(i);
    add("apply_mask f32", "9 B/elem: w r+w, mask r", 9, nullptr,
        [&](int i) { return sr_apply_mask(g_ctx, SR_F32, s.w[i], s.mask[i], kN); });
    add("count_nonzero f32", "4 B/elem", 4, nullptr, [&](int i) {
        int64_t c = 0;
        return sr_count_nonzero(g_ctx, SR_F32, s.w[i], kN, &c);
    });
    add("mask_nm 2:4 f32", "6 B/elem: w r, mask r+w", 6, live_masks,
        [&](int i) { return sr_mask_nm(g_ctx, SR_F32, s.w[i], s.mask[i], outer, K, 1, 2, 4); });
    add("transposable_24 f32", "6 B/elem: w r, mask r+w", 6, live_masks,
        [&](int i) { return sr_mask_transposable_24(g_ctx, SR_F32, s.w[i], s.mask[i], outer, K, 1); });
    // compress needs a 2:4 mask: make one per set first (outside the timing)
    std::vector<float*> vals;
    std::vector<uint8_t*> meta;
    for (int i = 0; i < kSets; ++i) {
        vals.push_back(dalloc<float>(kN / 2, owned));
        meta.push_back(dalloc<uint8_t>(kN / 4, owned));
    }
    add("compress_24 f32", "7.25 B/elem: w r, mask r, values+meta w", 7.25,
        [&](int i) { live_masks(i); sr_mask_nm(g_ctx, SR_F32, s.w[i], s.mask[i], outer, K, 1, 2, 4); },
        [&](int i) { return sr_compress_24(g_ctx, SR_F32, s.w[i], s.mask[i], outer, K, 1, vals[i], meta[i]); });
    for (int i = 0; i < kSets; ++i) live_masks(i);
    add("sgd momentum masked", "21 B/elem: w,g,buf,mask r; w,buf w", 21, nullptr, [&](int i) {
        return sr_sgd_step(g_ctx, s.w[i], s.g[i], s.m1[i], s.mask[i], kN, 1e-4f, 0.9f, 0.f, 5e-4f, 0, 0, 0);
    });
    add("adamw masked", "29 B/elem: w,g,m,v,mask r; w,m,v w", 29, nullptr, [&](int i) {
        return sr_adamw_step(g_ctx, s.w[i], s.g[i], s.m1[i], s.m2[i], s.mask[i], kN, 1e-4f, 0.9f, 0.999f, 1e-8f, 1e-2f, 10);
    });
    // bf16 GELU (the MLP block's activation): x and dy as bf16 in the two halves of m1, y / dx in m2
    auto x16 = [&](int i) { return reinterpret_cast<uint16_t*>(s.m1[i]); };
    auto dy16 = [&](int i) { return reinterpret_cast<uint16_t*>(s.m1[i]) + kN; };
    auto y16 = [&](int i) { return reinterpret_cast<uint16_t*>(s.m2[i]); };
    for (int i = 0; i < kSets; ++i) {
        sr_cast(g_ctx, SR_F32, s.w[i], SR_BF16, x16(i), kN);
        sr_cast(g_ctx, SR_F32, s.g[i], SR_BF16, dy16(i), kN);
    }
    add("gelu fwd bf16", "4 B/elem: x r, y w", 4, nullptr,
        [&](int i) { return sr_activation_fwd_bf16(g_ctx, SR_ACT_GELU, x16(i), y16(i), kN); });
    add("gelu bwd bf16", "6 B/elem: x, dy r; dx w", 6, nullptr,
        [&](int i) { return sr_activation_bwd_bf16(g_ctx, SR_ACT_GELU, x16(i), dy16(i), y16(i), kN); });
    return rows;
}

Row bench_select(std::vector<void*>& owned) {
    // 4 tensors of 2.5e7 (a model's prunable weights); 500 MB per pass, far beyond L2: no rotation
    const int T = 4;
    const int64_t n = kSelectN / T;
    const void* w[T];
    uint8_t* m[T];
    int64_t sizes[T];
    for (int t = 0; t < T; ++t) {
        float* wt = dalloc<float>(n, owned);
        launch_fill(wt, n, 100 + t);
        w[t] = wt;
        m[t] = dalloc<uint8_t>(n, owned);
        sizes[t] = n;
    }
    Row r;
    r.op = "magnitude_global 1e8";
    auto reset = [&](int) { for (int t = 0; t < T; ++t) CK(cudaMemsetAsync(m[t], 1, n, g_stream)); };
    if (time_op(r, 6.0 * kSelectN, reset, [&](int) {
            return sr_prune_magnitude_global(g_ctx, SR_F32, T, w, m, sizes, kSelectN / 2, nullptr);
        }))
        r.note = "6 B/elem = one pass (w, mask r; mask w); radix passes make the true traffic larger";
    std::printf("  %-24s %s\n", r.op.c_str(), r.ok ? (std::to_string(r.gbs) + " GB/s").c_str() : r.note.c_str());
    return r;
}

Row bench_sgemm(std::vector<void*>& owned) {
    const int n = 4096;
    float* a = dalloc<float>((int64_t)n * n, owned);
    float* b = dalloc<float>((int64_t)n * n, owned);
    float* c = dalloc<float>((int64_t)n * n, owned);
    launch_fill(a, (int64_t)n * n, 5);
    launch_fill(b, (int64_t)n * n, 6);
    cublasHandle_t h;
    CKB(cublasCreate(&h));
    CKB(cublasSetStream(h, g_stream));
    const float one = 1, zero = 0;
    Row r;
    r.op = "cuBLAS SGEMM 4096^3";
    time_op(r, 0, nullptr, [&](int) {
        return cublasSgemm(h, CUBLAS_OP_N, CUBLAS_OP_N, n, n, n, &one, a, n, b, n, &zero, c, n) == CUBLAS_STATUS_SUCCESS
                   ? SR_OK : SR_ERR_CUDA;
    });
    CKB(cublasDestroy(h));
    r.gbs = r.ok ? 2.0 * n * n * (double)n / (r.ms * 1e-3) / 1e12 : 0;  // TFLOP/s in this row
    r.note = "TFLOP/s (FP32, default math mode, no TF32)";
    std::printf("  %-24s %.1f TFLOP/s\n", r.op.c_str(), r.gbs);
    return r;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s OUT.csv OUT.md\n", argv[0]);
        return 2;
    }
    if (sr_context_create(SR_DEVICE_CUDA, 0, &g_ctx) != SR_OK) {
        std::printf("skipped: %s\n", sr_thread_last_error());
        return 0;
    }
    std::vector<void*> owned;
    int rc = 0;
    try {
        g_stream = static_cast<cudaStream_t>(sr_context_stream(g_ctx));
        cudaDeviceProp prop;
        CK(cudaGetDeviceProperties(&prop, 0));
        int driver = 0, runtime = 0, clock_khz = 0, bus_bits = 0;
        CK(cudaDriverGetVersion(&driver));
        CK(cudaRuntimeGetVersion(&runtime));
        // memoryClockRate left cudaDeviceProp in CUDA 13: ask the attributes; peak = 2 (DDR) · clock · bus
        bool peak_known = cudaDeviceGetAttribute(&clock_khz, cudaDevAttrMemoryClockRate, 0) == cudaSuccess &&
                          cudaDeviceGetAttribute(&bus_bits, cudaDevAttrGlobalMemoryBusWidth, 0) == cudaSuccess &&
                          clock_khz > 0 && bus_bits > 0;
        cudaGetLastError();
        double peak = peak_known ? 2.0 * clock_khz * 1e3 * (bus_bits / 8.0) / 1e9 : 0;
        char when[64];
        std::time_t now = std::time(nullptr);
        std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
        char head[512];
        std::snprintf(head, sizeof head, "device=%s sm_%d%d driver=%d.%d runtime=%d.%d peak=%s date=%s", prop.name,
                      prop.major, prop.minor, driver / 1000, (driver % 1000) / 10, runtime / 1000, (runtime % 1000) / 10,
                      peak_known ? (std::to_string((int)peak) + "GB/s").c_str() : "unknown", when);
        std::printf("%s\n", head);
        std::vector<Row> rows = bench_ops(owned);
        rows.push_back(bench_select(owned));
        rows.push_back(bench_sgemm(owned));
        CK(cudaStreamSynchronize(g_stream));
        FILE* csv = std::fopen(argv[1], "w");
        FILE* md = std::fopen(argv[2], "w");
        if (!csv || !md) throw Error("cannot write the result files");
        std::fprintf(csv, "# %s\nop,median_ms,achieved,unit,peak_gbs,fraction_of_peak,note\n", head);
        std::fprintf(md, "%s\n\n| op | median ms | achieved | %% of peak | bytes counted |\n|---|---:|---:|---:|---|\n", head);
        for (const Row& r : rows) {
            bool flops = r.op.rfind("cuBLAS", 0) == 0;
            const char* unit = flops ? "TFLOP/s" : "GB/s";
            std::string frac = (!flops && peak_known && r.ok) ? std::to_string(100.0 * r.gbs / peak) : "";
            std::fprintf(csv, "%s,%.4f,%.2f,%s,%s,%s,\"%s\"\n", r.op.c_str(), r.ms, r.gbs, unit,
                         peak_known ? std::to_string(peak).c_str() : "unknown", frac.c_str(), r.note.c_str());
            if (r.ok)
                std::fprintf(md, "| %s | %.3f | %.1f %s | %s | %s |\n", r.op.c_str(), r.ms, r.gbs, unit,
                             frac.empty() ? "-" : frac.substr(0, frac.find('.') + 2).c_str(), r.note.c_str());
            else
                std::fprintf(md, "| %s | n/a | n/a | - | %s |\n", r.op.c_str(), r.note.c_str());
        }
        std::fclose(csv);
        std::fclose(md);
    } catch (const Error& e) {
        std::printf("FAILED: %s\n", e.what());
        rc = 1;
    }
    for (void* p : owned) cudaFree(p);
    sr_context_destroy(g_ctx);
    return rc;
}
