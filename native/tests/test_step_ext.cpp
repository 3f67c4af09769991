// test_step_ext.cpp — the training-step extensions of the C API: bf16 activations (sparseretrain/layers.h),
// sparse-GEMM algorithm search (sparseretrain/sparse_gemm.h), CUDA Graph capture (sparseretrain/graph.h).
// Everywhere: bf16 GELU/ReLU forward and backward on the host against a float64 reference (within half
// a bf16 ulp plus float error) and, bit for bit, against sr_activation_* in float rounded once; every
// argument and state check of the new calls (host contexts refused with the reason, NULLs, ranges).
// On a CUDA device: bf16 activations CUDA vs host bit for bit; a captured sequence (AdamW on fp32
// masters, cast to bf16, GELU, axpby) replayed once and twice equals the same calls run uncaptured, bit
// for bit; a capture broken by a synchronization is reported by sr_graph_end and the context still
// works; with cuSPARSELt (cc >= 8.0): compress (check_pattern = 0) + forward run captured equals
// uncaptured, and a plan made with algorithm search gives the default plan's result bit for bit
// (small-integer data: exact sums). Without a GPU that part prints "skipped: <reason>" and passes.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>
#include "common/bf16.h"
#include "sparseretrain.h"
#include "test_check.h"

namespace {

bool has(const std::string& text, const char* part) { return text.find(part) != std::string::npos; }

std::vector<uint16_t> random_bf16(size_t n, uint32_t seed, float scale) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> d(0.0f, scale);
    std::vector<uint16_t> v(n);
    for (auto& x : v) x = sr_float_to_bf16(d(rng));
    return v;
}

double gelu64(double x) { return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0))); }
double gelu64_grad(double x) {
    return 0.5 * (1.0 + std::erf(x / std::sqrt(2.0))) + x * std::exp(-0.5 * x * x) / std::sqrt(2.0 * M_PI);
}
// Within one bf16 ulp of the float64 reference (rounding is half an ulp) plus the float formula's
// absolute error: 0.5*x*(1 + erff) cancels for x << 0, where erff's ~1e-7 error dominates tiny results.
bool near_bf16(uint16_t got, double want, double float_err) {
    double g = sr_bf16_to_float(got);
    double ulp = std::ldexp(1.0, std::ilogb(std::fabs(want) > 1e-30 ? want : 1e-30) - 7);
    return std::fabs(g - want) <= ulp + float_err;
}

