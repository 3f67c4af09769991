// gemm_bench.cu — 2:4 sparse GEMM through our public C API (sr_sparse_gemm_*, cuSPARSELt) against
// cuBLAS dense (cublasGemmEx, bf16 in/out, fp32 accumulation) on the same shapes, in one run.
// Per shape (m = batch rows, n = out features, k = in features; W [n, k]):
//   forward     Y[m,n]  = X·W^T   cuBLAS | 2:4 plain mask (sr_mask_nm) | 2:4 with algorithm search | automatic
//   input grad  dX[m,k] = dY·W    cuBLAS | 2:4 transposable mask (sr_mask_transposable_24)  | automatic
//   weight grad dW[n,k] = dY^T·X  cuBLAS (fp32 out: an fp32 master's gradient; dense in every mode)
//   compression sr_sparse_gemm_compress (check_pattern = 0) of each plan, and its share of a layer's
//               step: plain = fwd 2:4 + dX dense + dW + 1 compress; transposable = fwd 2:4 + dX 2:4 + dW + 2.
// Automatic = the faster of sparse and dense for that shape and op; shapes the plan refuses run dense,
// with the plan's reason. Before timing, each plan is checked against cuBLAS on small-integer data
// (exact float sums: the two must agree bit for bit) and every first compress verifies the pattern.
// Timing: CUDA events, median of 50 after 5 warm-ups; buffers rotated over enough sets that the
// working set is >= 2x L2, else (tiny shapes) an L2 flush before every timed run. TFLOP/s counts the
// dense 2·m·n·k for every variant (so a 2:4 speedup shows as a higher figure).
// Usage: gemm_bench OUT.csv OUT.md [search_iterations (default 3; 0 = no searched variant)] [group ...]
// Rows are appended as each shape finishes, so a time-out leaves the shapes done.
#include <cmath>
#include <cstring>
#include <memory>
#include "bench_common.cuh"

