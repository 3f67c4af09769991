// mlp_step_bench.cu — one training step of a transformer MLP block through our public C API + cuBLAS:
//   Y1 = X·W1^T (Linear 4096->16384), A1 = GELU(Y1), Y2 = A1·W2^T (Linear 16384->4096), 16384 tokens,
// bf16 activations and weights with fp32 accumulation, fp32 master weights updated by our masked AdamW,
// cast to bf16 and re-compressed every step. dY2 is a fixed upstream gradient (the loss is not part of
// the block). Backward: dW2 = dY2^T·A1 and dW1 = dY1^T·X dense on cuBLAS (fp32 out, the masters' grads),
// dA1 = dY2·W2, dY1 = GELU'(Y1)·dA1, dX = dY1·W1.
// Modes:
//   dense         every GEMM on cuBLAS, no masks (the baseline)
//   2:4 plain     plain 2:4 masks; forward GEMMs on our sparse plans, dA1 / dX dense on cuBLAS; 2 compresses
//   2:4 transp.   transposable 2:4 masks; forward AND dA1 / dX on our plans (4 plans); 4 compresses
// each eager (calls issued every step) and as one CUDA Graph (sr_graph_begin/end around the step, replayed
// with sr_graph_launch; AdamW's step count and bias correction are frozen at capture — the timing is the
// same). Reported: step time (median of 50 CUDA-event runs after 5 warm-ups), speedup vs dense in the same
// capture mode, eager phase times (forward / backward / AdamW + cast / compress) and compression's share,
// and the host time to ISSUE one step (wall clock of the calls, no sync) — what the Java + JNI overhead
// will be set against. The working set (several GiB) is far beyond L2: no rotation needed.
// Before timing, each 2:4 mode's forward output Y2 and input gradient dX are compared with cuBLAS on the
// same masked bf16 weights (bf16 tolerance: max |diff| / max |ref|).
// Library pieces used: sr_mask_nm / sr_mask_transposable_24 + sr_apply_mask (masks), sr_activation_*_bf16,
// sr_adamw_step, sr_cast, sr_sparse_gemm_*, sr_graph_*. Bench plumbing only (here): fills, the diff kernel.
// Plans are made with cuSPARSELt's algorithm search when search_iterations > 0 (sr_sparse_gemm_set_search;
// the chosen configurations are printed to stdout), else with the default algorithm.
// Usage: mlp_step_bench OUT.csv OUT.md [tokens (default 16384)] [search_iterations (default 0)]
#include <time.h>
#include <chrono>
#include <cmath>
#include <cstring>
#include <memory>
#include "bench_common.cuh"

namespace {

using namespace bench;

constexpr int64_t kD = 4096, kH = 16384;

sr_context* g_ctx = nullptr;
cudaStream_t g_s = nullptr;
std::unique_ptr<Cublas> g_blas;
int64_t g_t = 16384;  // tokens
int g_search = 0;     // cusparseLtMatmulSearch iterations at plan creation (0: default algorithm)

enum Mode { kDense = 0, kPlain = 1, kTransposable = 2 };
const char* kModeName[] = {"dense", "2:4 plain (dX dense)", "2:4 transposable (dX sparse)"};

// One Linear layer's parameters: W [out, in] fp32 master + bf16 copy, mask, AdamW moments, fp32 grad, plans.
struct Layer {
    int64_t out = 0, in = 0;
    float *w = nullptr, *m = nullptr, *v = nullptr, *g = nullptr;
    uint16_t* wb = nullptr;
    uint8_t* mask = nullptr;
    sr_sparse_gemm* fwd = nullptr;  // forward plan
    sr_sparse_gemm* dx = nullptr;   // input-gradient plan (transposable mode)
    ~Layer() {
        sr_sparse_gemm_destroy(fwd);
        sr_sparse_gemm_destroy(dx);
    }
};

struct Block {
    Mode mode;
    Layer l1, l2;
    uint16_t *x, *y1, *a1, *y2, *dy2, *da1, *dx;  // activations [T, D] or [T, H]
    int64_t step = 0;
    int calls = 0;  // library / cuBLAS calls issued per step
};

__global__ void max_abs_diff(const uint16_t* a, const uint16_t* ref, int64_t n, unsigned* max_diff, unsigned* max_ref) {
    float d = 0, r = 0;
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x) {
        const float x = __uint_as_float((uint32_t)a[i] << 16), y = __uint_as_float((uint32_t)ref[i] << 16);
        d = fmaxf(d, fabsf(x - y));
        r = fmaxf(r, fabsf(y));
    }
    atomicMax(max_diff, __float_as_uint(d));  // non-negative floats order like their bits
    atomicMax(max_ref, __float_as_uint(r));
}