void test_bf16_host(sr_context* h) {
    const size_t n = 4099;  // not a multiple of 8: the CUDA tail path too
    std::vector<uint16_t> x = random_bf16(n, 1, 2.0f), dy = random_bf16(n, 2, 1.0f);
    x[0] = 0;
    x[1] = 0x8000;  // -0
    for (int act : {SR_ACT_GELU, SR_ACT_RELU}) {
        std::vector<uint16_t> y(n), dx(n);
        check(sr_activation_fwd_bf16(h, act, x.data(), y.data(), n) == SR_OK, "fwd_bf16 host");
        check(sr_activation_bwd_bf16(h, act, x.data(), dy.data(), dx.data(), n) == SR_OK, "bwd_bf16 host");
        // bit for bit: the float API on the widened inputs, rounded once
        std::vector<float> xf(n), dyf(n), yf(n), dxf(n);
        for (size_t i = 0; i < n; ++i) xf[i] = sr_bf16_to_float(x[i]), dyf[i] = sr_bf16_to_float(dy[i]);
        check(sr_activation_fwd(h, act, xf.data(), yf.data(), n) == SR_OK, "fwd f32 host");
        check(sr_activation_bwd(h, act, xf.data(), dyf.data(), dxf.data(), n) == SR_OK, "bwd f32 host");
        int64_t diff_f = 0, diff_b = 0, far_f = 0, far_b = 0;
        for (size_t i = 0; i < n; ++i) {
            diff_f += y[i] != sr_float_to_bf16(yf[i]);
            diff_b += dx[i] != sr_float_to_bf16(dxf[i]);
            double xv = xf[i], want_f = act == SR_ACT_GELU ? gelu64(xv) : (xv < 0 ? 0.0 : xv);
            double want_b = dyf[i] * (act == SR_ACT_GELU ? gelu64_grad(xv) : (xv > 0 ? 1.0 : 0.0));
            double ax = std::fabs(xv), err_f = 4e-7 * (1.0 + ax), err_b = 1e-6 * std::fabs(dyf[i]) * (1.0 + ax * ax);
            far_f += !near_bf16(y[i], want_f, err_f);
            far_b += !near_bf16(dx[i], want_b, err_b);
        }
        std::string a = act == SR_ACT_GELU ? "GELU" : "ReLU";
        check(diff_f == 0, a + " fwd bf16 != bf16(f32 API) at " + std::to_string(diff_f) + " of " + std::to_string(n));
        check(diff_b == 0, a + " bwd bf16 != bf16(f32 API) at " + std::to_string(diff_b) + " of " + std::to_string(n));
        check(far_f == 0, a + " fwd bf16 off the float64 reference by > 1 ulp at " + std::to_string(far_f));
        check(far_b == 0, a + " bwd bf16 off the float64 reference by > 1 ulp at " + std::to_string(far_b));
        // in place: y aliases x, dx aliases dy
        std::vector<uint16_t> xi = x, dyi = dy;
        check(sr_activation_fwd_bf16(h, act, xi.data(), xi.data(), n) == SR_OK && xi == y, a + " fwd in place differs");
        check(sr_activation_bwd_bf16(h, act, x.data(), dyi.data(), dyi.data(), n) == SR_OK && dyi == dx,
              a + " bwd in place differs");
    }
    uint16_t one = 0x3f80, out = 0;
    expect(h, sr_activation_fwd_bf16(h, 7, &one, &out, 1), SR_ERR_INVALID_ARGUMENT, "fwd act 7",
           {"sr_activation_fwd_bf16", "activation 7"});
    expect(h, sr_activation_bwd_bf16(h, -1, &one, &one, &out, 1), SR_ERR_INVALID_ARGUMENT, "bwd act -1",
           {"sr_activation_bwd_bf16", "activation -1"});
    expect(h, sr_activation_fwd_bf16(h, SR_ACT_GELU, &one, &out, -3), SR_ERR_INVALID_ARGUMENT, "fwd n -3",
           {"'n' = -3"});
    expect(h, sr_activation_fwd_bf16(h, SR_ACT_GELU, nullptr, &out, 1), SR_ERR_INVALID_ARGUMENT, "fwd x NULL",
           {"'x' is NULL"});
    expect(h, sr_activation_bwd_bf16(h, SR_ACT_GELU, &one, nullptr, &out, 1), SR_ERR_INVALID_ARGUMENT, "bwd dy NULL",
           {"'dy' is NULL"});
    expect(h, sr_activation_bwd_bf16(h, SR_ACT_GELU, &one, &one, nullptr, 1), SR_ERR_INVALID_ARGUMENT, "bwd dx NULL",
           {"'dx' is NULL"});
    check(sr_activation_fwd_bf16(h, SR_ACT_GELU, nullptr, nullptr, 0) == SR_OK, "fwd n = 0 with NULLs is not SR_OK");
    expect(nullptr, sr_activation_fwd_bf16(nullptr, SR_ACT_GELU, &one, &out, 1), SR_ERR_INVALID_ARGUMENT, "fwd NULL ctx",
           {"sr_activation_fwd_bf16", "context is NULL"});
}

