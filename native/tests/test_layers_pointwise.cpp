// test_layers_pointwise.cpp — bias add / gradient, ReLU / GELU, softmax cross-entropy, dropout,
// axpby and sum of squares through the public C API on a host context: hand-computed cases, then
// seeded random inputs against double-precision references written here (analytic derivatives and
// central differences of the float forward), then error cases that must leave outputs untouched.
// Prints "N passed, M failed"; exit 1 on failure.
#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>
#include "common/bf16.h"
#include "sparseretrain.h"

namespace {

int g_passed = 0, g_failed = 0;

void check(bool ok, const char* what, const char* fmt = "", ...) {
    ok ? ++g_passed : ++g_failed;
    if (ok) return;
    std::printf("FAIL: %s ", what);
    va_list args;
    va_start(args, fmt);
    std::vprintf(fmt, args);
    va_end(args);
    std::printf("\n");
}

#define CHECK_OK(ctx, call) check((call) == SR_OK, #call, "%s", sr_context_last_error(ctx))

using Floats = std::vector<float>;
using Doubles = std::vector<double>;

// Compares got with want elementwise, |got - want| <= atol + rtol * |want|; names the first miss.
void check_close(const char* what, const float* got, const double* want, size_t n, double rtol, double atol) {
    for (size_t i = 0; i < n; ++i) {
        double err = std::fabs((double)got[i] - want[i]);
        if (!(err <= atol + rtol * std::fabs(want[i]))) {
            check(false, what, "at %zu: got %.9g, want %.9g (|diff| %.3g)", i, got[i], want[i], err);
            return;
        }
    }
    check(true, what);
}
void check_close(const char* what, const Floats& got, const Doubles& want, double rtol, double atol) {
    check(got.size() == want.size(), what, "size %zu vs %zu", got.size(), want.size());
    check_close(what, got.data(), want.data(), std::min(got.size(), want.size()), rtol, atol);
}

Floats random_floats(std::mt19937& rng, size_t n, float lo, float hi) {
    std::uniform_real_distribution<float> u(lo, hi);
    Floats v(n);
    for (float& x : v) x = u(rng);
    return v;
}

bool message_has(sr_context* ctx, const char* text) {
    return std::strstr(sr_context_last_error(ctx), text) != nullptr;
}

// Double references.
double gelu_ref(double x) { return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0))); }
double gelu_grad_ref(double x) {
    return 0.5 * (1.0 + std::erf(x / std::sqrt(2.0))) + x * std::exp(-0.5 * x * x) / std::sqrt(2.0 * M_PI);
}
// Softmax cross-entropy of logits [rows, classes] in double: loss sum and dlogits * scale.
double xent_ref(const Floats& z, const std::vector<int32_t>& labels, int64_t rows, int64_t classes, double scale,
                Doubles* grad) {
    double loss = 0.0;
    grad->assign(z.size(), 0.0);
    for (int64_t r = 0; r < rows; ++r) {
        double m = -INFINITY, s = 0.0;
        for (int64_t j = 0; j < classes; ++j) m = std::max(m, (double)z[r * classes + j]);
        for (int64_t j = 0; j < classes; ++j) s += std::exp(z[r * classes + j] - m);
        loss += std::log(s) + m - z[r * classes + labels[r]];
        for (int64_t j = 0; j < classes; ++j)
            (*grad)[r * classes + j] = (std::exp(z[r * classes + j] - m) / s - (j == labels[r])) * scale;
    }
    return loss;
}