// A plan for the layer; when the algorithm search fails (it has not run on a GPU before), says why and
// falls back to the default algorithm so the step is still measured.
void create_plan(int64_t out, int64_t in, int32_t op, sr_sparse_gemm** plan) {
    char line[256];
    if (sr_sparse_gemm_create(g_ctx, SR_BF16, g_t, out, in, op, plan) == SR_OK) {
        if (g_search > 0 && sr_sparse_gemm_last_search(g_ctx, line, sizeof line) == SR_OK)
            std::printf("  search: %s\n", line);
        return;
    }
    if (g_search == 0) throw Error(std::string("sr_sparse_gemm_create: ") + sr_context_last_error(g_ctx));
    std::printf("  search FAILED (%s); this plan uses the default algorithm\n", sr_context_last_error(g_ctx));
    CKS(g_ctx, sr_sparse_gemm_set_search(g_ctx, 0));
    CKS(g_ctx, sr_sparse_gemm_create(g_ctx, SR_BF16, g_t, out, in, op, plan));
    CKS(g_ctx, sr_sparse_gemm_set_search(g_ctx, g_search));
}

void init_layer(Layer& l, int64_t out, int64_t in, Mode mode, Arena& a, uint32_t seed) {
    const int64_t n = out * in;
    l.out = out, l.in = in;
    l.w = a.get<float>(n), l.m = a.get<float>(n), l.v = a.get<float>(n), l.g = a.get<float>(n);
    l.wb = a.get<uint16_t>(n), l.mask = a.get<uint8_t>(n);
    fill_f32_uniform<<<grid_for(n), 256, 0, g_s>>>(l.w, n, seed, 1.0f / std::sqrt((float)in));
    CK(cudaGetLastError());
    CK(cudaMemsetAsync(l.m, 0, n * 4, g_s));
    CK(cudaMemsetAsync(l.v, 0, n * 4, g_s));
    CK(cudaMemsetAsync(l.mask, 1, n, g_s));
    if (mode == kPlain) CKS(g_ctx, sr_mask_nm(g_ctx, SR_F32, l.w, l.mask, out, in, 1, 2, 4));
    if (mode == kTransposable) CKS(g_ctx, sr_mask_transposable_24(g_ctx, SR_F32, l.w, l.mask, out, in, 1));
    CKS(g_ctx, sr_apply_mask(g_ctx, SR_F32, l.w, l.mask, n));
    CKS(g_ctx, sr_cast(g_ctx, SR_F32, l.w, SR_BF16, l.wb, n));
    if (mode != kDense) {
        create_plan(out, in, SR_SPARSE_GEMM_FORWARD, &l.fwd);
        CKS(g_ctx, sr_sparse_gemm_compress(g_ctx, l.fwd, l.wb, 1));  // verifies the mask is cuSPARSELt's 2:4
    }
    if (mode == kTransposable) {
        create_plan(out, in, SR_SPARSE_GEMM_INPUT_GRAD, &l.dx);
        CKS(g_ctx, sr_sparse_gemm_compress(g_ctx, l.dx, l.wb, 1));
    }
}

void init_block(Block& b, Mode mode, Arena& a) {
    const int64_t t = g_t;
    b.mode = mode;
    init_layer(b.l1, kH, kD, mode, a, 11);
    init_layer(b.l2, kD, kH, mode, a, 12);
    b.x = a.get<uint16_t>(t * kD), b.y1 = a.get<uint16_t>(t * kH), b.a1 = a.get<uint16_t>(t * kH);
    b.y2 = a.get<uint16_t>(t * kD), b.dy2 = a.get<uint16_t>(t * kD), b.da1 = a.get<uint16_t>(t * kH);
    b.dx = a.get<uint16_t>(t * kD);
    fill_bf16_uniform<<<grid_for(t * kD), 256, 0, g_s>>>(b.x, t * kD, 21, 1.0f);
    fill_bf16_uniform<<<grid_for(t * kD), 256, 0, g_s>>>(b.dy2, t * kD, 22, 1e-2f);
    CK(cudaGetLastError());
    CK(cudaStreamSynchronize(g_s));
}