void test_checks_host(sr_context* h) {
    // graphs: host contexts refused with the reason, naming the call
    expect(h, sr_graph_begin(h), SR_ERR_NOT_AVAILABLE, "graph_begin host", {"sr_graph_begin", "host context"});
    static char sentinel;
    sr_graph* g = reinterpret_cast<sr_graph*>(&sentinel);
    expect(h, sr_graph_end(h, &g), SR_ERR_NOT_AVAILABLE, "graph_end host", {"sr_graph_end", "host context"});
    check(g == nullptr, "graph_end host: *out not reset to NULL");
    expect(h, sr_graph_end(h, nullptr), SR_ERR_INVALID_ARGUMENT, "graph_end NULL out", {"sr_graph_end", "'out'"});
    expect(h, sr_graph_launch(h, nullptr), SR_ERR_INVALID_ARGUMENT, "graph_launch NULL g", {"sr_graph_launch", "'g'"});
    expect(h, sr_graph_launch(h, reinterpret_cast<sr_graph*>(&sentinel)), SR_ERR_NOT_AVAILABLE, "graph_launch host",
           {"sr_graph_launch", "host context"});
    expect(nullptr, sr_graph_begin(nullptr), SR_ERR_INVALID_ARGUMENT, "graph_begin NULL ctx",
           {"sr_graph_begin", "context is NULL"});
    expect(nullptr, sr_graph_end(nullptr, &g), SR_ERR_INVALID_ARGUMENT, "graph_end NULL ctx", {"sr_graph_end"});
    expect(nullptr, sr_graph_launch(nullptr, nullptr), SR_ERR_INVALID_ARGUMENT, "graph_launch NULL ctx",
           {"sr_graph_launch"});
    sr_graph_destroy(nullptr);  // a no-op
    // the context still works after refusals
    float a = 1, b = 2;
    check(sr_axpby(h, 1.0f, &a, 1.0f, &b, 1) == SR_OK && b == 3.0f, "host context unusable after graph refusals");

    // search setting: range first, then the device
    expect(h, sr_sparse_gemm_set_search(h, -1), SR_ERR_INVALID_ARGUMENT, "set_search -1",
           {"sr_sparse_gemm_set_search", "iterations = -1", "[0, 100]"});
    expect(h, sr_sparse_gemm_set_search(h, 101), SR_ERR_INVALID_ARGUMENT, "set_search 101", {"iterations = 101"});
    expect(h, sr_sparse_gemm_set_search(h, 5), SR_ERR_NOT_AVAILABLE, "set_search host",
           {"sr_sparse_gemm_set_search", "host context"});
    expect(h, sr_sparse_gemm_set_search(h, 0), SR_ERR_NOT_AVAILABLE, "set_search 0 host", {"host context"});
    char buf[64];
    expect(h, sr_sparse_gemm_last_search(h, nullptr, 8), SR_ERR_INVALID_ARGUMENT, "last_search NULL buf",
           {"sr_sparse_gemm_last_search", "NULL"});
    expect(h, sr_sparse_gemm_last_search(h, buf, 0), SR_ERR_INVALID_ARGUMENT, "last_search cap 0", {"capacity 0"});
    expect(h, sr_sparse_gemm_last_search(h, buf, sizeof buf), SR_ERR_NOT_AVAILABLE, "last_search host",
           {"host context"});
    expect(nullptr, sr_sparse_gemm_set_search(nullptr, 1), SR_ERR_INVALID_ARGUMENT, "set_search NULL ctx",
           {"sr_sparse_gemm_set_search", "context is NULL"});
}

// ---------------------------------------------------------------- CUDA part

template <typename T>
struct Dev {  // device buffer through the public API
    sr_context* ctx = nullptr;
    T* p = nullptr;
    size_t n = 0;
    Dev(sr_context* c, size_t count) : ctx(c), n(count) {
        void* q = nullptr;
        if (sr_malloc(c, n * sizeof(T), &q) == SR_OK) p = static_cast<T*>(q);
    }
    ~Dev() { sr_free(ctx, p); }
    void put(const std::vector<T>& v) { sr_memcpy(ctx, p, v.data(), n * sizeof(T), SR_COPY_HOST_TO_DEVICE); }
    std::vector<T> get() const {
        std::vector<T> v(n);
        sr_memcpy(ctx, v.data(), p, n * sizeof(T), SR_COPY_DEVICE_TO_HOST);
        return v;
    }
};

// The state one step touches: fp32 master, grad, AdamW moments, mask, bf16 copy, activation output.
struct StepState {
    Dev<float> w, g, m, v, acc;
    Dev<uint8_t> mask;
    Dev<uint16_t> wb, act;
    StepState(sr_context* c, size_t n) : w(c, n), g(c, n), m(c, n), v(c, n), acc(c, n), mask(c, n), wb(c, n), act(c, n) {}
};