namespace {

using namespace bench;

struct Shape {
    const char* name;
    const char* group;
    int64_t m, n, k;
};

// ResNet-20 on CIFAR (batch 128, 32x32): im2col GEMMs m = 128·H·W (output pixels), n = Cout, k = Cin·kh·kw.
// Our ResNet-20 has 1x1 projection shortcuts where the shape changes. LeNet-300-100 at batch 128; its
// widths are not multiples of 16, so the padded variants show what padding would buy.
const Shape kShapes[] = {
    {"square 4096", "square", 4096, 4096, 4096},
    {"square 8192", "square", 8192, 8192, 8192},
    {"square 16384", "square", 16384, 16384, 16384},
    {"MLP up 4096->16384 (16384 tokens)", "mlp", 16384, 16384, 4096},
    {"MLP down 16384->4096 (16384 tokens)", "mlp", 16384, 4096, 16384},
    {"R20 conv1 3->16 3x3 @32x32", "resnet20", 128 * 32 * 32, 16, 3 * 9},
    {"R20 layer1 16->16 3x3 @32x32", "resnet20", 128 * 32 * 32, 16, 16 * 9},
    {"R20 layer2.0.conv1 16->32 3x3 s2 @16x16", "resnet20", 128 * 16 * 16, 32, 16 * 9},
    {"R20 layer2 32->32 3x3 @16x16", "resnet20", 128 * 16 * 16, 32, 32 * 9},
    {"R20 layer2 shortcut 16->32 1x1 s2", "resnet20", 128 * 16 * 16, 32, 16},
    {"R20 layer3.0.conv1 32->64 3x3 s2 @8x8", "resnet20", 128 * 8 * 8, 64, 32 * 9},
    {"R20 layer3 64->64 3x3 @8x8", "resnet20", 128 * 8 * 8, 64, 64 * 9},
    {"R20 layer3 shortcut 32->64 1x1 s2", "resnet20", 128 * 8 * 8, 64, 32},
    {"R20 linear 64->10", "resnet20", 128, 10, 64},
    {"LeNet fc1 784->300", "lenet", 128, 300, 784},
    {"LeNet fc2 300->100", "lenet", 128, 100, 300},
    {"LeNet fc3 100->10", "lenet", 128, 10, 100},
    {"LeNet fc1 padded 784->304", "lenet-pad16", 128, 304, 784},
    {"LeNet fc2 padded 304->112", "lenet-pad16", 128, 112, 304},
    {"LeNet fc3 padded 112->16", "lenet-pad16", 128, 16, 112},
};

constexpr int kMaxSets = 8;

sr_context* g_ctx = nullptr;
cudaStream_t g_s = nullptr;
std::unique_ptr<Cublas> g_blas;
int64_t g_l2 = 50 << 20;
void* g_flush = nullptr;  // 2x L2, written before each timed run of shapes too small to rotate past L2
int g_search = 3;
FILE* g_csv = nullptr;
FILE* g_md = nullptr;

struct Plan {  // an sr_sparse_gemm owned here
    sr_sparse_gemm* p = nullptr;
    ~Plan() { sr_sparse_gemm_destroy(p); }
};

// One set of buffers for a shape.
struct Set {
    uint16_t *x, *wp, *wt, *y, *dy, *dx;  // X[m,k], W plain 2:4 [n,k], W transposable [n,k], Y, dY, dX
    float* dw;                            // dW[n,k] fp32
};

double tflops(const Shape& s, double ms) { return ms > 0 ? 2.0 * s.m * s.n * (double)s.k / (ms * 1e-3) / 1e12 : 0; }

void csv_row(const Shape& s, const char* op, const char* impl, double ms, double dense_ms, const std::string& check,
             const std::string& note) {
    std::string ratio = ms > 0 && dense_ms > 0 ? std::to_string(dense_ms / ms) : "";
    std::fprintf(g_csv, "\"%s\",%s,%lld,%lld,%lld,%s,%s,%s,%s,%s,%s,\"%s\"\n", s.name, s.group, (long long)s.m,
                 (long long)s.n, (long long)s.k, op, impl, ms > 0 ? std::to_string(ms).c_str() : "",
                 ms > 0 && std::strncmp(op, "compress", 8) != 0 && std::strncmp(op, "layer", 5) != 0
                     ? std::to_string(tflops(s, ms)).c_str() : "",
                 ratio.c_str(), check.c_str(), note.c_str());
    std::fflush(g_csv);
}

void fill_uniform(uint16_t* p, int64_t n, uint32_t seed) {
    fill_bf16_uniform<<<grid_for(n), 256, 0, g_s>>>(p, n, seed, 1.0f);
    CK(cudaGetLastError());
}
void fill_int(uint16_t* p, int64_t n, uint32_t seed) {
    fill_bf16_int<<<grid_for(n), 256, 0, g_s>>>(p, n, seed);
    CK(cudaGetLastError());
}

// W (already filled) masked in place: plain 2:4 along k, or transposable 2:4, through our C API.
void mask_w(uint16_t* w, uint8_t* mask, const Shape& s, bool transposable) {
    CK(cudaMemsetAsync(mask, 1, (size_t)(s.n * s.k), g_s));
    if (transposable) CKS(g_ctx, sr_mask_transposable_24(g_ctx, SR_BF16, w, mask, s.n, s.k, 1));
    else CKS(g_ctx, sr_mask_nm(g_ctx, SR_BF16, w, mask, s.n, s.k, 1, 2, 4));
    CKS(g_ctx, sr_apply_mask(g_ctx, SR_BF16, w, mask, s.n * s.k));
}

int64_t count_diff(const uint16_t* a, const uint16_t* b, int64_t n, unsigned long long* d_count) {
    CK(cudaMemsetAsync(d_count, 0, sizeof *d_count, g_s));
    count_diff_bf16<<<grid_for(n), 256, 0, g_s>>>(a, b, n, d_count);
    CK(cudaGetLastError());
    unsigned long long h = 0;
    CK(cudaMemcpyAsync(&h, d_count, sizeof h, cudaMemcpyDeviceToHost, g_s));
    CK(cudaStreamSynchronize(g_s));
    return (int64_t)h;
}

std::string check_text(int64_t diff, int64_t n) {
    return diff == 0 ? "exact" : std::to_string(diff) + "/" + std::to_string(n) + " differ";
}

struct Md {  // one Markdown row, filled as the shape is measured
    std::string fwd_dense = "-", fwd_sparse = "-", fwd_search = "-", fwd_auto = "-", dx_dense = "-", dx_sparse = "-",
                dx_auto = "-", compress = "-", check = "-", note;
};

std::string ms_tf(const Shape& s, double ms) {
    char b[64];
    std::snprintf(b, sizeof b, "%.3f (%.0f)", ms, tflops(s, ms));
    return b;
}
std::string ms_x(double ms, double dense) {
    char b[64];
    std::snprintf(b, sizeof b, "%.3f (%.2fx)", ms, dense / ms);
    return b;
}

// Creates a plan for op, or marks the op refused with cuSPARSELt's reason (a shape our rules accept
// may still be refused by the library at plan creation).
void try_create(const Shape& s, int32_t op, Plan& plan, bool* ok, char* why, size_t cap) {
    if (!*ok || plan.p) return;
    if (sr_sparse_gemm_create(g_ctx, SR_BF16, s.m, s.n, s.k, op, &plan.p) != SR_OK) {
        *ok = false;
        std::snprintf(why, cap, "plan creation failed: %s", sr_context_last_error(g_ctx));
    }
}

void run_shape(const Shape& s) {
    Md md;
    const int64_t mk = s.m * s.k, nk = s.n * s.k, mn = s.m * s.n;
    char why_f[512] = "", why_g[512] = "";
    bool sp_f = sr_sparse_gemm_supported(g_ctx, SR_BF16, s.m, s.n, s.k, SR_SPARSE_GEMM_FORWARD, why_f, sizeof why_f);
    bool sp_g = sr_sparse_gemm_supported(g_ctx, SR_BF16, s.m, s.n, s.k, SR_SPARSE_GEMM_INPUT_GRAD, why_g, sizeof why_g);
    const bool nm_ok = s.k % 4 == 0, t24_ok = s.k % 4 == 0 && s.n % 4 == 0;
    const double set_bytes = 2.0 * (2 * mk + 2 * nk + 2 * mn) + 4.0 * nk;
    int sets = (int)std::ceil(2.0 * g_l2 / set_bytes);
    sets = std::max(2, std::min(kMaxSets, sets));
    const bool flush = sets * set_bytes < 2.0 * g_l2;
    std::function<void(int)> before = nullptr;
    if (flush) before = [&](int r) { CK(cudaMemsetAsync(g_flush, r & 0xff, (size_t)(2 * g_l2), g_s)); };
    char l2note[96];
    std::snprintf(l2note, sizeof l2note, flush ? "%d sets + L2 flush" : "%d sets rotated", sets);
    std::printf("%-42s m=%lld n=%lld k=%lld (%s)\n", s.name, (long long)s.m, (long long)s.n, (long long)s.k, l2note);
    std::fflush(stdout);

    // -- buffers, random data (uniform bf16 in [-1, 1)), our masks: W plain 2:4, W^T-ready transposable 2:4
    Arena arena;
    std::vector<Set> set(sets);
    uint8_t* mask = arena.get<uint8_t>(nk);
    for (int i = 0; i < sets; ++i) {
        Set& b = set[i];
        b.x = arena.get<uint16_t>(mk), b.wp = arena.get<uint16_t>(nk), b.wt = arena.get<uint16_t>(nk);
        b.y = arena.get<uint16_t>(mn), b.dy = arena.get<uint16_t>(mn), b.dx = arena.get<uint16_t>(mk);
        b.dw = arena.get<float>(nk);
        const uint32_t seed = 1000u * (uint32_t)i;
        fill_uniform(b.x, mk, seed + 1), fill_uniform(b.dy, mn, seed + 2), fill_uniform(b.wp, nk, seed + 3);
        CK(cudaMemcpyAsync(b.wt, b.wp, (size_t)nk * 2, cudaMemcpyDeviceToDevice, g_s));
        if (nm_ok) mask_w(b.wp, mask, s, false);
        if (t24_ok) mask_w(b.wt, mask, s, true);
    }
    CK(cudaStreamSynchronize(g_s));

    // -- dense baseline (cuBLAS on the same masked weights)
    const double d_fwd = median_ms(g_s, [&](int r) { const Set& b = set[r % sets]; CKB(g_blas->forward(s.m, s.n, s.k, b.x, b.wp, b.y)); }, before);
    const double d_dx = median_ms(g_s, [&](int r) { const Set& b = set[r % sets]; CKB(g_blas->input_grad(s.m, s.n, s.k, b.dy, b.wt, b.dx)); }, before);
    const double d_dw = median_ms(g_s, [&](int r) { const Set& b = set[r % sets]; CKB(g_blas->weight_grad(s.m, s.n, s.k, b.dy, b.x, b.dw)); }, before);
    csv_row(s, "forward", "cublas", d_fwd, d_fwd, "", l2note);
    csv_row(s, "input_grad", "cublas", d_dx, d_dx, "", l2note);
    csv_row(s, "weight_grad", "cublas", d_dw, d_dw, "", "fp32 output");
    md.fwd_dense = ms_tf(s, d_fwd);
    md.dx_dense = ms_tf(s, d_dx);

    // -- 2:4: plans, exact check, forced timings, compression, search; a failure here keeps the dense rows
    std::vector<Plan> pf(sets), pg(sets), pt(1);
    double s_fwd = 0, s_dx = 0, c_f = 0, c_g = 0;
    try {
        try_create(s, SR_SPARSE_GEMM_FORWARD, pf[0], &sp_f, why_f, sizeof why_f);
        try_create(s, SR_SPARSE_GEMM_INPUT_GRAD, pg[0], &sp_g, why_g, sizeof why_g);
        if (sp_f || sp_g) {
            // small integers in [-2, 2]: float sums exact, so plan and cuBLAS must agree bit for bit
            Arena check_arena;
            uint16_t* xi = check_arena.get<uint16_t>(mk);
            uint16_t* dyi = check_arena.get<uint16_t>(mn);
            uint16_t* wi = check_arena.get<uint16_t>(nk);
            uint16_t* out = check_arena.get<uint16_t>(std::max(mn, mk));
            uint16_t* ref = check_arena.get<uint16_t>(std::max(mn, mk));
            unsigned long long* d_count = check_arena.get<unsigned long long>(1);
            fill_int(xi, mk, 101), fill_int(dyi, mn, 102);
            std::string checks;
            if (sp_f) {
                fill_int(wi, nk, 103);
                mask_w(wi, mask, s, false);
                CKS(g_ctx, sr_sparse_gemm_compress(g_ctx, pf[0].p, wi, 1));
                CKS(g_ctx, sr_sparse_gemm_run(g_ctx, pf[0].p, xi, out, 1.0f, 0.0f));
                CKB(g_blas->forward(s.m, s.n, s.k, xi, wi, ref));
                const int64_t d = count_diff(out, ref, mn, d_count);
                checks = "fwd " + check_text(d, mn);
                csv_row(s, "forward", "check", 0, 0, check_text(d, mn), "2:4 plan vs cuBLAS, small-integer data");
            }
            if (sp_g) {
                fill_int(wi, nk, 104);
                mask_w(wi, mask, s, true);
                CKS(g_ctx, sr_sparse_gemm_compress(g_ctx, pg[0].p, wi, 1));
                CKS(g_ctx, sr_sparse_gemm_run(g_ctx, pg[0].p, dyi, out, 1.0f, 0.0f));
                CKB(g_blas->input_grad(s.m, s.n, s.k, dyi, wi, ref));
                const int64_t d = count_diff(out, ref, mk, d_count);
                checks += std::string(checks.empty() ? "" : ", ") + "dX " + check_text(d, mk);
                csv_row(s, "input_grad", "check", 0, 0, check_text(d, mk),
                        "2:4 transposable plan vs cuBLAS, small-integer data");
            }
            md.check = checks;
        }
        for (int i = 0; i < sets; ++i) {  // one plan per set (a plan holds one compressed W)
            if (sp_f) {
                if (!pf[i].p) CKS(g_ctx, sr_sparse_gemm_create(g_ctx, SR_BF16, s.m, s.n, s.k, SR_SPARSE_GEMM_FORWARD, &pf[i].p));
                CKS(g_ctx, sr_sparse_gemm_compress(g_ctx, pf[i].p, set[i].wp, 1));  // verifies our mask is cuSPARSELt's 2:4
            }
            if (sp_g) {
                if (!pg[i].p) CKS(g_ctx, sr_sparse_gemm_create(g_ctx, SR_BF16, s.m, s.n, s.k, SR_SPARSE_GEMM_INPUT_GRAD, &pg[i].p));
                CKS(g_ctx, sr_sparse_gemm_compress(g_ctx, pg[i].p, set[i].wt, 1));
            }
        }
        CK(cudaStreamSynchronize(g_s));
        if (sp_f) {
            s_fwd = median_ms(g_s, [&](int r) { const Set& b = set[r % sets]; CKS(g_ctx, sr_sparse_gemm_run(g_ctx, pf[r % sets].p, b.x, b.y, 1.0f, 0.0f)); }, before);
            c_f = median_ms(g_s, [&](int r) { CKS(g_ctx, sr_sparse_gemm_compress(g_ctx, pf[r % sets].p, set[r % sets].wp, 0)); }, before);
            csv_row(s, "forward", "sr_sparse", s_fwd, d_fwd, "", "plain 2:4 mask, default algorithm");
            csv_row(s, "compress_forward", "sr_sparse", c_f, 0, "", "sr_sparse_gemm_compress, check_pattern=0");
            md.fwd_sparse = ms_x(s_fwd, d_fwd) + " " + std::to_string((int)std::lround(tflops(s, s_fwd))) + " TF";
        }
        if (sp_g) {
            s_dx = median_ms(g_s, [&](int r) { const Set& b = set[r % sets]; CKS(g_ctx, sr_sparse_gemm_run(g_ctx, pg[r % sets].p, b.dy, b.dx, 1.0f, 0.0f)); }, before);
            c_g = median_ms(g_s, [&](int r) { CKS(g_ctx, sr_sparse_gemm_compress(g_ctx, pg[r % sets].p, set[r % sets].wt, 0)); }, before);
            csv_row(s, "input_grad", "sr_sparse", s_dx, d_dx, "", "transposable 2:4 mask, default algorithm");
            csv_row(s, "compress_input_grad", "sr_sparse", c_g, 0, "", "sr_sparse_gemm_compress, check_pattern=0");
            md.dx_sparse = ms_x(s_dx, d_dx);
        }
        if (sp_f && g_search > 0) {
            try {
                // one searched plan (one search per shape: it can take seconds at the large shapes), W of set
                // 0, inputs still rotated
                CKS(g_ctx, sr_sparse_gemm_set_search(g_ctx, g_search));
                CKS(g_ctx, sr_sparse_gemm_create(g_ctx, SR_BF16, s.m, s.n, s.k, SR_SPARSE_GEMM_FORWARD, &pt[0].p));
                CKS(g_ctx, sr_sparse_gemm_set_search(g_ctx, 0));
                // checked like the default plan before its speed counts (small integers: exact against
                // cuBLAS): a configuration that computes wrong must not show up as the fastest
                int64_t wrong = 0;
                {
                    Arena a;
                    uint16_t* xi = a.get<uint16_t>(mk);
                    uint16_t* wi = a.get<uint16_t>(nk);
                    uint16_t* out = a.get<uint16_t>(mn);
                    uint16_t* ref = a.get<uint16_t>(mn);
                    unsigned long long* d_count = a.get<unsigned long long>(1);
                    fill_int(xi, mk, 101), fill_int(wi, nk, 103);
                    mask_w(wi, mask, s, false);
                    CKS(g_ctx, sr_sparse_gemm_compress(g_ctx, pt[0].p, wi, 1));
                    CKS(g_ctx, sr_sparse_gemm_run(g_ctx, pt[0].p, xi, out, 1.0f, 0.0f));
                    CKB(g_blas->forward(s.m, s.n, s.k, xi, wi, ref));
                    wrong = count_diff(out, ref, mn, d_count);
                }
                md.check += std::string(md.check.empty() ? "" : ", ") + "searched fwd " + check_text(wrong, mn);
                CKS(g_ctx, sr_sparse_gemm_compress(g_ctx, pt[0].p, set[0].wp, 1));
                char line[256] = "";
                CKS(g_ctx, sr_sparse_gemm_last_search(g_ctx, line, sizeof line));
                std::printf("  search: %s\n", line);
                const double t = median_ms(g_s, [&](int r) { const Set& b = set[r % sets]; CKS(g_ctx, sr_sparse_gemm_run(g_ctx, pt[0].p, b.x, b.y, 1.0f, 0.0f)); }, before);
                csv_row(s, "forward", "sr_sparse_searched", t, d_fwd, check_text(wrong, mn), line);
                md.fwd_search = ms_x(t, d_fwd) + (wrong ? " WRONG" : "");
                if (t < s_fwd && wrong == 0) s_fwd = t;  // automatic may use the searched plan, if it is right
            } catch (const Error& e) {
                sr_sparse_gemm_set_search(g_ctx, 0);
                if (cudaPeekAtLastError() != cudaSuccess) throw;
                csv_row(s, "forward", "sr_sparse_searched", 0, d_fwd, "", std::string("FAILED: ") + e.what());
                md.fwd_search = "FAILED";
            }
        }
    } catch (const Error& e) {
        if (cudaPeekAtLastError() != cudaSuccess) throw;  // sticky: nothing after it is valid
        csv_row(s, "all", "sr_sparse", 0, 0, "", std::string("FAILED: ") + e.what());
        md.note = std::string("2:4 FAILED: ") + e.what();
        std::printf("  2:4 FAILED: %s\n", e.what());
        sp_f = sp_f && s_fwd > 0;
        sp_g = sp_g && s_dx > 0;
        if (!sp_f) std::snprintf(why_f, sizeof why_f, "2:4 failed (see note)");
        if (!sp_g) std::snprintf(why_g, sizeof why_g, "2:4 failed (see note)");
    }

    // -- automatic: the faster of 2:4 and cuBLAS per op; refused shapes run cuBLAS with the reason.
    // Returns the Markdown cell; why is the refusal (unused when 2:4 ran).
    auto automatic = [&](const char* op, bool sparse_ok, double sparse_ms, double dense_ms, const char* why) {
        if (sparse_ok) {
            const bool wins = sparse_ms < dense_ms;
            csv_row(s, op, "sr_auto", wins ? sparse_ms : dense_ms, dense_ms, "", wins ? "chose 2:4" : "chose dense (2:4 slower)");
            return std::string(wins ? "2:4 " : "dense ") + ms_x(wins ? sparse_ms : dense_ms, dense_ms);
        }
        csv_row(s, op, "sr_sparse", 0, dense_ms, "", std::string("refused: ") + why);
        csv_row(s, op, "sr_auto", dense_ms, dense_ms, "", std::string("dense fallback: ") + why);
        return "dense " + ms_x(dense_ms, dense_ms);
    };
    md.fwd_auto = automatic("forward", sp_f, s_fwd, d_fwd, why_f);
    if (!sp_f && md.note.empty()) md.note = std::string("2:4 refused: ") + why_f;
    md.dx_auto = automatic("input_grad", sp_g, s_dx, d_dx, why_g);
    if (!sp_g && md.note.empty() && sp_f) md.note = std::string("dX 2:4 refused: ") + why_g;
    if (sp_f && c_f > 0) {
        // a layer's GEMM step: sums of medians (forward + input grad + weight grad + re-compression)
        const double plain = s_fwd + d_dx + d_dw + c_f;
        char b[160];
        std::snprintf(b, sizeof b, "compress %.1f%% of the step (sum of medians)", 100.0 * c_f / plain);
        csv_row(s, "layer_step_plain", "sr_sparse", plain, d_fwd + d_dx + d_dw, "", b);
        char share[96];
        std::snprintf(share, sizeof share, "%.3f ms, %.1f%%", c_f, 100.0 * c_f / plain);
        md.compress = share;
        if (sp_g && c_g > 0) {
            const double tr = s_fwd + s_dx + d_dw + c_f + c_g;
            std::snprintf(b, sizeof b, "compress %.1f%% of the step (2 plans; sum of medians)", 100.0 * (c_f + c_g) / tr);
            csv_row(s, "layer_step_transposable", "sr_sparse", tr, d_fwd + d_dx + d_dw, "", b);
            std::snprintf(share, sizeof share, " / %.1f%%", 100.0 * (c_f + c_g) / tr);
            md.compress += share;
        }
    }
    std::fprintf(g_md, "| %s | %lldx%lldx%lld | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", s.name,
                 (long long)s.m, (long long)s.n, (long long)s.k, md.fwd_dense.c_str(), md.fwd_sparse.c_str(),
                 md.fwd_search.c_str(), md.fwd_auto.c_str(), md.dx_dense.c_str(), md.dx_sparse.c_str(), md.dx_auto.c_str(),
                 md.compress.c_str(), md.check.c_str(), md.note.c_str());
    std::fflush(g_md);
    std::printf("  dense fwd %.3f ms | 2:4 fwd %s | dX dense %.3f | dX 2:4 %s | %s\n", d_fwd, md.fwd_sparse.c_str(), d_dx,
                md.dx_sparse.c_str(), md.check.c_str());
    std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s OUT.csv OUT.md [search_iterations] [group ...]\n", argv[0]);
        return 2;
    }
    if (argc > 3) g_search = std::atoi(argv[3]);
    std::vector<std::string> groups(argv + std::min(argc, 4), argv + argc);
    if (sr_context_create(SR_DEVICE_CUDA, 0, &g_ctx) != SR_OK) {
        std::printf("skipped: %s\n", sr_thread_last_error());
        return 0;
    }
    int rc = 0;
    try {
        g_s = static_cast<cudaStream_t>(sr_context_stream(g_ctx));
        g_blas.reset(new Cublas(g_s));
        const std::string head = device_line(g_ctx, g_blas->h, &g_l2);
        CK(cudaMalloc(&g_flush, (size_t)(2 * g_l2)));
        std::printf("%s\n", head.c_str());
        g_csv = std::fopen(argv[1], "w");
        g_md = std::fopen(argv[2], "w");
        if (!g_csv || !g_md) throw Error("cannot write the result files");
        std::fprintf(g_csv, "# %s\n# median of %d after %d warm-ups; search_iterations=%d\n"
                     "shape,group,m,n,k,op,impl,median_ms,tflops_dense_equiv,speedup_vs_cublas,check,note\n",
                     head.c_str(), kRuns, kWarmup, g_search);
        std::fprintf(g_md, "%s\n\nms = median of %d CUDA-event runs after %d warm-ups; (x) = cuBLAS time / ours; "
                     "(TF) = dense-equivalent TFLOP/s 2mnk/t. Compress = one sr_sparse_gemm_compress and its share of a "
                     "layer's GEMM step, plain / transposable (sums of medians).\n\n"
                     "| shape | m x n x k | cuBLAS fwd ms (TF) | 2:4 fwd forced | 2:4 fwd searched | fwd automatic | "
                     "cuBLAS dX ms (TF) | 2:4 dX forced (transposable) | dX automatic | compress | check | note |\n"
                     "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n",
                     head.c_str(), kRuns, kWarmup);
        std::fflush(g_csv);
        std::fflush(g_md);
        for (const Shape& s : kShapes) {
            if (!groups.empty() && std::find(groups.begin(), groups.end(), s.group) == groups.end()) continue;
            try {
                run_shape(s);
            } catch (const Error& e) {
                std::printf("  FAILED: %s\n", e.what());
                csv_row(s, "all", "error", 0, 0, "", e.what());
                std::fprintf(g_md, "| %s | %lldx%lldx%lld | FAILED: %s |||||||||| \n", s.name, (long long)s.m,
                             (long long)s.n, (long long)s.k, e.what());
                std::fflush(g_md);
                rc = 1;
                if (cudaPeekAtLastError() != cudaSuccess) break;  // a sticky error: nothing after it is valid
            }
        }
    } catch (const Error& e) {
        std::printf("FAILED: %s\n", e.what());
        rc = 1;
    }
    if (g_csv) std::fclose(g_csv);
    if (g_md) std::fclose(g_md);
    cudaFree(g_flush);
    g_blas.reset();
    sr_context_destroy(g_ctx);
    return rc;
}