void test_bias(sr_context* ctx, std::mt19937& rng) {
    Floats y = {1, 2, 3, 4, 5, 6}, b = {10, 20, 30};  // y [2, 3]
    CHECK_OK(ctx, sr_bias_add(ctx, y.data(), b.data(), 2, 3));
    check_close("bias_add 2x3", y, {11, 22, 33, 14, 25, 36}, 0, 0);

    Floats dy = {1, 2, 3, 4, 5, 6}, db = {NAN, NAN, NAN};  // beta 0 must not read db
    CHECK_OK(ctx, sr_bias_grad(ctx, dy.data(), db.data(), 2, 3, 0.0f));
    check_close("bias_grad beta 0", db, {5, 7, 9}, 0, 0);
    CHECK_OK(ctx, sr_bias_grad(ctx, dy.data(), db.data(), 2, 3, 0.5f));
    check_close("bias_grad beta 0.5", db, {7.5, 10.5, 13.5}, 0, 0);
    CHECK_OK(ctx, sr_bias_grad(ctx, nullptr, db.data(), 0, 3, 2.0f));
    check_close("bias_grad rows 0 scales db", db, {15, 21, 27}, 0, 0);

    const int64_t rows = 1031, cols = 37;  // sums of 1031 floats: double reference, float output
    Floats g = random_floats(rng, rows * cols, -1, 1), d0 = random_floats(rng, cols, -1, 1), d = d0;
    Doubles want(cols);
    for (int64_t c = 0; c < cols; ++c) {
        double s = 0.0;
        for (int64_t r = 0; r < rows; ++r) s += g[r * cols + c];
        want[c] = 0.25 * d0[c] + s;
    }
    CHECK_OK(ctx, sr_bias_grad(ctx, g.data(), d.data(), rows, cols, 0.25f));
    check_close("bias_grad random 1031x37", d, want, 1e-6, 1e-6);
}

void test_activations(sr_context* ctx, std::mt19937& rng) {
    Floats x = {-2.0f, -0.5f, 0.0f, 0.5f, 3.0f}, y(5), dy = {1, 2, 3, 4, 5}, dx(5);
    CHECK_OK(ctx, sr_activation_fwd(ctx, SR_ACT_RELU, x.data(), y.data(), 5));
    check_close("relu fwd", y, {0, 0, 0, 0.5, 3}, 0, 0);
    CHECK_OK(ctx, sr_activation_bwd(ctx, SR_ACT_RELU, x.data(), dy.data(), dx.data(), 5));
    check_close("relu bwd (x = 0 gives 0)", dx, {0, 0, 0, 4, 5}, 0, 0);

    Floats pts = {-6.0f, -3.0f, -1.0f, -0.25f, 0.0f, 0.1f, 1.0f, 2.5f, 8.0f};
    Doubles want(pts.size()), want_grad(pts.size());
    for (size_t i = 0; i < pts.size(); ++i) want[i] = gelu_ref(pts[i]), want_grad[i] = gelu_grad_ref(pts[i]);
    check(std::fabs(want[6] - 0.8413447460685429) < 1e-15, "gelu(1) reference is Phi(1)");
    Floats g = pts;  // in place: y aliases x
    CHECK_OK(ctx, sr_activation_fwd(ctx, SR_ACT_GELU, g.data(), g.data(), (int64_t)g.size()));
    check_close("gelu fwd at points (in place)", g, want, 2e-6, 1e-7);
    Floats ones(pts.size(), 1.0f), gd(pts.size());
    CHECK_OK(ctx, sr_activation_bwd(ctx, SR_ACT_GELU, pts.data(), ones.data(), gd.data(), (int64_t)pts.size()));
    check_close("gelu bwd at points vs analytic double", gd, want_grad, 2e-6, 1e-7);

    // Random x, dy: analytic double derivative, then central differences of the float forward
    // (h = 1e-2: truncation ~h^2 |f'''| < 1e-4, rounding ~1e-7/h = 1e-5).
    const size_t n = 2000;
    Floats xr = random_floats(rng, n, -4, 4), dyr = random_floats(rng, n, -1, 1), dxr(n);
    for (int act : {SR_ACT_RELU, SR_ACT_GELU}) {
        Doubles ref(n), fd(n);
        for (size_t i = 0; i < n; ++i)
            ref[i] = dyr[i] * (act == SR_ACT_GELU ? gelu_grad_ref(xr[i]) : (xr[i] > 0 ? 1.0 : 0.0));
        CHECK_OK(ctx, sr_activation_bwd(ctx, act, xr.data(), dyr.data(), dxr.data(), (int64_t)n));
        check_close(act == SR_ACT_GELU ? "gelu bwd random vs analytic" : "relu bwd random", dxr, ref, 1e-5, 1e-6);
        const float h = 1e-2f;
        Floats xp(n), xm(n), yp(n), ym(n);
        for (size_t i = 0; i < n; ++i) xp[i] = xr[i] + h, xm[i] = xr[i] - h;
        CHECK_OK(ctx, sr_activation_fwd(ctx, act, xp.data(), yp.data(), (int64_t)n));
        CHECK_OK(ctx, sr_activation_fwd(ctx, act, xm.data(), ym.data(), (int64_t)n));
        for (size_t i = 0; i < n; ++i) {
            fd[i] = dyr[i] * ((double)yp[i] - ym[i]) / ((double)xp[i] - xm[i]);
            if (act == SR_ACT_RELU && std::fabs(xr[i]) <= h) fd[i] = dxr[i];  // the kink
        }
        check_close(act == SR_ACT_GELU ? "gelu bwd vs central differences" : "relu bwd vs central differences",
                    dxr, fd, 2e-3, 2e-4);
    }
}

