// test_sparse_gemm.cpp — 2:4 sparse GEMM plans through the public C API only.
// Everywhere: the argument checks (SR_F32 refused with the 1:2 explanation, bad dims/op/dtype named,
// NULLs), and the HOST REFERENCE (host/sparse_gemm.cpp, same contract) on several shapes, both ops,
// beta 0 and 1, compared BIT FOR BIT with sr_gemm_f32 on the decompressed weights — inputs are small
// integers in [-2, 2], so float32 sums are exact and both sides round once to bf16 — plus the pattern
// refusals (SR_ERR_PATTERN naming the group). On a CUDA device with compute capability >= 8.0 the same
// comparisons run on cuSPARSELt, and cuSPARSELt is compared with the host reference directly (bitwise
// on integers; real-valued data within a bf16 tolerance, since the summation orders differ).
// Without a GPU it prints "skipped: <reason>" for the CUDA part and exits 0.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>
#include "sparseretrain.h"

namespace {

int g_passed = 0, g_failed = 0;
sr_context* g_host = nullptr;

void check(bool ok, const std::string& what) {
    ok ? ++g_passed : ++g_failed;
    if (!ok) std::printf("FAIL: %s\n", what.c_str());
}
bool has(const std::string& text, const char* part) { return text.find(part) != std::string::npos; }

// create must fail with `want` and a message on ctx containing every part.
void expect_create_fails(sr_context* ctx, int32_t dtype, int64_t m, int64_t n, int64_t k, int32_t op, sr_status want,
                         std::vector<const char*> parts) {
    static char sentinel;  // a non-NULL *out that create must reset to NULL
    sr_sparse_gemm* plan = reinterpret_cast<sr_sparse_gemm*>(&sentinel);
    sr_status st = sr_sparse_gemm_create(ctx, dtype, m, n, k, op, &plan);
    std::string msg = sr_context_last_error(ctx);
    char tag[160];
    std::snprintf(tag, sizeof tag, "create(dtype %d, m %lld, n %lld, k %lld, op %d)", dtype, (long long)m,
                  (long long)n, (long long)k, op);
    check(st == want, std::string(tag) + ": status " + sr_status_name(st) + ", want " + sr_status_name(want) +
                          " (" + msg + ")");
    check(plan == nullptr, std::string(tag) + ": *out not reset to NULL");
    check(has(msg, "sr_sparse_gemm_create"), std::string(tag) + ": message does not name the call: " + msg);
    for (const char* p : parts) check(has(msg, p), std::string(tag) + ": message lacks '" + p + "': " + msg);
    // supported() agrees and gives the same reason
    char reason[512];
    int32_t ok = sr_sparse_gemm_supported(ctx, dtype, m, n, k, op, reason, sizeof reason);
    check(ok == 0, std::string(tag) + ": supported() says 1");
    for (const char* p : parts)
        check(has(reason, p), std::string(tag) + ": supported() reason lacks '" + p + "': " + reason);
}

void test_checks_without_gpu() {
    const int32_t F = SR_SPARSE_GEMM_FORWARD, G = SR_SPARSE_GEMM_INPUT_GRAD;
    // host context: a valid shape is accepted (the host reference), an invalid one refused with the same reasons
    char why[256];
    check(sr_sparse_gemm_supported(g_host, SR_BF16, 32, 64, 128, F, why, sizeof why) == 1 && why[0] == '\0',
          std::string("host supported(valid forward): ") + why);
    check(sr_sparse_gemm_supported(g_host, SR_BF16, 32, 64, 128, G, why, sizeof why) == 1,
          std::string("host supported(valid input grad): ") + why);
    // dtype: F32 explained (1:2, not 2:4); anything else named
    expect_create_fails(g_host, SR_F32, 32, 64, 128, F, SR_ERR_DTYPE, {"SR_F32", "1:2", "2:4", "SR_BF16"});
    expect_create_fails(g_host, SR_U8, 32, 64, 128, F, SR_ERR_DTYPE, {"dtype 2", "SR_BF16"});
    expect_create_fails(g_host, 99, 32, 64, 128, F, SR_ERR_DTYPE, {"dtype 99"});
    // op
    expect_create_fails(g_host, SR_BF16, 32, 64, 128, 2, SR_ERR_INVALID_ARGUMENT, {"op = 2"});
    expect_create_fails(g_host, SR_BF16, 32, 64, 128, -1, SR_ERR_INVALID_ARGUMENT, {"op = -1"});
    // dims: multiples (m of 8, n and k of 16), too small, too large
    expect_create_fails(g_host, SR_BF16, 12, 64, 128, F, SR_ERR_SHAPE, {"m = 12", "multiple of 8", "pad it to 16"});
    expect_create_fails(g_host, SR_BF16, 32, 24, 128, F, SR_ERR_SHAPE, {"n = 24", "multiple of 16", "pad it to 32"});
    expect_create_fails(g_host, SR_BF16, 32, 64, 120, G, SR_ERR_SHAPE, {"k = 120", "multiple of 16"});
    expect_create_fails(g_host, SR_BF16, 32, 64, 8, F, SR_ERR_SHAPE, {"k = 8", "multiple of 16"});
    expect_create_fails(g_host, SR_BF16, 0, 64, 128, F, SR_ERR_SHAPE, {"m = 0", "too small"});
    expect_create_fails(g_host, SR_BF16, 32, -16, 128, F, SR_ERR_SHAPE, {"n = -16", "too small"});
    expect_create_fails(g_host, SR_BF16, 32, 64, 0, G, SR_ERR_SHAPE, {"k = 0", "too small"});
    expect_create_fails(g_host, SR_BF16, 1LL << 20, 64, 1LL << 12, F, SR_ERR_SHAPE, {"2^31"});
    expect_create_fails(g_host, SR_BF16, 1LL << 40, 1LL << 40, 1LL << 40, G, SR_ERR_SHAPE, {"2^31"});
    // a side of the output above cuSPARSELt's 2097120 (m, or the output width: n forward, k input grad)
    expect_create_fails(g_host, SR_BF16, 2097136, 16, 16, F, SR_ERR_SHAPE, {"m = 2097136", "2097120"});
    expect_create_fails(g_host, SR_BF16, 8, 16, 2097152, G, SR_ERR_SHAPE, {"k = 2097152", "2097120"});
    check(sr_sparse_gemm_supported(g_host, SR_BF16, 8, 16, 2097152, F, why, sizeof why) == 1,
          std::string("host supported(forward, k = 2097152: the reduction, not a side of the output): ") + why);
    check(sr_sparse_gemm_supported(g_host, SR_BF16, 2097120, 16, 16, F, why, sizeof why) == 1,
          std::string("host supported(m = 2097120, the limit itself): ") + why);
    // the dtype is reported before the shape (a caller fixes the dtype first)
    expect_create_fails(g_host, SR_F32, 12, 24, 120, F, SR_ERR_DTYPE, {"1:2"});

    // NULLs
    sr_sparse_gemm* plan = nullptr;
    check(sr_sparse_gemm_create(nullptr, SR_BF16, 32, 64, 128, F, &plan) == SR_ERR_INVALID_ARGUMENT,
          "create(NULL ctx) is not SR_ERR_INVALID_ARGUMENT");
    check(has(sr_thread_last_error(), "context is NULL"), std::string("create(NULL ctx): ") + sr_thread_last_error());
    check(sr_sparse_gemm_create(g_host, SR_BF16, 32, 64, 128, F, nullptr) == SR_ERR_INVALID_ARGUMENT,
          "create(out NULL) is not SR_ERR_INVALID_ARGUMENT");
    check(has(sr_context_last_error(g_host), "'out'"), std::string("create(out NULL): ") + sr_context_last_error(g_host));
    char reason[256];
    check(sr_sparse_gemm_supported(nullptr, SR_BF16, 32, 64, 128, F, reason, sizeof reason) == 0 &&
              has(reason, "NULL"), std::string("supported(NULL ctx): ") + reason);
    check(sr_sparse_gemm_supported(g_host, SR_BF16, 12, 64, 128, F, nullptr, 0) == 0, "supported(reason NULL)");
    float dummy[8] = {0};
    check(sr_sparse_gemm_compress(g_host, nullptr, dummy, 0) == SR_ERR_INVALID_ARGUMENT &&
              has(sr_context_last_error(g_host), "'plan'"), std::string("compress(NULL plan): ") + sr_context_last_error(g_host));
    check(sr_sparse_gemm_run(g_host, nullptr, dummy, dummy, 1.f, 0.f) == SR_ERR_INVALID_ARGUMENT,
          "run(NULL plan) is not SR_ERR_INVALID_ARGUMENT");
    sr_sparse_gemm_destroy(nullptr);  // no-op
}

// ------------------------------------------------------------------ GPU part

std::vector<float> small_ints(std::mt19937& r, size_t n) {
    std::uniform_int_distribution<int> d(-2, 2);
    std::vector<float> v(n);
    for (float& x : v) x = (float)d(r);
    return v;
}

float sr_bits(uint16_t h) {
    uint32_t u = (uint32_t)h << 16;
    float f;
    std::memcpy(&f, &u, 4);
    return f;
}

std::vector<uint16_t> to_bf16(const std::vector<float>& f) {
    std::vector<uint16_t> h(f.size());
    sr_cast(g_host, SR_F32, f.data(), SR_BF16, h.data(), (int64_t)f.size());
    return h;
}

struct Device {
    sr_context* ctx;
    const char* name;
    std::vector<void*> owned;
    void release() {
        for (void* p : owned) sr_free(ctx, p);
        owned.clear();
    }
    void* upload(const std::vector<uint16_t>& h) {
        void* d = nullptr;
        if (sr_malloc(ctx, h.size() * 2, &d) != SR_OK) return nullptr;
        owned.push_back(d);
        sr_memcpy(ctx, d, h.data(), h.size() * 2, SR_COPY_HOST_TO_DEVICE);
        return d;
    }
    std::vector<uint16_t> download(const void* d, size_t n) {
        std::vector<uint16_t> h(n);
        sr_memcpy(ctx, h.data(), d, n * 2, SR_COPY_DEVICE_TO_HOST);
        return h;
    }
    ~Device() { release(); }
};

// Bitwise comparison of bf16 results; refuses an all-zero reference.
void compare(const std::vector<uint16_t>& got, const std::vector<float>& ref_f32, const std::string& tag) {
    bool nonzero = false;
    for (float v : ref_f32) nonzero |= v != 0.f;
    check(nonzero, tag + ": reference is all zeros (the comparison would prove nothing)");
    std::vector<uint16_t> want = to_bf16(ref_f32);
    size_t bad = 0, first = 0;
    for (size_t i = 0; i < got.size(); ++i)
        if (got[i] != want[i] && bad++ == 0) first = i;
    char buf[200];
    std::snprintf(buf, sizeof buf, "%s: %zu of %zu differ (first at %zu: got bits 0x%04x, want 0x%04x = %g)",
                  tag.c_str(), bad, got.size(), first, bad ? got[first] : 0, bad ? want[first] : 0,
                  bad ? ref_f32[first] : 0.0);
    check(bad == 0, buf);
}

// Transposable 2:4 W [n, k] (2:4 along k AND along n), as decompress(compress(W, mask)) on the host.
std::vector<float> transposable_weight(std::mt19937& r, int64_t n, int64_t k) {
    std::vector<float> w = small_ints(r, (size_t)(n * k));
    for (float& x : w) if (x == 0.f) x = 1.f;  // every kept entry nonzero
    std::vector<uint8_t> mask(w.size(), 1);
    sr_mask_transposable_24(g_host, SR_F32, w.data(), mask.data(), n, k, 1);
    std::vector<float> values((size_t)(n * k / 2)), dense(w.size());
    std::vector<uint8_t> meta((size_t)(n * k / 4));
    sr_compress_24(g_host, SR_F32, w.data(), mask.data(), n, k, 1, values.data(), meta.data());
    sr_decompress_24(g_host, SR_F32, values.data(), meta.data(), n, k, 1, dense.data());
    return dense;
}

// One plan: create, compress (pattern checked), run with alpha/beta on y0; y0 == NaN bits tests that
// beta = 0 never reads y (checked on the host reference; cuSPARSELt's behaviour there waits for a GPU).
std::vector<uint16_t> run_plan(Device& dev, const std::string& tag, int32_t op, int64_t m, int64_t n, int64_t k,
                               void* dw, const std::vector<float>& x, const std::vector<uint16_t>& y0, float alpha,
                               float beta, bool* ok) {
    *ok = false;
    sr_sparse_gemm* plan = nullptr;
    sr_status st = sr_sparse_gemm_create(dev.ctx, SR_BF16, m, n, k, op, &plan);
    check(st == SR_OK, tag + " create: " + sr_context_last_error(dev.ctx));
    if (st != SR_OK) return {};
    void* dx = dev.upload(to_bf16(x));
    void* dy = dev.upload(y0);
    check(sr_sparse_gemm_run(dev.ctx, plan, dx, dy, 1.f, 0.f) == SR_ERR_INVALID_ARGUMENT &&
              has(sr_context_last_error(dev.ctx), "compress first"), tag + " run before compress is not refused");
    check(sr_sparse_gemm_compress(dev.ctx, plan, dw, 1) == SR_OK, tag + " compress: " + sr_context_last_error(dev.ctx));
    st = sr_sparse_gemm_run(dev.ctx, plan, dx, dy, alpha, beta);
    check(st == SR_OK, tag + " run: " + sr_context_last_error(dev.ctx));
    check(sr_sparse_gemm_run(dev.ctx, plan, static_cast<char*>(dx) + 2, dy, 1.f, 0.f) == SR_ERR_INVALID_ARGUMENT &&
              has(sr_context_last_error(dev.ctx), "16-byte"), tag + " misaligned x not refused");
    sr_sparse_gemm_destroy(plan);
    *ok = st == SR_OK;
    return dev.download(dy, y0.size());
}

// Both ops, beta 0 and 1, each compared bitwise with sr_gemm_f32 (host) on the decompressed W.
void test_shape(Device& dev, std::mt19937& r, int64_t m, int64_t n, int64_t k, bool nan_prefill) {
    char tag[96];
    std::snprintf(tag, sizeof tag, "%s [m=%lld n=%lld k=%lld]", dev.name, (long long)m, (long long)n, (long long)k);
    std::vector<float> w = transposable_weight(r, n, k);
    void* dw = dev.upload(to_bf16(w));
    for (int32_t op : {SR_SPARSE_GEMM_FORWARD, SR_SPARSE_GEMM_INPUT_GRAD}) {
        const bool fwd = op == SR_SPARSE_GEMM_FORWARD;
        const int64_t in_cols = fwd ? k : n, out_cols = fwd ? n : k;
        for (float beta : {0.f, 1.f}) {
            const float alpha = beta == 0.f ? 1.f : 2.f;
            std::vector<float> x = small_ints(r, (size_t)(m * in_cols));
            std::vector<float> ref = beta == 0.f ? std::vector<float>((size_t)(m * out_cols), 0.f)
                                                 : small_ints(r, (size_t)(m * out_cols));
            std::vector<uint16_t> y0 = beta == 0.f && nan_prefill ? std::vector<uint16_t>(ref.size(), 0x7fc0)
                                                                  : to_bf16(ref);
            // forward: Y = alpha X W^T + beta Y;  input grad: dX = alpha dY W + beta dX
            sr_gemm_f32(g_host, 0, fwd ? 1 : 0, m, out_cols, in_cols, alpha, x.data(), w.data(), beta, ref.data());
            std::string t = std::string(tag) + (fwd ? " forward" : " input grad") + (beta == 0.f ? " beta 0" : " beta 1");
            bool ok = false;
            std::vector<uint16_t> got = run_plan(dev, t, op, m, n, k, dw, x, y0, alpha, beta, &ok);
            if (ok) compare(got, ref, t);
        }
    }
}

// Pattern refusals, each naming the direction: forward needs 2:4 along k, input grad along n.
void test_pattern_check(Device& dev) {
    const int64_t m = 16, n = 32, k = 32;
    // kept columns 0,1 of every group of 4 in every row: 2:4 along k, 4 of 4 along n
    std::vector<float> w((size_t)(n * k));
    for (int64_t i = 0; i < n * k; ++i) w[(size_t)i] = (i % k) % 4 < 2 ? 1.f : 0.f;
    void* dw = dev.upload(to_bf16(w));
    // rows 0,1 of every group of 4 rows fully kept: 2:4 along n, 4 of 4 along k
    std::vector<float> wt((size_t)(n * k));
    for (int64_t i = 0; i < n * k; ++i) wt[(size_t)i] = (i / k) % 4 < 2 ? 1.f : 0.f;
    void* dwt = dev.upload(to_bf16(wt));
    const std::string name = dev.name;
    sr_sparse_gemm *fwd = nullptr, *bwd = nullptr;
    if (sr_sparse_gemm_create(dev.ctx, SR_BF16, m, n, k, SR_SPARSE_GEMM_FORWARD, &fwd) == SR_OK) {
        check(sr_sparse_gemm_compress(dev.ctx, fwd, dw, 1) == SR_OK,
              name + " pattern: forward refuses a W that is 2:4 along k: " + sr_context_last_error(dev.ctx));
        sr_status st = sr_sparse_gemm_compress(dev.ctx, fwd, dwt, 1);
        check(st == SR_ERR_PATTERN && has(sr_context_last_error(dev.ctx), "not 2:4 along k"),
              name + " pattern: forward accepts a W that is not 2:4 along k: " + sr_status_name(st) + " " +
                  sr_context_last_error(dev.ctx));
    }
    if (sr_sparse_gemm_create(dev.ctx, SR_BF16, m, n, k, SR_SPARSE_GEMM_INPUT_GRAD, &bwd) == SR_OK) {
        sr_status st = sr_sparse_gemm_compress(dev.ctx, bwd, dw, 1);
        check(st == SR_ERR_PATTERN && has(sr_context_last_error(dev.ctx), "transposable"),
              name + " pattern: input grad accepts a W that is not 2:4 along n: " + sr_status_name(st) + " " +
                  sr_context_last_error(dev.ctx));
        check(sr_sparse_gemm_compress(dev.ctx, bwd, dwt, 1) == SR_OK,
              name + " pattern: input grad refuses a W that is 2:4 along n: " + sr_context_last_error(dev.ctx));
        // a refused compress keeps the plan without weights: run still says "compress first"
        void* dx = dev.upload(std::vector<uint16_t>((size_t)(m * n), 0));
        void* dy = dev.upload(std::vector<uint16_t>((size_t)(m * k), 0));
        sr_sparse_gemm* fresh = nullptr;
        if (sr_sparse_gemm_create(dev.ctx, SR_BF16, m, n, k, SR_SPARSE_GEMM_INPUT_GRAD, &fresh) == SR_OK) {
            sr_sparse_gemm_compress(dev.ctx, fresh, dw, 1);
            check(sr_sparse_gemm_run(dev.ctx, fresh, dx, dy, 1.f, 0.f) == SR_ERR_INVALID_ARGUMENT,
                  name + " pattern: run after a refused compress is not refused");
        }
        sr_sparse_gemm_destroy(fresh);
    }
    sr_sparse_gemm_destroy(fwd);
    sr_sparse_gemm_destroy(bwd);
}

const int64_t kShapes[][3] = {{8, 16, 16}, {32, 32, 64}, {24, 48, 80}, {64, 128, 96}, {256, 512, 1024}};

void test_context(Device& dev, bool nan_prefill) {
    std::mt19937 r(20261123);
    for (const auto& s : kShapes) test_shape(dev, r, s[0], s[1], s[2], nan_prefill);
    test_pattern_check(dev);
}

// cuSPARSELt against the host reference on real-valued bf16 data: the summation orders differ, so
// |cuda - host| <= 2^-8 max(|cuda|, |host|) (one bf16 rounding on each side) + 2 k 2^-24 sum|x||w|
// (fp32 accumulation on each side).
void test_cuda_vs_host(Device& cuda, Device& host) {
    std::mt19937 r(7);
    std::uniform_real_distribution<float> u(-1.f, 1.f);
    for (const auto& s : kShapes) {
        const int64_t m = s[0], n = s[1], k = s[2];
        std::vector<float> w = transposable_weight(r, n, k);
        for (float& v : w) v *= u(r);
        std::vector<uint16_t> wb = to_bf16(w);
        for (int32_t op : {SR_SPARSE_GEMM_FORWARD, SR_SPARSE_GEMM_INPUT_GRAD}) {
            const bool fwd = op == SR_SPARSE_GEMM_FORWARD;
            const int64_t in_cols = fwd ? k : n, out_cols = fwd ? n : k;
            std::vector<float> x((size_t)(m * in_cols));
            for (float& v : x) v = u(r);
            std::vector<uint16_t> y0((size_t)(m * out_cols), 0);
            char tag[96];
            std::snprintf(tag, sizeof tag, "cuda vs host [m=%lld n=%lld k=%lld] %s", (long long)m, (long long)n,
                          (long long)k, fwd ? "forward" : "input grad");
            bool ok_c = false, ok_h = false;
            std::vector<uint16_t> got_c = run_plan(cuda, tag, op, m, n, k, cuda.upload(wb), x, y0, 1.f, 0.f, &ok_c);
            std::vector<uint16_t> got_h = run_plan(host, tag, op, m, n, k, host.upload(wb), x, y0, 1.f, 0.f, &ok_h);
            if (!ok_c || !ok_h) continue;
            std::vector<float> ax(x.size()), aw(w.size()), bound(y0.size(), 0.f);
            for (size_t i = 0; i < x.size(); ++i) ax[i] = std::fabs(x[i]);
            for (size_t i = 0; i < w.size(); ++i) aw[i] = std::fabs(w[i]);
            sr_gemm_f32(g_host, 0, fwd ? 1 : 0, m, out_cols, in_cols, 1.f, ax.data(), aw.data(), 0.f, bound.data());
            size_t bad = 0, worst = 0;
            double worst_excess = 0;
            for (size_t i = 0; i < got_c.size(); ++i) {
                float c = sr_bits(got_c[i]), h = sr_bits(got_h[i]);
                double tol = std::ldexp(std::fmax(std::fabs(c), std::fabs(h)), -8) +
                             2.0 * (double)in_cols * std::ldexp((double)bound[i], -24);
                double excess = std::fabs((double)c - (double)h) - tol;
                if (!(excess <= 0) && bad++ == 0) worst = i;
                if (excess > worst_excess) worst_excess = excess;
            }
            char buf[200];
            std::snprintf(buf, sizeof buf, "%s: %zu of %zu outside the bf16 tolerance (first at %zu: cuda %g, host %g)",
                          tag, bad, got_c.size(), worst, bad ? sr_bits(got_c[worst]) : 0.0,
                          bad ? sr_bits(got_h[worst]) : 0.0);
            check(bad == 0, buf);
        }
    }
}

}  // namespace