// Phase boundaries of an eager step are recorded on these events when given (nullptr: none).
struct Marks {
    cudaEvent_t fwd = nullptr, bwd = nullptr, update = nullptr;
};

// Y[T,out] = X[T,in] · W^T on the layer's plan or cuBLAS
void linear_fwd(Block& b, Layer& l, const uint16_t* x, uint16_t* y, bool sparse) {
    if (sparse) CKS(g_ctx, sr_sparse_gemm_run(g_ctx, l.fwd, x, y, 1.0f, 0.0f));
    else CKB(g_blas->forward(g_t, l.out, l.in, x, l.wb, y));
    ++b.calls;
}
// dX[T,in] = dY[T,out] · W
void linear_dx(Block& b, Layer& l, const uint16_t* dy, uint16_t* dx, bool sparse) {
    if (sparse) CKS(g_ctx, sr_sparse_gemm_run(g_ctx, l.dx, dy, dx, 1.0f, 0.0f));
    else CKB(g_blas->input_grad(g_t, l.out, l.in, dy, l.wb, dx));
    ++b.calls;
}

// The whole step on the context's stream (capturable: nothing synchronizes or allocates).
void issue_step(Block& b, const Marks& mk, bool reference = false) {
    const bool sp_fwd = b.mode != kDense && !reference, sp_dx = b.mode == kTransposable && !reference;
    const int64_t t = g_t;
    b.calls = 0;
    ++b.step;
    // forward
    linear_fwd(b, b.l1, b.x, b.y1, sp_fwd);
    CKS(g_ctx, sr_activation_fwd_bf16(g_ctx, SR_ACT_GELU, b.y1, b.a1, t * kH));
    linear_fwd(b, b.l2, b.a1, b.y2, sp_fwd);
    b.calls += 1;
    if (mk.fwd) CK(cudaEventRecord(mk.fwd, g_s));
    // backward
    CKB(g_blas->weight_grad(t, kD, kH, b.dy2, b.a1, b.l2.g));  // dW2[D,H] = dY2^T · A1
    linear_dx(b, b.l2, b.dy2, b.da1, sp_dx);                     // dA1[T,H] = dY2 · W2
    CKS(g_ctx, sr_activation_bwd_bf16(g_ctx, SR_ACT_GELU, b.y1, b.da1, b.da1, t * kH));  // dY1, in place
    CKB(g_blas->weight_grad(t, kH, kD, b.da1, b.x, b.l1.g));   // dW1[H,D] = dY1^T · X
    linear_dx(b, b.l1, b.da1, b.dx, sp_dx);                      // dX[T,D] = dY1 · W1
    b.calls += 3;
    if (mk.bwd) CK(cudaEventRecord(mk.bwd, g_s));
    if (reference) return;
    // update: masked AdamW on the fp32 masters, bf16 copies
    for (Layer* l : {&b.l1, &b.l2}) {
        const int64_t n = l->out * l->in;
        CKS(g_ctx, sr_adamw_step(g_ctx, l->w, l->g, l->m, l->v, b.mode == kDense ? nullptr : l->mask, n, 1e-4f, 0.9f,
                                 0.999f, 1e-8f, 0.01f, b.step));
        CKS(g_ctx, sr_cast(g_ctx, SR_F32, l->w, SR_BF16, l->wb, n));
        b.calls += 2;
    }
    if (mk.update) CK(cudaEventRecord(mk.update, g_s));
    // re-compression of every plan (check_pattern = 0: capturable)
    for (Layer* l : {&b.l1, &b.l2}) {
        for (sr_sparse_gemm* p : {l->fwd, l->dx}) {
            if (p == nullptr) continue;
            CKS(g_ctx, sr_sparse_gemm_compress(g_ctx, p, l->wb, 0));
            ++b.calls;
        }
    }
}