void init_state(StepState& s, size_t n) {
    std::mt19937 rng(7);
    std::normal_distribution<float> d(0.0f, 1.0f);
    std::vector<float> w(n), g(n), zero(n, 0.0f);
    std::vector<uint8_t> mask(n);
    for (size_t i = 0; i < n; ++i) w[i] = d(rng), g[i] = d(rng) * 0.1f, mask[i] = (i % 4) < 2;
    s.w.put(w), s.g.put(g), s.m.put(zero), s.v.put(zero), s.acc.put(zero), s.mask.put(mask);
}

// One "step": masked AdamW on the fp32 master, cast to bf16, GELU in bf16, acc += 0.5 * master.
sr_status issue_step(sr_context* c, StepState& s, size_t n) {
    sr_status st = sr_adamw_step(c, s.w.p, s.g.p, s.m.p, s.v.p, s.mask.p, n, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, 3);
    if (st == SR_OK) st = sr_cast(c, SR_F32, s.w.p, SR_BF16, s.wb.p, n);
    if (st == SR_OK) st = sr_activation_fwd_bf16(c, SR_ACT_GELU, s.wb.p, s.act.p, n);
    if (st == SR_OK) st = sr_axpby(c, 0.5f, s.w.p, 1.0f, s.acc.p, n);
    return st;
}

