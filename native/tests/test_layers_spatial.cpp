// test_layers_spatial.cpp — im2col/col2im, max/avg pooling and batch norm through the public C API on
// a host context: hand-computed cases (padding, ties, overlapping windows, global pooling), adjoint
// identities <A x, y> == <x, A^T y> in double on seeded random data, conv via im2col + GEMM against a
// direct convolution, and batch norm against a double reference (forward) and central finite
// differences of sum(y*r) (backward). Prints "N passed, M failed"; exit 1 on failure.
//
// Tolerances: im2col / pooling forward move or average a few floats, so hand cases are exact (the
// values are small integers or dyadic fractions). Adjoint checks compare two double sums of float
// products: |a - b| <= 1e-5 * sum|terms| (float summation of <= k*k terms per dx element). Batch norm
// forward (float y from double statistics): 1e-5 absolute on O(1) outputs. Backward vs central
// differences (h = 1e-4 on a double-precision loss, truncation O(h^2) ~ 1e-8): 1e-4 * (1 + max|g|).
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>
#include <cstring>
#include "common/spatial.h"
#include "sparseretrain.h"

namespace {

int g_passed = 0, g_failed = 0;

void check(bool ok, const char* what, const char* detail = "") {
    ok ? ++g_passed : ++g_failed;
    if (!ok) std::printf("FAIL: %s %s\n", what, detail);
}

using Floats = std::vector<float>; using Ints = std::vector<int32_t>; using Doubles = std::vector<double>;

// Largest |got - want| as text with its index, for failure messages; *max_diff receives it.
const char* worst(const Floats& got, const Floats& want, double* max_diff) {
    static char buf[160];
    double m = 0; size_t at = 0;
    for (size_t i = 0; i < got.size() && i < want.size(); ++i) {
        const double d = std::fabs((double)got[i] - want[i]);
        if (!(d <= m)) { m = d; at = i; }  // NaN counts as worst
    }
    *max_diff = got.size() == want.size() ? m : INFINITY;
    std::snprintf(buf, sizeof buf, "(max |diff| %g at %zu: got %g, want %g; sizes %zu, %zu)", m, at,
                  at < got.size() ? got[at] : 0.0, at < want.size() ? want[at] : 0.0, got.size(), want.size());
    return buf;
}

void check_close(const Floats& got, const Floats& want, double tol, const char* what) {
    double m;
    const char* detail = worst(got, want, &m);
    check(m <= tol, what, detail);
}

Floats random_floats(std::mt19937& rng, size_t n, float lo = -1.0f, float hi = 1.0f) {
    std::uniform_real_distribution<float> u(lo, hi);
    Floats v(n);
    for (float& x : v) x = u(rng);
    return v;
}

int64_t out_size(int64_t in, int k, int s, int p) { return (in + 2 * p - k) / s + 1; }

// <a, b> in double and sum |a_i b_i| (the scale of its rounding error).
void dot(const Floats& a, const Floats& b, double* d, double* scale) {
    *d = 0; *scale = 0;
    for (size_t i = 0; i < a.size(); ++i) { *d += (double)a[i] * b[i]; *scale += std::fabs((double)a[i] * b[i]); }
}

void check_adjoint(const Floats& x, const Floats& ax, const Floats& y, const Floats& aty, const char* what) {
    double l, ls, r, rs;
    dot(ax, y, &l, &ls);
    dot(x, aty, &r, &rs);
    char buf[128];
    std::snprintf(buf, sizeof buf, "(<Ax,y> = %.9g, <x,A^T y> = %.9g)", l, r);
    check(ls > 0 && std::fabs(l - r) <= 1e-5 * (ls > rs ? ls : rs), what, buf);
}

// ---------------------------------------------------------------- im2col / col2im

void test_im2col_hand(sr_context* ctx) {
    // x [1, 3, 3, 2]: channel 0 = 1..9 row-major, channel 1 = 11..19
    Floats x(18);
    for (int p = 0; p < 9; ++p) { x[p * 2] = (float)(p + 1); x[p * 2 + 1] = (float)(p + 11); }
    // 2x2 kernel, stride 1, pad 0: cols [4, 8], column ci*4 + i*2 + j
    const Floats s1 = {1, 2, 4, 5, 11, 12, 14, 15,  2, 3, 5, 6, 12, 13, 15, 16,
                       4, 5, 7, 8, 14, 15, 17, 18,  5, 6, 8, 9, 15, 16, 18, 19};
    // stride 2, pad 1: windows start at -1 and 1 on each axis
    const Floats s2 = {0, 0, 0, 1, 0, 0, 0, 11,  0, 0, 2, 3, 0, 0, 12, 13,
                       0, 4, 0, 7, 0, 14, 0, 17,  5, 6, 8, 9, 15, 16, 18, 19};
    Floats cols(32, -99.0f);
    check(sr_im2col_nhwc(ctx, x.data(), cols.data(), 1, 3, 3, 2, 2, 2, 1, 0) == SR_OK && cols == s1,
          "im2col 2x2 stride 1 pad 0");
    cols.assign(32, -99.0f);
    check(sr_im2col_nhwc(ctx, x.data(), cols.data(), 1, 3, 3, 2, 2, 2, 2, 1) == SR_OK && cols == s2,
          "im2col 2x2 stride 2 pad 1");
    // stride 1, pad 1: 4x4 windows; rows 0 (corner), 5 (interior) and 15 (far corner)
    cols.assign(16 * 8, -99.0f);
    const bool ok = sr_im2col_nhwc(ctx, x.data(), cols.data(), 1, 3, 3, 2, 2, 2, 1, 1) == SR_OK;
    const Floats r0(cols.begin(), cols.begin() + 8), r5(cols.begin() + 40, cols.begin() + 48),
        r15(cols.begin() + 120, cols.end());
    check(ok && r0 == Floats{0, 0, 0, 1, 0, 0, 0, 11} && r5 == Floats{1, 2, 4, 5, 11, 12, 14, 15} &&
              r15 == Floats{9, 0, 0, 0, 19, 0, 0, 0},
          "im2col 2x2 stride 1 pad 1");
}

struct Geom { int64_t b, h, w, c; int kh, kw, s, p; };
const Geom kConvGeoms[] = {{2, 5, 6, 3, 3, 2, 2, 1}, {1, 7, 7, 4, 3, 3, 1, 1}, {3, 4, 5, 2, 2, 2, 3, 0},
                           {2, 6, 6, 5, 1, 1, 1, 0}, {1, 8, 5, 3, 5, 3, 2, 2}, {2, 3, 3, 1, 3, 3, 2, 2}};

void test_col2im_adjoint(sr_context* ctx, std::mt19937& rng) {
    for (const Geom& g : kConvGeoms) {
        const int64_t rows = g.b * out_size(g.h, g.kh, g.s, g.p) * out_size(g.w, g.kw, g.s, g.p);
        const int64_t k = g.c * g.kh * g.kw;
        Floats x = random_floats(rng, g.b * g.h * g.w * g.c), y = random_floats(rng, rows * k);
        Floats ax(rows * k), aty(x.size(), 123.0f);  // dx pre-filled: col2im must overwrite
        const bool ok = sr_im2col_nhwc(ctx, x.data(), ax.data(), g.b, g.h, g.w, g.c, g.kh, g.kw, g.s, g.p) == SR_OK &&
                        sr_col2im_nhwc(ctx, y.data(), aty.data(), g.b, g.h, g.w, g.c, g.kh, g.kw, g.s, g.p) == SR_OK;
        check(ok, "im2col/col2im status", sr_context_last_error(ctx));
        check_adjoint(x, ax, y, aty, "col2im is the adjoint of im2col");
    }
}

// The host im2col / col2im (loops restructured for speed) give exactly the per-element formulas the CUDA
// kernels use (common/spatial.h: sr_im2col_value, sr_col2im_gather), byte for byte, on geometries with
// padding, stride 2, a 1x1 kernel and odd sizes.
void test_im2col_col2im_match_the_per_element_formulas(sr_context* ctx, std::mt19937& rng) {
    struct G { int64_t b, h, w, c; int k, s, p; };
    for (const G& q : {G{3, 7, 5, 3, 3, 1, 1}, G{4, 8, 8, 16, 3, 2, 1}, G{2, 6, 9, 5, 1, 2, 0}, G{5, 5, 5, 2, 5, 1, 2}}) {
        const sr_conv_geom g = sr_make_conv_geom(q.b, q.h, q.w, q.c, q.k, q.k, q.s, q.p);
        const int64_t rows = q.b * g.oh * g.ow, ncols = q.c * q.k * q.k, nx = q.b * q.h * q.w * q.c;
        Floats x = random_floats(rng, (size_t)nx), d = random_floats(rng, (size_t)(rows * ncols));
        Floats want_cols((size_t)(rows * ncols)), want_dx((size_t)nx);
        for (int64_t r = 0; r < rows; ++r)
            for (int64_t col = 0; col < ncols; ++col) want_cols[(size_t)(r * ncols + col)] = sr_im2col_value(x.data(), g, r, col);
        for (int64_t n = 0; n < q.b; ++n)
            for (int64_t hi = 0; hi < q.h; ++hi)
                for (int64_t wi = 0; wi < q.w; ++wi)
                    for (int64_t ci = 0; ci < q.c; ++ci)
                        want_dx[(size_t)(((n * q.h + hi) * q.w + wi) * q.c + ci)] = sr_col2im_gather(d.data(), g, n, hi, wi, ci);
        Floats cols(want_cols.size(), NAN), dx(want_dx.size(), NAN);
        const bool ok = sr_im2col_nhwc(ctx, x.data(), cols.data(), q.b, q.h, q.w, q.c, q.k, q.k, q.s, q.p) == SR_OK &&
                        sr_col2im_nhwc(ctx, d.data(), dx.data(), q.b, q.h, q.w, q.c, q.k, q.k, q.s, q.p) == SR_OK;
        char what[160];
        std::snprintf(what, sizeof what, "im2col/col2im b%lld h%lld w%lld c%lld k%d s%d p%d: per-element formulas",
                      (long long)q.b, (long long)q.h, (long long)q.w, (long long)q.c, q.k, q.s, q.p);
        check(ok && std::memcmp(cols.data(), want_cols.data(), cols.size() * sizeof(float)) == 0 &&
                  std::memcmp(dx.data(), want_dx.data(), dx.size() * sizeof(float)) == 0, what);
    }
}

void test_conv_via_im2col(sr_context* ctx, std::mt19937& rng) {
    const int64_t cout = 4;
    for (const Geom& g : kConvGeoms) {
        const int64_t oh = out_size(g.h, g.kh, g.s, g.p), ow = out_size(g.w, g.kw, g.s, g.p);
        const int64_t rows = g.b * oh * ow, k = g.c * g.kh * g.kw;
        Floats x = random_floats(rng, g.b * g.h * g.w * g.c), wt = random_floats(rng, cout * k), cols(rows * k);
        check(sr_im2col_nhwc(ctx, x.data(), cols.data(), g.b, g.h, g.w, g.c, g.kh, g.kw, g.s, g.p) == SR_OK,
              "conv im2col status");
        // Y[rows, cout] = cols[rows, k] * W[cout, k]^T (naive, double) against the direct convolution
        // y[n, oy, ox, co] = sum_{ci,i,j} x[n, oy*s - p + i, ox*s - p + j, ci] * W[co, ci, i, j]
        double maxd = 0;
        for (int64_t n = 0; n < g.b; ++n)
            for (int64_t oy = 0; oy < oh; ++oy)
                for (int64_t ox = 0; ox < ow; ++ox)
                    for (int64_t co = 0; co < cout; ++co) {
                        const int64_t row = (n * oh + oy) * ow + ox;
                        double gemm = 0, direct = 0;
                        for (int64_t q = 0; q < k; ++q) gemm += (double)cols[row * k + q] * wt[co * k + q];
                        for (int64_t ci = 0; ci < g.c; ++ci)
                            for (int i = 0; i < g.kh; ++i)
                                for (int j = 0; j < g.kw; ++j) {
                                    const int64_t hi = oy * g.s - g.p + i, wi = ox * g.s - g.p + j;
                                    if (hi < 0 || hi >= g.h || wi < 0 || wi >= g.w) continue;
                                    direct += (double)x[((n * g.h + hi) * g.w + wi) * g.c + ci] *
                                              wt[((co * g.c + ci) * g.kh + i) * g.kw + j];
                                }
                        maxd = std::fmax(maxd, std::fabs(gemm - direct));
                    }
        char buf[64];
        std::snprintf(buf, sizeof buf, "(max |diff| %g)", maxd);
        check(maxd <= 1e-12, "conv = im2col + GEMM", buf);
    }
}

// ---------------------------------------------------------------- pooling

void test_maxpool_hand(sr_context* ctx) {
    // x [1, 4, 4, 1]; k 2, stride 2, pad 1 -> 3x3 windows starting at -1, 1, 3
    const Floats x = {-5, -3, -3, -7,  2, 8, 8, -1,  8, 0, 4, 4,  -2, -9, 4, -6};
    // (0,0) only -5 is real: padding (0) never wins; (0,1) tie -3,-3: first; (1,1) tie 8,8: first
    const Floats want_y = {-5, -3, -7, 8, 8, 4, -2, 4, -6};
    const Ints want_arg = {0, 1, 3, 8, 5, 11, 12, 14, 15};
    Floats y(9); Ints arg(9, -1);
    check(sr_maxpool_fwd(ctx, x.data(), y.data(), arg.data(), 1, 4, 4, 1, 2, 2, 1) == SR_OK && y == want_y &&
              arg == want_arg,
          "maxpool hand (ties, padding)");
    const Floats dy = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    Floats dx(16, 77.0f);
    const Floats want_dx = {1, 2, 0, 3,  0, 5, 0, 0,  4, 0, 0, 6,  7, 0, 8, 9};
    check(sr_maxpool_bwd(ctx, dy.data(), arg.data(), dx.data(), 1, 4, 4, 1, 2, 2, 1) == SR_OK && dx == want_dx,
          "maxpool bwd routes to argmax");
    // overlapping windows (k 3, stride 2) on [1, 5, 5, 1]: the centre (2,2) is the max of all four
    Floats x5(25);
    for (int p = 0; p < 25; ++p) x5[p] = (float)(p % 7);
    x5[12] = 100;
    Floats y5(4); Ints a5(4);
    const Floats dy5 = {1, 2, 3, 4};
    Floats dx5(25, 77.0f), want5(25, 0.0f);
    want5[12] = 10;
    const bool ok = sr_maxpool_fwd(ctx, x5.data(), y5.data(), a5.data(), 1, 5, 5, 1, 3, 2, 0) == SR_OK &&
                    sr_maxpool_bwd(ctx, dy5.data(), a5.data(), dx5.data(), 1, 5, 5, 1, 3, 2, 0) == SR_OK;
    check(ok && a5 == Ints{12, 12, 12, 12} && y5 == Floats{100, 100, 100, 100} && dx5 == want5,
          "maxpool overlapping windows accumulate");
    // a NaN wins every window holding it (propagates, as PyTorch), before or after larger numbers:
    // [1, 1, 3, 1], k 3, stride 1, pad 1 -> windows over w {-1,0,1}, {0,1,2}, {1,2,3}
    const Floats xn = {1, NAN, 5};
    Floats yn(3); Ints an(3);
    check(sr_maxpool_fwd(ctx, xn.data(), yn.data(), an.data(), 1, 1, 3, 1, 3, 1, 1) == SR_OK && std::isnan(yn[0]) &&
              std::isnan(yn[1]) && std::isnan(yn[2]) && an == Ints{1, 1, 1},
          "maxpool NaN propagates");
}

void test_maxpool_random(sr_context* ctx, std::mt19937& rng) {
    const Geom geoms[] = {{2, 6, 5, 3, 3, 3, 2, 1}, {1, 7, 7, 2, 2, 2, 2, 0}, {3, 4, 4, 4, 3, 3, 1, 1}};
    for (const Geom& g : geoms) {
        const int64_t oh = out_size(g.h, g.kh, g.s, g.p), ow = out_size(g.w, g.kw, g.s, g.p);
        Floats x = random_floats(rng, g.b * g.h * g.w * g.c), y(g.b * oh * ow * g.c), dx(x.size());
        Ints arg(y.size());
        Floats dy = random_floats(rng, y.size());
        const bool ok =
            sr_maxpool_fwd(ctx, x.data(), y.data(), arg.data(), g.b, g.h, g.w, g.c, g.kh, g.s, g.p) == SR_OK &&
            sr_maxpool_bwd(ctx, dy.data(), arg.data(), dx.data(), g.b, g.h, g.w, g.c, g.kh, g.s, g.p) == SR_OK;
        // reference: plain max over the real cells of each window, first maximum in (i, j) order
        Floats want(y.size()); Ints want_arg(y.size());
        for (int64_t n = 0; n < g.b; ++n)
            for (int64_t oy = 0; oy < oh; ++oy)
                for (int64_t ox = 0; ox < ow; ++ox)
                    for (int64_t ci = 0; ci < g.c; ++ci) {
                        float best = -INFINITY; int32_t at = -1;
                        for (int i = 0; i < g.kh; ++i)
                            for (int j = 0; j < g.kw; ++j) {
                                const int64_t hi = oy * g.s - g.p + i, wi = ox * g.s - g.p + j;
                                if (hi < 0 || hi >= g.h || wi < 0 || wi >= g.w) continue;
                                const float v = x[((n * g.h + hi) * g.w + wi) * g.c + ci];
                                if (at < 0 || v > best) { best = v; at = (int32_t)(hi * g.w + wi); }
                            }
                        const int64_t o = ((n * oh + oy) * ow + ox) * g.c + ci;
                        want[o] = best; want_arg[o] = at;
                    }
        check(ok && y == want && arg == want_arg, "maxpool random vs reference");
        // maxpool is linear on its selection: <y, dy> == <x, dx>
        check_adjoint(x, y, dy, dx, "maxpool bwd adjoint");
    }
}

void test_avgpool(sr_context* ctx, std::mt19937& rng) {
    Floats x(9);
    for (int p = 0; p < 9; ++p) x[p] = (float)(p + 1);
    Floats y(4, -1.0f);
    check(sr_avgpool_fwd(ctx, x.data(), y.data(), 1, 3, 3, 1, 2, 1, 0) == SR_OK && y == Floats{3, 4, 6, 7},
          "avgpool 2x2 stride 1");
    // stride 2, pad 1: padded cells count in the divisor (count_include_pad)
    check(sr_avgpool_fwd(ctx, x.data(), y.data(), 1, 3, 3, 1, 2, 2, 1) == SR_OK && y == Floats{0.25f, 1.25f, 2.75f, 7},
          "avgpool 2x2 stride 2 pad 1");
    // global: [1, 3, 3, 2], channel 1 = 10 * channel 0 -> means 5 and 50; bwd spreads dy / 9
    Floats xg(18);
    for (int p = 0; p < 9; ++p) { xg[2 * p] = (float)(p + 1); xg[2 * p + 1] = (float)(10 * (p + 1)); }
    Floats yg(2), dxg(18, 77.0f), dyg = {9, 18}, want_dx(18);
    for (int p = 0; p < 9; ++p) { want_dx[2 * p] = 1; want_dx[2 * p + 1] = 2; }
    const bool ok = sr_avgpool_fwd(ctx, xg.data(), yg.data(), 1, 3, 3, 2, 3, 1, 0) == SR_OK &&
                    sr_avgpool_bwd(ctx, dyg.data(), dxg.data(), 1, 3, 3, 2, 3, 1, 0) == SR_OK;
    check(ok && yg == Floats{5, 50} && dxg == want_dx, "global avgpool fwd/bwd");
    const Geom geoms[] = {{2, 6, 5, 3, 3, 3, 2, 1}, {1, 7, 7, 2, 2, 2, 2, 0}, {3, 4, 4, 4, 3, 3, 1, 1},
                          {2, 5, 5, 2, 5, 5, 1, 0}};
    for (const Geom& g : geoms) {
        const int64_t oh = out_size(g.h, g.kh, g.s, g.p), ow = out_size(g.w, g.kw, g.s, g.p);
        Floats xr = random_floats(rng, g.b * g.h * g.w * g.c), yr(g.b * oh * ow * g.c), dxr(xr.size(), 77.0f);
        Floats dyr = random_floats(rng, yr.size());
        const bool okr = sr_avgpool_fwd(ctx, xr.data(), yr.data(), g.b, g.h, g.w, g.c, g.kh, g.s, g.p) == SR_OK &&
                         sr_avgpool_bwd(ctx, dyr.data(), dxr.data(), g.b, g.h, g.w, g.c, g.kh, g.s, g.p) == SR_OK;
        check(okr, "avgpool random status", sr_context_last_error(ctx));
        check_adjoint(xr, yr, dyr, dxr, "avgpool bwd adjoint");
    }
}

// ---------------------------------------------------------------- batch norm

// Double-precision training-mode forward over x [rows, c]: biased variance, y = xhat * gamma + beta.
Doubles ref_bn(const Doubles& x, const Doubles& gamma, const Doubles& beta, int64_t rows, int64_t c, double eps,
               Doubles* mean = nullptr, Doubles* invstd = nullptr) {
    Doubles y(x.size()), m(c, 0.0), is(c, 0.0);
    for (int64_t j = 0; j < c; ++j) {
        double s = 0, v = 0;
        for (int64_t r = 0; r < rows; ++r) s += x[r * c + j];
        m[j] = s / rows;
        for (int64_t r = 0; r < rows; ++r) v += (x[r * c + j] - m[j]) * (x[r * c + j] - m[j]);
        is[j] = 1.0 / std::sqrt(v / rows + eps);
        for (int64_t r = 0; r < rows; ++r) y[r * c + j] = (x[r * c + j] - m[j]) * is[j] * gamma[j] + beta[j];
    }
    if (mean) *mean = m;
    if (invstd) *invstd = is;
    return y;
}

Doubles to_d(const Floats& f) { return Doubles(f.begin(), f.end()); }
Floats to_f(const Doubles& d) { return Floats(d.begin(), d.end()); }

void test_batchnorm(sr_context* ctx, std::mt19937& rng) {
    const float eps = 1e-5f;
    {  // random columns with different means and scales; gamma 1, beta 0 -> mean 0, variance ~1 per column
        const int64_t rows = 37, c = 5;
        Floats x = random_floats(rng, rows * c), y(x.size()), g(c, 1.0f), b(c, 0.0f), rm(c, 0.0f), rv(c, 1.0f);
        Floats sm(c), si(c);
        for (int64_t r = 0; r < rows; ++r)
            for (int64_t j = 0; j < c; ++j) x[r * c + j] = 3.0f * j - 2.0f + (1.0f + j) * x[r * c + j];
        check(sr_batchnorm_fwd_train(ctx, x.data(), y.data(), g.data(), b.data(), rm.data(), rv.data(), sm.data(),
                                     si.data(), rows, c, 0.1f, eps) == SR_OK, "batchnorm train status");
        Doubles mean, invstd;
        const Doubles want = ref_bn(to_d(x), Doubles(c, 1.0), Doubles(c, 0.0), rows, c, eps, &mean, &invstd);
        check_close(y, to_f(want), 1e-5, "batchnorm train y vs double reference");
        check_close(sm, to_f(mean), 1e-6, "batchnorm save_mean");
        check_close(si, to_f(invstd), 4e-6, "batchnorm save_invstd");
        double worst_mean = 0, worst_var = 0;
        for (int64_t j = 0; j < c; ++j) {
            double s = 0, v = 0;
            for (int64_t r = 0; r < rows; ++r) s += y[r * c + j];
            for (int64_t r = 0; r < rows; ++r) v += (y[r * c + j] - s / rows) * (y[r * c + j] - s / rows);
            worst_mean = std::fmax(worst_mean, std::fabs(s / rows));
            worst_var = std::fmax(worst_var, std::fabs(v / rows - 1.0));
        }
        check(worst_mean <= 1e-5 && worst_var <= 1e-4, "batchnorm train: column mean 0, variance 1");
    }
    {  // hand: x = [1, 2, 3, 6]: mean 3, biased var 3.5, unbiased 14/3; momentum 0.1
        const Floats x = {1, 2, 3, 6}, g = {1}, b = {0};
        Floats y(4), rm = {0.5f}, rv = {2.0f}, sm(1), si(1);
        const bool ok = sr_batchnorm_fwd_train(ctx, x.data(), y.data(), g.data(), b.data(), rm.data(), rv.data(),
                                               sm.data(), si.data(), 4, 1, 0.1f, eps) == SR_OK;
        const double is = 1.0 / std::sqrt(3.5 + (double)eps);
        check(ok && sm[0] == 3.0f && std::fabs(si[0] - is) <= 1e-7 && std::fabs(rm[0] - 0.75) <= 1e-7 &&
                  std::fabs(rv[0] - (0.9 * 2.0 + 0.1 * 14.0 / 3.0)) <= 1e-6,
              "batchnorm running stats (unbiased variance)");
        check_close(y, Floats{(float)(-2 * is), (float)(-is), 0.0f, (float)(3 * is)}, 1e-6, "batchnorm hand y");
        // eval mode normalises with the running statistics: (x - 1) / sqrt(4 + eps) * 2 + 0.5
        const Floats erm = {1.0f}, erv = {4.0f}, eg = {2.0f}, eb = {0.5f};
        Floats ye(4), want(4);
        for (int i = 0; i < 4; ++i) want[i] = (float)((x[i] - 1.0) / std::sqrt(4.0 + (double)eps) * 2.0 + 0.5);
        check(sr_batchnorm_fwd_eval(ctx, x.data(), ye.data(), eg.data(), eb.data(), erm.data(), erv.data(), 4, 1,
                                    eps) == SR_OK, "batchnorm eval status");
        check_close(ye, want, 2e-6, "batchnorm eval y");
    }
    {  // backward vs central differences of L = sum(y * r) computed by ref_bn in double
        const int64_t rows = 6, c = 3;
        Floats x = random_floats(rng, rows * c, -2.0f, 2.0f), g = random_floats(rng, c, 0.5f, 1.5f);
        Floats b = random_floats(rng, c), r = random_floats(rng, rows * c), y(x.size()), rm(c, 0), rv(c, 1);
        Floats sm(c), si(c), dx(x.size()), dg(c), db(c);
        const bool ok = sr_batchnorm_fwd_train(ctx, x.data(), y.data(), g.data(), b.data(), rm.data(), rv.data(),
                                               sm.data(), si.data(), rows, c, 0.1f, eps) == SR_OK &&
                        sr_batchnorm_bwd(ctx, x.data(), r.data(), g.data(), sm.data(), si.data(), dx.data(), dg.data(),
                                         db.data(), rows, c) == SR_OK;
        check(ok, "batchnorm bwd status", sr_context_last_error(ctx));
        Doubles xd = to_d(x), gd = to_d(g), bd = to_d(b);
        auto loss = [&]() {
            const Doubles yd = ref_bn(xd, gd, bd, rows, c, eps);
            double l = 0;
            for (size_t i = 0; i < yd.size(); ++i) l += yd[i] * r[i];
            return l;
        };
        const double h = 1e-4;
        auto fd = [&](Doubles& v) {
            Floats grad(v.size());
            for (size_t i = 0; i < v.size(); ++i) {
                const double keep = v[i];
                v[i] = keep + h; const double lp = loss();
                v[i] = keep - h; const double lm = loss();
                v[i] = keep;
                grad[i] = (float)((lp - lm) / (2 * h));
            }
            return grad;
        };
        const Floats fdx = fd(xd), fdg = fd(gd), fdb = fd(bd);
        double scale = 0;
        for (float v : fdx) scale = std::fmax(scale, std::fabs(v));
        check_close(dx, fdx, 1e-4 * (1 + scale), "batchnorm dx vs finite differences");
        check_close(dg, fdg, 1e-4 * (1 + scale), "batchnorm dgamma vs finite differences");
        check_close(db, fdb, 1e-4 * (1 + scale), "batchnorm dbeta vs finite differences");
    }
}

}  // namespace

int main() {
    sr_context* ctx = nullptr;
    if (sr_context_create(SR_DEVICE_HOST, 0, &ctx) != SR_OK) {
        std::printf("cannot create a host context: %s\n", sr_thread_last_error());
        return 1;
    }
    std::mt19937 rng(20261123);
    test_im2col_hand(ctx);
    test_col2im_adjoint(ctx, rng);
    test_im2col_col2im_match_the_per_element_formulas(ctx, rng);
    test_conv_via_im2col(ctx, rng);
    test_maxpool_hand(ctx);
    test_maxpool_random(ctx, rng);
    test_avgpool(ctx, rng);
    test_batchnorm(ctx, rng);
    sr_context_destroy(ctx);
    std::printf("%d passed, %d failed\n", g_passed, g_failed);
    return g_failed == 0 ? 0 : 1;
}