// max |a - ref| / max |ref| over n bf16 values
double rel_diff(const uint16_t* a, const uint16_t* ref, int64_t n, unsigned* d2) {
    CK(cudaMemsetAsync(d2, 0, 8, g_s));
    max_abs_diff<<<grid_for(n), 256, 0, g_s>>>(a, ref, n, d2, d2 + 1);
    CK(cudaGetLastError());
    unsigned h[2];
    CK(cudaMemcpyAsync(h, d2, 8, cudaMemcpyDeviceToHost, g_s));
    CK(cudaStreamSynchronize(g_s));
    float d, r;
    std::memcpy(&d, &h[0], 4);
    std::memcpy(&r, &h[1], 4);
    return r > 0 ? d / r : (d > 0 ? 1.0 : 0.0);
}

// 2:4 forward + backward vs cuBLAS on the same masked bf16 weights (no update in between).
std::string check_mode(Block& b, Arena& a) {
    if (b.mode == kDense) return "baseline";
    const int64_t t = g_t;
    uint16_t* y2 = a.get<uint16_t>(t * kD);
    uint16_t* dx = a.get<uint16_t>(t * kD);
    unsigned* d2 = a.get<unsigned>(2);
    const Marks none;
    issue_step(b, none, /*reference=*/true);
    CK(cudaMemcpyAsync(y2, b.y2, t * kD * 2, cudaMemcpyDeviceToDevice, g_s));
    CK(cudaMemcpyAsync(dx, b.dx, t * kD * 2, cudaMemcpyDeviceToDevice, g_s));
    // the sparse path, forward + backward only: the update would change the weights
    const bool sp_dx = b.mode == kTransposable;
    linear_fwd(b, b.l1, b.x, b.y1, true);
    CKS(g_ctx, sr_activation_fwd_bf16(g_ctx, SR_ACT_GELU, b.y1, b.a1, t * kH));
    linear_fwd(b, b.l2, b.a1, b.y2, true);
    linear_dx(b, b.l2, b.dy2, b.da1, sp_dx);
    CKS(g_ctx, sr_activation_bwd_bf16(g_ctx, SR_ACT_GELU, b.y1, b.da1, b.da1, t * kH));
    linear_dx(b, b.l1, b.da1, b.dx, sp_dx);
    const double ey = rel_diff(b.y2, y2, t * kD, d2), ex = rel_diff(b.dx, dx, t * kD, d2);
    char s[160];
    std::snprintf(s, sizeof s, "%s: max|dY2|/max = %.1e, dX %.1e vs cuBLAS (same masked weights)",
                  ey < 2e-2 && ex < 2e-2 ? "ok" : "MISMATCH", ey, ex);
    return s;
}

struct Result {
    double step = 0, fwd = 0, bwd = 0, update = 0, compress = 0, issue_us = 0, issue_cpu_us = 0;
    int calls = 0;
    std::string note;
};