void test_softmax_hand(sr_context* ctx) {
    // Row 0 [1, 2, 3] label 2: loss log(1 + e^-1 + e^-2) = 0.407605964444, correct.
    // Row 1 [1, 1, 0] label 1: loss log(2e + 1) - 1 = 0.861994804058; the first maximum is class 0,
    // so not correct. dlogits = (softmax - onehot) * 0.5.
    Floats z = {1, 2, 3, 1, 1, 0}, dz(6);
    std::vector<int32_t> labels = {2, 1};
    double loss = -1;
    int64_t correct = -1;
    CHECK_OK(ctx, sr_softmax_xent(ctx, z.data(), labels.data(), 2, 3, 0.5f, dz.data(), &loss, &correct));
    check(std::fabs(loss - (0.40760596444438013 + 0.861994804058251)) < 1e-6, "softmax_xent 2x3 loss",
          "got %.12g", loss);
    check(correct == 1, "softmax_xent 2x3 correct (tie goes to the first maximum)", "got %lld", (long long)correct);
    check_close("softmax_xent 2x3 dlogits", dz,
                {0.04501528658519023, 0.12236423552739883, -0.16737952211258905, 0.2111593991257591,
                 -0.2888406008742409, 0.07768120174848181},
                1e-6, 1e-7);
    CHECK_OK(ctx, sr_softmax_xent(ctx, z.data(), labels.data(), 2, 3, 0.5f, nullptr, &loss, &correct));
    check(std::fabs(loss - 1.2696007685026311) < 1e-6 && correct == 1, "softmax_xent without dlogits");
}

void test_softmax_random(sr_context* ctx, std::mt19937& rng) {
    const int64_t rows = 9, classes = 13;
    Floats z = random_floats(rng, rows * classes, -3, 3), dz(rows * classes);
    std::vector<int32_t> labels(rows);
    for (auto& l : labels) l = (int32_t)(rng() % classes);
    Doubles ref;
    const double ref_loss = xent_ref(z, labels, rows, classes, 1.0 / rows, &ref);
    double loss = 0;
    int64_t correct = 0;
    CHECK_OK(ctx, sr_softmax_xent(ctx, z.data(), labels.data(), rows, classes, 1.0f / rows, dz.data(), &loss,
                                  &correct));
    check(std::fabs(loss - ref_loss) <= 1e-6 * std::fabs(ref_loss), "softmax_xent random loss", "got %.12g want %.12g",
          loss, ref_loss);
    check_close("softmax_xent random dlogits vs analytic double", dz, ref, 1e-5, 1e-7);
    int64_t want_correct = 0;
    for (int64_t r = 0; r < rows; ++r) {
        int64_t arg = 0;
        for (int64_t j = 1; j < classes; ++j) arg = z[r * classes + j] > z[r * classes + arg] ? j : arg;
        want_correct += arg == labels[r];
    }
    check(correct == want_correct, "softmax_xent random correct", "got %lld want %lld", (long long)correct,
          (long long)want_correct);

    // Central differences of the loss sum (grad_scale 1) on every logit of the float forward.
    Floats g(rows * classes);
    CHECK_OK(ctx, sr_softmax_xent(ctx, z.data(), labels.data(), rows, classes, 1.0f, g.data(), &loss, &correct));
    Doubles fd(rows * classes);
    for (size_t i = 0; i < z.size(); ++i) {
        Floats zp = z, zm = z;
        zp[i] += 1e-2f;
        zm[i] -= 1e-2f;
        double lp = 0, lm = 0;
        int64_t c = 0;
        sr_softmax_xent(ctx, zp.data(), labels.data(), rows, classes, 1.0f, nullptr, &lp, &c);
        sr_softmax_xent(ctx, zm.data(), labels.data(), rows, classes, 1.0f, nullptr, &lm, &c);
        fd[i] = (lp - lm) / ((double)zp[i] - zm[i]);
    }
    check_close("softmax_xent dlogits vs central differences", g, fd, 1e-3, 2e-4);

    // Wide rows with a large offset: max subtraction keeps exp finite.
    const int64_t wr = 4, wc = 1000;
    Floats w = random_floats(rng, wr * wc, 80, 100), dw(wr * wc);
    std::vector<int32_t> wl = {0, 999, 500, 7};
    const double wref = xent_ref(w, wl, wr, wc, 1.0, &ref);
    CHECK_OK(ctx, sr_softmax_xent(ctx, w.data(), wl.data(), wr, wc, 1.0f, dw.data(), &loss, &correct));
    check(std::fabs(loss - wref) <= 1e-5 * wref, "softmax_xent 4x1000 logits ~90", "got %.12g want %.12g", loss, wref);
    check_close("softmax_xent 4x1000 dlogits", dw, ref, 1e-4, 1e-8);
}