void test_graph_cuda(sr_context* c, sr_context* h) {
    const size_t n = 1 << 16;
    // bf16 activations: CUDA == host bit for bit (aligned vector path and the unaligned/tail path)
    for (size_t off : {0u, 1u}) {
        const size_t cnt = 4099;
        std::vector<uint16_t> x = random_bf16(cnt + 1, 3, 2.0f), dy = random_bf16(cnt + 1, 4, 1.0f);
        Dev<uint16_t> dx_(c, cnt + 1), ddy(c, cnt + 1), dout(c, cnt + 1);
        dx_.put(x), ddy.put(dy);
        std::vector<uint16_t> want(cnt), wantb(cnt);
        sr_activation_fwd_bf16(h, SR_ACT_GELU, x.data() + off, want.data(), cnt);
        sr_activation_bwd_bf16(h, SR_ACT_GELU, x.data() + off, dy.data() + off, wantb.data(), cnt);
        check(sr_activation_fwd_bf16(c, SR_ACT_GELU, dx_.p + off, dout.p, cnt) == SR_OK, "cuda fwd_bf16");
        std::vector<uint16_t> got = dout.get();
        int64_t diff = 0;
        for (size_t i = 0; i < cnt; ++i) diff += got[i] != want[i];
        check(diff == 0, "GELU bf16 fwd CUDA != host at " + std::to_string(diff) + " (offset " + std::to_string(off) + ")");
        check(sr_activation_bwd_bf16(c, SR_ACT_GELU, dx_.p + off, ddy.p + off, dout.p, cnt) == SR_OK, "cuda bwd_bf16");
        got = dout.get();
        diff = 0;
        for (size_t i = 0; i < cnt; ++i) diff += got[i] != wantb[i];
        check(diff == 0, "GELU bf16 bwd CUDA != host at " + std::to_string(diff) + " (offset " + std::to_string(off) + ")");
    }

    // uncaptured (set A) vs captured + replayed (set B), once and twice
    StepState a(c, n), b(c, n);
    init_state(a, n), init_state(b, n);
    check(issue_step(c, a, n) == SR_OK, std::string("uncaptured step: ") + sr_context_last_error(c));
    check(sr_graph_begin(c) == SR_OK, std::string("graph_begin: ") + sr_context_last_error(c));
    expect(c, sr_graph_begin(c), SR_ERR_INVALID_ARGUMENT, "graph_begin twice", {"already open"});
    check(issue_step(c, b, n) == SR_OK, std::string("step under capture: ") + sr_context_last_error(c));
    sr_graph* g = nullptr;
    check(sr_graph_end(c, &g) == SR_OK && g != nullptr, std::string("graph_end: ") + sr_context_last_error(c));
    sr_graph* none = nullptr;
    expect(c, sr_graph_end(c, &none), SR_ERR_INVALID_ARGUMENT, "graph_end without begin", {"no capture is open"});
    check(sr_graph_launch(c, g) == SR_OK, std::string("graph_launch: ") + sr_context_last_error(c));
    check(sr_context_synchronize(c) == SR_OK, std::string("sync after replay: ") + sr_context_last_error(c));
    auto same = [&](const char* what) {
        check(a.w.get() == b.w.get() && a.m.get() == b.m.get() && a.v.get() == b.v.get() &&
                  a.wb.get() == b.wb.get() && a.act.get() == b.act.get() && a.acc.get() == b.acc.get(),
              std::string("captured replay differs from the uncaptured run: ") + what);
    };
    same("once");
    check(issue_step(c, a, n) == SR_OK && sr_graph_launch(c, g) == SR_OK && sr_context_synchronize(c) == SR_OK,
          "second step");
    same("twice");
    // a graph from another context is refused
    sr_context* c2 = nullptr;
    if (sr_context_create(SR_DEVICE_CUDA, 0, &c2) == SR_OK) {
        expect(c2, sr_graph_launch(c2, g), SR_ERR_INVALID_ARGUMENT, "launch on another context", {"another context"});
        sr_context_destroy(c2);
    }
    sr_graph_destroy(g);

    // a synchronization inside a capture breaks it: reported at the end, context usable afterwards
    check(sr_graph_begin(c) == SR_OK, "graph_begin (broken capture)");
    sr_status sync_st = sr_context_synchronize(c);
    check(sync_st != SR_OK, "sr_context_synchronize inside a capture did not fail");
    sr_graph* broken = nullptr;
    expect(c, sr_graph_end(c, &broken), SR_ERR_CUDA, "graph_end of a broken capture",
           {"sr_graph_end", "cudaStreamEndCapture", "not capturable"});
    check(broken == nullptr, "broken capture returned a graph");
    check(issue_step(c, a, n) == SR_OK && sr_context_synchronize(c) == SR_OK,
          std::string("context unusable after a broken capture: ") + sr_context_last_error(c));
    // a capture left open is closed by sr_context_destroy (no hang, no leak report here)
    if (sr_context_create(SR_DEVICE_CUDA, 0, &c2) == SR_OK) {
        check(sr_graph_begin(c2) == SR_OK, "graph_begin on a second context");
        sr_context_destroy(c2);
    }
}