// CPU time of the calling thread in microseconds (the issue cost without time spent descheduled)
double thread_cpu_us() {
    timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec * 1e6 + t.tv_nsec * 1e-3;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

Result time_eager(Block& b) {
    Result r;
    cudaEvent_t e[5];
    for (auto& ev : e) CK(cudaEventCreate(&ev));
    std::vector<double> step, fwd, bwd, upd, cmp, issue, cpu;
    for (int it = 0; it < kWarmup + kRuns; ++it) {
        CK(cudaEventRecord(e[0], g_s));
        const double c0 = thread_cpu_us();
        const auto t0 = std::chrono::steady_clock::now();
        issue_step(b, Marks{e[1], e[2], e[3]});
        const auto t1 = std::chrono::steady_clock::now();
        const double c1 = thread_cpu_us();
        CK(cudaEventRecord(e[4], g_s));
        CK(cudaEventSynchronize(e[4]));
        if (it < kWarmup) continue;
        float ms[4];
        for (int i = 0; i < 4; ++i) CK(cudaEventElapsedTime(&ms[i], e[i], e[i + 1]));
        fwd.push_back(ms[0]), bwd.push_back(ms[1]), upd.push_back(ms[2]), cmp.push_back(ms[3]);
        float total = 0;
        CK(cudaEventElapsedTime(&total, e[0], e[4]));
        step.push_back(total);
        issue.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
        cpu.push_back(c1 - c0);
    }
    for (auto& ev : e) cudaEventDestroy(ev);
    r.step = median(step), r.fwd = median(fwd), r.bwd = median(bwd), r.update = median(upd), r.compress = median(cmp);
    r.issue_us = median(issue);
    r.issue_cpu_us = median(cpu);
    r.calls = b.calls;
    return r;
}

Result time_graph(Block& b) {
    Result r;
    CKS(g_ctx, sr_graph_begin(g_ctx));
    try {
        issue_step(b, Marks{});
    } catch (const Error&) {
        sr_graph* dropped = nullptr;
        sr_graph_end(g_ctx, &dropped);
        sr_graph_destroy(dropped);
        throw;
    }
    sr_graph* g = nullptr;
    CKS(g_ctx, sr_graph_end(g_ctx, &g));
    std::vector<double> issue, cpu;
    r.step = median_ms(g_s, [&](int) {
        const double c0 = thread_cpu_us();
        const auto t0 = std::chrono::steady_clock::now();
        CKS(g_ctx, sr_graph_launch(g_ctx, g));
        issue.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
        cpu.push_back(thread_cpu_us() - c0);
    });
    CK(cudaStreamSynchronize(g_s));
    sr_graph_destroy(g);
    r.issue_us = median(issue);
    r.issue_cpu_us = median(cpu);
    r.calls = 1;
    r.note = "AdamW step count frozen at capture";
    return r;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s OUT.csv OUT.md [tokens]\n", argv[0]);
        return 2;
    }
    if (argc > 3) g_t = std::atoll(argv[3]);
    if (argc > 4) g_search = std::atoi(argv[4]);
    if (sr_context_create(SR_DEVICE_CUDA, 0, &g_ctx) != SR_OK) {
        std::printf("skipped: %s\n", sr_thread_last_error());
        return 0;
    }
    int rc = 0;
    FILE* csv = nullptr;
    FILE* md = nullptr;
    try {
        g_s = static_cast<cudaStream_t>(sr_context_stream(g_ctx));
        g_blas.reset(new Cublas(g_s));
        CKS(g_ctx, sr_sparse_gemm_set_search(g_ctx, g_search));
        int64_t l2 = 0;
        const std::string head = device_line(g_ctx, g_blas->h, &l2);
        std::printf("%s\n", head.c_str());
        char reason[512];
        if (!sr_sparse_gemm_supported(g_ctx, SR_BF16, g_t, kH, kD, SR_SPARSE_GEMM_FORWARD, reason, sizeof reason))
            std::printf("2:4 modes unavailable: %s\n", reason);
        csv = std::fopen(argv[1], "w");
        md = std::fopen(argv[2], "w");
        if (!csv || !md) throw Error("cannot write the result files");
        std::fprintf(csv, "# %s\n# MLP block %lld tokens, %lld->%lld->%lld, bf16 + fp32 masters, AdamW; plan search "
                     "iterations %d; median of %d after %d warm-ups\nmode,capture,step_ms,speedup_vs_dense,fwd_ms,bwd_ms,adamw_cast_ms,compress_ms,"
                     "compress_share,host_issue_us,host_issue_cpu_us,calls_per_step,check,note\n",
                     head.c_str(), (long long)g_t, (long long)kD, (long long)kH, (long long)kD, g_search, kRuns, kWarmup);
        std::fprintf(md, "%s\n\nMLP block training step: Linear %lld->%lld, GELU, Linear %lld->%lld, %lld tokens, bf16 "
                     "compute, fp32 masters, masked AdamW, cast + re-compress every step; 2:4 plans %s. Median of %d CUDA-event runs "
                     "after %d warm-ups. Speedup = dense step / this step in the same capture mode. Host issue = wall "
                     "(and thread CPU) time to issue one step's calls (eager) or one sr_graph_launch (graph).\n\n"
                     "| mode | capture | step ms | speedup vs dense | fwd / bwd / AdamW+cast / compress ms | compress share "
                     "| host issue us wall / cpu (calls) | check |\n|---|---|---:|---:|---|---:|---:|---|\n",
                     head.c_str(), (long long)kD, (long long)kH, (long long)kH, (long long)kD, (long long)g_t,
                     g_search > 0 ? ("made with cusparseLtMatmulSearch (" + std::to_string(g_search) + " iterations)").c_str()
                                  : "with cuSPARSELt's default algorithm",
                     kRuns, kWarmup);
        std::fflush(csv);
        std::fflush(md);
        double dense_eager = 0, dense_graph = 0;
        for (Mode mode : {kDense, kPlain, kTransposable}) {
            std::printf("== %s\n", kModeName[mode]);
            std::fflush(stdout);
            Arena arena;
            Block b;
            std::string check;
            try {
                init_block(b, mode, arena);
                check = check_mode(b, arena);
            } catch (const Error& e) {
                std::printf("  FAILED: %s\n", e.what());
                std::fprintf(csv, "%s,-,,,,,,,,,,,\"FAILED: %s\",\n", kModeName[mode], e.what());
                std::fprintf(md, "| %s | - | FAILED: %s |||||| \n", kModeName[mode], e.what());
                rc = 1;
                if (cudaPeekAtLastError() != cudaSuccess) break;
                continue;
            }
            for (int graph = 0; graph < 2; ++graph) {
                Result r;
                try {
                    r = graph ? time_graph(b) : time_eager(b);
                } catch (const Error& e) {
                    std::printf("  %s FAILED: %s\n", graph ? "graph" : "eager", e.what());
                    std::fprintf(csv, "%s,%s,,,,,,,,,,,\"%s\",\"FAILED: %s\"\n", kModeName[mode], graph ? "graph" : "eager",
                                 check.c_str(), e.what());
                    std::fprintf(md, "| %s | %s | FAILED: %s |||||| \n", kModeName[mode], graph ? "graph" : "eager", e.what());
                    rc = 1;
                    if (cudaPeekAtLastError() != cudaSuccess) break;
                    continue;
                }
                if (mode == kDense) (graph ? dense_graph : dense_eager) = r.step;
                const double dense = graph ? dense_graph : dense_eager;
                const double speed = dense > 0 && r.step > 0 ? dense / r.step : 0;
                const double share = graph ? 0 : r.compress / r.step;
                std::fprintf(csv, "%s,%s,%.4f,%.4f,%s,%s,%s,%s,%s,%.1f,%.1f,%d,\"%s\",\"%s\"\n", kModeName[mode],
                             graph ? "graph" : "eager", r.step, speed, graph ? "" : std::to_string(r.fwd).c_str(),
                             graph ? "" : std::to_string(r.bwd).c_str(), graph ? "" : std::to_string(r.update).c_str(),
                             graph ? "" : std::to_string(r.compress).c_str(), graph ? "" : std::to_string(share).c_str(),
                             r.issue_us, r.issue_cpu_us, r.calls, check.c_str(), r.note.c_str());
                char phases[160] = "-", sh[32] = "-";
                if (!graph) {
                    std::snprintf(phases, sizeof phases, "%.2f / %.2f / %.2f / %.2f", r.fwd, r.bwd, r.update, r.compress);
                    std::snprintf(sh, sizeof sh, "%.1f%%", 100 * share);
                }
                std::fprintf(md, "| %s | %s | %.3f | %.2fx | %s | %s | %.1f / %.1f (%d) | %s |\n", kModeName[mode],
                             graph ? "graph" : "eager", r.step, speed, phases, sh, r.issue_us, r.issue_cpu_us, r.calls,
                             check.c_str());
                std::fflush(csv);
                std::fflush(md);
                std::printf("  %s: step %.3f ms (%.2fx dense), host issue %.1f us; %s\n", graph ? "graph" : "eager", r.step,
                            speed, r.issue_us, check.c_str());
                std::fflush(stdout);
            }
        }
    } catch (const Error& e) {
        std::printf("FAILED: %s\n", e.what());
        rc = 1;
    }
    if (csv) std::fclose(csv);
    if (md) std::fclose(md);
    g_blas.reset();
    sr_context_destroy(g_ctx);
    return rc;
}