void test_softmax_errors(sr_context* ctx) {
    const float poison = 12345.0f;
    Floats z = {1, 2, 3, 1, 1, 0, 0, 0, 0}, dz(9, poison);
    std::vector<int32_t> labels = {0, 1, 3};  // row 2: label 3 with 3 classes
    double loss = 0;
    int64_t correct = 0;
    check(sr_softmax_xent(ctx, z.data(), labels.data(), 3, 3, 1.0f, dz.data(), &loss, &correct) == SR_ERR_OUT_OF_RANGE,
          "softmax_xent label 3 of 3 classes is OUT_OF_RANGE");
    check(message_has(ctx, "row 2") && message_has(ctx, "label 3"), "label error names row and label", "'%s'",
          sr_context_last_error(ctx));
    labels[2] = -1;
    check(sr_softmax_xent(ctx, z.data(), labels.data(), 3, 3, 1.0f, dz.data(), &loss, &correct) == SR_ERR_OUT_OF_RANGE,
          "softmax_xent label -1 is OUT_OF_RANGE");
    labels[2] = 0;
    for (float bad : {NAN, INFINITY, -INFINITY}) {
        z[4] = bad;  // row 1
        check(sr_softmax_xent(ctx, z.data(), labels.data(), 3, 3, 1.0f, dz.data(), &loss, &correct) == SR_ERR_NONFINITE,
              "softmax_xent non-finite logit is NONFINITE", "(%g)", bad);
        check(message_has(ctx, "row 1"), "non-finite error names the row", "'%s'", sr_context_last_error(ctx));
    }
    bool untouched = true;
    for (float v : dz) untouched = untouched && v == poison;
    check(untouched, "failed softmax_xent leaves dlogits untouched");
}