int main() {
    if (sr_context_create(SR_DEVICE_HOST, 0, &g_host) != SR_OK) {
        std::printf("FAIL host context: %s\n0 passed, 1 failed\n", sr_thread_last_error());
        return 1;
    }
    test_checks_without_gpu();
    Device host{g_host, "host", {}};
    test_context(host, true);
    sr_context* cuda = nullptr;
    char reason[512] = "";
    if (sr_context_create(SR_DEVICE_CUDA, 0, &cuda) != SR_OK) {
        std::printf("skipped: cuSPARSELt comparisons: %s\n", sr_thread_last_error());
    } else if (!sr_sparse_gemm_supported(cuda, SR_BF16, 32, 64, 128, SR_SPARSE_GEMM_FORWARD, reason, sizeof reason)) {
        std::printf("skipped: cuSPARSELt comparisons: %s\n", reason);
    } else {
        char why[512];
        check(sr_sparse_gemm_supported(cuda, SR_BF16, 12, 64, 128, 0, why, sizeof why) == 0 && has(why, "m = 12"),
              std::string("CUDA supported(m = 12): ") + why);
        check(sr_sparse_gemm_supported(cuda, SR_F32, 32, 64, 128, 0, why, sizeof why) == 0 && has(why, "1:2"),
              std::string("CUDA supported(F32): ") + why);
        // our limit on a side of the output (2097120, read from the 0.8.1 binary): cuSPARSELt takes it
        sr_sparse_gemm* edge = nullptr;
        check(sr_sparse_gemm_create(cuda, SR_BF16, 2097120, 16, 16, SR_SPARSE_GEMM_FORWARD, &edge) == SR_OK,
              std::string("CUDA create(m = 2097120, the largest side of C we accept): ") + sr_context_last_error(cuda));
        sr_sparse_gemm_destroy(edge);
        {
            Device dev{cuda, "cuda", {}};
            test_context(dev, false);
            test_cuda_vs_host(dev, host);
        }
        check(sr_context_synchronize(cuda) == SR_OK, std::string("final synchronize: ") + sr_context_last_error(cuda));
    }
    sr_context_destroy(cuda);
    host.release();
    sr_context_destroy(g_host);
    std::printf("%d passed, %d failed\n", g_passed, g_failed);
    return g_failed == 0 ? 0 : 1;
}