// Small-integer 2:4 W [n, k] (2 kept of every 4 along k), X in [-2, 2]: exact float sums.
void test_sparse_cuda(sr_context* c) {
    char reason[512];
    const int64_t m = 64, n = 64, k = 128;
    if (!sr_sparse_gemm_supported(c, SR_BF16, m, n, k, SR_SPARSE_GEMM_FORWARD, reason, sizeof reason)) {
        std::printf("skipped: captured sparse GEMM and algorithm search: %s\n", reason);
        return;
    }
    std::mt19937 rng(11);
    std::uniform_int_distribution<int> v(-2, 2);
    std::vector<uint16_t> w(n * k), x(m * k);
    for (int64_t r = 0; r < n; ++r)
        for (int64_t j = 0; j < k; ++j) w[r * k + j] = (j % 4 == r % 4 || j % 4 == (r + 1) % 4) ? sr_float_to_bf16((float)v(rng)) : 0;
    for (auto& e : x) e = sr_float_to_bf16((float)v(rng));
    Dev<uint16_t> dw(c, n * k), dx(c, m * k), y1(c, m * n), y2(c, m * n), y3(c, m * n);
    dw.put(w), dx.put(x);
    sr_sparse_gemm* plan = nullptr;
    check(sr_sparse_gemm_create(c, SR_BF16, m, n, k, SR_SPARSE_GEMM_FORWARD, &plan) == SR_OK,
          std::string("create: ") + sr_context_last_error(c));
    if (plan == nullptr) return;
    check(sr_sparse_gemm_compress(c, plan, dw.p, 1) == SR_OK && sr_sparse_gemm_run(c, plan, dx.p, y1.p, 1.0f, 0.0f) == SR_OK,
          std::string("uncaptured compress + run: ") + sr_context_last_error(c));
    check(sr_graph_begin(c) == SR_OK, "graph_begin (sparse)");
    check(sr_sparse_gemm_compress(c, plan, dw.p, 0) == SR_OK && sr_sparse_gemm_run(c, plan, dx.p, y2.p, 1.0f, 0.0f) == SR_OK,
          std::string("captured compress + run: ") + sr_context_last_error(c));
    sr_graph* g = nullptr;
    check(sr_graph_end(c, &g) == SR_OK, std::string("graph_end (sparse): ") + sr_context_last_error(c));
    check(g != nullptr && sr_graph_launch(c, g) == SR_OK && sr_context_synchronize(c) == SR_OK,
          std::string("replay (sparse): ") + sr_context_last_error(c));
    check(y1.get() == y2.get(), "captured sparse GEMM differs from the uncaptured run");
    sr_graph_destroy(g);
    // check_pattern = 1 synchronizes: it breaks a capture
    check(sr_graph_begin(c) == SR_OK, "graph_begin (pattern check)");
    sr_status st = sr_sparse_gemm_compress(c, plan, dw.p, 1);
    sr_graph* bad = nullptr;
    sr_status end = sr_graph_end(c, &bad);
    check(st != SR_OK || end != SR_OK, "compress with check_pattern = 1 was captured (it synchronizes)");
    sr_graph_destroy(bad);

    // algorithm search: same result bit for bit, a readable choice
    char line[256];
    check(sr_sparse_gemm_last_search(c, line, sizeof line) == SR_OK && std::string(line) == "none",
          std::string("last_search before any search: ") + line);
    check(sr_sparse_gemm_set_search(c, 2) == SR_OK, std::string("set_search: ") + sr_context_last_error(c));
    sr_sparse_gemm* tuned = nullptr;
    check(sr_sparse_gemm_create(c, SR_BF16, m, n, k, SR_SPARSE_GEMM_FORWARD, &tuned) == SR_OK,
          std::string("create with search: ") + sr_context_last_error(c));
    check(sr_sparse_gemm_set_search(c, 0) == SR_OK, "set_search 0");
    if (tuned != nullptr) {
        check(sr_sparse_gemm_compress(c, tuned, dw.p, 1) == SR_OK &&
                  sr_sparse_gemm_run(c, tuned, dx.p, y3.p, 1.0f, 0.0f) == SR_OK,
              std::string("searched plan run: ") + sr_context_last_error(c));
        check(y1.get() == y3.get(), "searched plan differs from the default plan (exact data)");
        check(sr_sparse_gemm_last_search(c, line, sizeof line) == SR_OK && has(line, "alg="),
              std::string("last_search after a search: ") + line);
        std::printf("search: %s\n", line);
    }
    sr_sparse_gemm_destroy(tuned);
    sr_sparse_gemm_destroy(plan);
}

}  // namespace

int main() {
    sr_context* h = nullptr;
    if (sr_context_create(SR_DEVICE_HOST, 0, &h) != SR_OK) {
        std::printf("FAIL: host context: %s\n", sr_thread_last_error());
        return 1;
    }
    test_bf16_host(h);
    test_checks_host(h);
    sr_context* c = nullptr;
    if (sr_context_create(SR_DEVICE_CUDA, 0, &c) != SR_OK) {
        std::printf("skipped: CUDA part (bf16 activations CUDA vs host, graph capture vs uncaptured, captured sparse "
                    "GEMM, algorithm search): %s\n", sr_thread_last_error());
    } else {
        test_graph_cuda(c, h);
        test_sparse_cuda(c);
        sr_context_destroy(c);
    }
    sr_context_destroy(h);
    std::printf("test_step_ext: %d passed, %d failed\n", g_passed, g_failed);
    return g_failed == 0 ? 0 : 1;
}