void test_dropout(sr_context* ctx, std::mt19937& rng) {
    // Known answer: philox4x32-10(counter 0, key 0) word 0 = 0x6627e8d5 (Random123 KAT), so element 0
    // under seed 0, offset 0 has u = 0x6627e8 / 2^24 = 0.39904...: kept at p = 0.399, dropped at 0.3991.
    float x0 = 2.0f, y0 = 0;
    uint8_t k0 = 7;
    CHECK_OK(ctx, sr_dropout_fwd(ctx, &x0, &y0, &k0, 1, 0.399f, 0, 0));
    check(k0 == 1 && y0 == 2.0f * (1.0f / (1.0f - 0.399f)), "dropout KAT keep", "keep %d y %g", k0, y0);
    CHECK_OK(ctx, sr_dropout_fwd(ctx, &x0, &y0, &k0, 1, 0.3991f, 0, 0));
    check(k0 == 0 && y0 == 0.0f, "dropout KAT drop", "keep %d y %g", k0, y0);

    const int64_t n = 1000000;
    const float p = 0.3f;
    Floats x = random_floats(rng, n, -1, 1), y(n), y2(n);
    std::vector<uint8_t> keep(n), keep2(n), keep3(n);
    CHECK_OK(ctx, sr_dropout_fwd(ctx, x.data(), y.data(), keep.data(), n, p, 42, 1000));
    int64_t kept = 0;
    bool values_ok = true;
    const float scale = 1.0f / (1.0f - p);
    for (int64_t i = 0; i < n; ++i) {
        kept += keep[i];
        values_ok = values_ok && (keep[i] <= 1) && y[i] == (keep[i] ? x[i] * scale : 0.0f);
    }
    const double sigma = std::sqrt(n * p * (1.0 - p));
    check(std::fabs(kept - n * (1.0 - p)) <= 4 * sigma, "dropout keeps 1-p within 4 sigma", "kept %lld of %lld",
          (long long)kept, (long long)n);
    check(values_ok, "dropout y = keep ? x/(1-p) : 0");
    CHECK_OK(ctx, sr_dropout_fwd(ctx, x.data(), y2.data(), keep2.data(), n, p, 42, 1000));
    check(keep == keep2 && y == y2, "dropout: same (seed, offset) gives the same mask");
    CHECK_OK(ctx, sr_dropout_fwd(ctx, x.data(), y2.data(), keep3.data(), n, p, 42, 1000 + n));
    int64_t differ = 0;
    for (int64_t i = 0; i < n; ++i) differ += keep[i] != keep3[i];
    check(std::fabs(differ - n * 2 * p * (1 - p)) <= 4 * std::sqrt(n * 0.42 * 0.58),
          "dropout: the next offset gives an independent mask", "differ %lld", (long long)differ);
    CHECK_OK(ctx, sr_dropout_fwd(ctx, x.data() + 10, y2.data(), keep3.data(), n - 10, p, 42, 1010));
    check(std::memcmp(keep3.data(), keep.data() + 10, n - 10) == 0, "dropout: element i at offset o+10 is i+10 at o");
    CHECK_OK(ctx, sr_dropout_fwd(ctx, x.data(), y2.data(), keep3.data(), n, p, 43, 1000));
    check(keep3 != keep, "dropout: another seed gives another mask");
    CHECK_OK(ctx, sr_dropout_fwd(ctx, x.data(), y2.data(), keep3.data(), 1000, 0.0f, 42, 0));
    check(std::memcmp(y2.data(), x.data(), 1000 * sizeof(float)) == 0, "dropout p = 0 is the identity");

    Floats dy = random_floats(rng, n, -1, 1), dx = dy;  // in place: dx aliases dy
    CHECK_OK(ctx, sr_dropout_bwd(ctx, dx.data(), keep.data(), dx.data(), n, p));
    bool routed = true;
    for (int64_t i = 0; i < n && routed; ++i) routed = dx[i] == (keep[i] ? dy[i] * scale : 0.0f);
    check(routed, "dropout bwd routes only kept entries, scaled by 1/(1-p)");
}

// sr_dropout_fwd_dev: call c of the device counter draws sr_dropout_fwd's mask at offset c << 32 (mod 2^64),
// the counter advances by one per call (n = 0 too) and wraps as a uint32.
void test_dropout_dev(sr_context* ctx, std::mt19937& rng) {
    const int64_t n = 5000;
    const float p = 0.4f;
    Floats x = random_floats(rng, n, -1, 1), y(n), want_y(n);
    std::vector<uint8_t> keep(n), want_keep(n);
    uint32_t calls = 0;
    bool same = true;
    for (uint64_t c = 0; c < 3; ++c) {
        CHECK_OK(ctx, sr_dropout_fwd_dev(ctx, x.data(), y.data(), keep.data(), n, p, 9, &calls));
        CHECK_OK(ctx, sr_dropout_fwd(ctx, x.data(), want_y.data(), want_keep.data(), n, p, 9, c << 32));
        same = same && keep == want_keep && y == want_y;
    }
    check(same && calls == 3, "dropout_dev: calls 0, 1, 2 draw offsets 0, 2^32, 2^33", "calls %u", calls);
    calls = 0xFFFFFFFFu;
    CHECK_OK(ctx, sr_dropout_fwd_dev(ctx, x.data(), y.data(), keep.data(), n, p, 9, &calls));
    CHECK_OK(ctx, sr_dropout_fwd(ctx, x.data(), want_y.data(), want_keep.data(), n, p, 9, 0xFFFFFFFFull << 32));
    check(keep == want_keep && calls == 0, "dropout_dev: the counter wraps as a uint32", "calls %u", calls);
    CHECK_OK(ctx, sr_dropout_fwd_dev(ctx, nullptr, nullptr, nullptr, 0, p, 9, &calls));
    check(calls == 1, "dropout_dev: n = 0 still counts the call", "calls %u", calls);
    // each refusal: SR_ERR_INVALID_ARGUMENT and a message naming the call and the problem
    auto refused = [&](sr_status st, const char* what, const char* part) {
        const std::string msg = sr_context_last_error(ctx);
        check(st == SR_ERR_INVALID_ARGUMENT && msg.find("sr_dropout_fwd_dev") != std::string::npos &&
                  msg.find(part) != std::string::npos,
              what, "status %s, message '%s'", sr_status_name(st), msg.c_str());
    };
    refused(sr_dropout_fwd_dev(ctx, x.data(), y.data(), keep.data(), n, p, 9, nullptr), "dropout_dev: null counter",
            "calls");
    uint32_t raw[2] = {0, 0};
    refused(sr_dropout_fwd_dev(ctx, x.data(), y.data(), keep.data(), n, p, 9,
                               reinterpret_cast<uint32_t*>(reinterpret_cast<char*>(raw) + 1)),
            "dropout_dev: misaligned counter", "aligned");
    refused(sr_dropout_fwd_dev(ctx, x.data(), y.data(), keep.data(), n, 1.0f, 9, &calls), "dropout_dev: p = 1", "p = 1");
    refused(sr_dropout_fwd_dev(ctx, nullptr, y.data(), keep.data(), n, p, 9, &calls), "dropout_dev: null x", "'x'");
    check(calls == 1, "dropout_dev: a refused call leaves the counter alone", "calls %u", calls);
}

void test_axpby_sum_squares(sr_context* ctx, std::mt19937& rng) {
    Floats x = {1, 2, 3}, y = {10, 20, 30};
    CHECK_OK(ctx, sr_axpby(ctx, 2.0f, x.data(), 0.5f, y.data(), 3));
    check_close("axpby 2x + 0.5y", y, {7, 14, 21}, 0, 0);
    Floats yn = {NAN, NAN, NAN};
    CHECK_OK(ctx, sr_axpby(ctx, -1.0f, x.data(), 0.0f, yn.data(), 3));
    check_close("axpby b = 0 overwrites (y not read)", yn, {-1, -2, -3}, 0, 0);

    double out = -1;
    CHECK_OK(ctx, sr_sum_squares(ctx, SR_F32, x.data(), 3, &out));
    check(out == 14.0, "sum_squares [1, 2, 3] = 14", "got %.17g", out);
    const int64_t n = 100003;
    Floats r = random_floats(rng, n, -2, 2);
    std::vector<uint16_t> h(n);
    double want = 0, want_h = 0;
    for (int64_t i = 0; i < n; ++i) {
        want += (double)r[i] * r[i];
        h[i] = sr_float_to_bf16((float)((int)(rng() % 9) - 4) * 0.5f);  // exact in bf16, squares exact
        want_h += (double)sr_bf16_to_float(h[i]) * sr_bf16_to_float(h[i]);
    }
    CHECK_OK(ctx, sr_sum_squares(ctx, SR_F32, r.data(), n, &out));
    check(std::fabs(out - want) <= 1e-12 * want, "sum_squares F32 random", "got %.17g want %.17g", out, want);
    CHECK_OK(ctx, sr_sum_squares(ctx, SR_BF16, h.data(), n, &out));
    check(out == want_h && want_h > 0, "sum_squares BF16 exact", "got %.17g want %.17g", out, want_h);
}

}  // namespace

int main() {
    sr_context* ctx = nullptr;
    if (sr_context_create(SR_DEVICE_HOST, 0, &ctx) != SR_OK) {
        std::printf("cannot create a host context: %s\n", sr_thread_last_error());
        return 1;
    }
    std::mt19937 rng(20261123);
    test_bias(ctx, rng);
    test_activations(ctx, rng);
    test_softmax_hand(ctx);
    test_softmax_random(ctx, rng);
    test_softmax_errors(ctx);
    test_dropout(ctx, rng);
    test_dropout_dev(ctx, rng);
    test_axpby_sum_squares(ctx, rng);
    sr_context_destroy(ctx);
    std::printf("%d passed, %d failed\n", g_passed, g_failed);
    return g_failed == 0 ? 0 : 1;
}
