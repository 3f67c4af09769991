// layers_spatial.cpp — host reference of the NHWC spatial layers (im2col / col2im, max and average
// pooling) and batch norm. Single-threaded plain C++; the window arithmetic and per-element formulas
// are common/spatial.h, the very code the CUDA kernels run, so both devices agree bit for bit on the
// pooling and im2col paths. Batch-norm statistics accumulate in double.
#include <cmath>
#include <cstring>
#include <vector>
#include "common/spatial.h"
#include "host/host_ops.h"

namespace {

// argmax is int32 hi*w + wi: refuse images whose flat index would not fit.
sr_status check_argmax_range(sr_env* env, const char* call, int64_t h, int64_t w) {
    if (h * w > INT32_MAX)
        return sr_fail(env, SR_ERR_SHAPE, "%s: image %lldx%lld has more than 2^31-1 cells for the int32 argmax", call,
                       (long long)h, (long long)w);
    return SR_OK;
}

}  // namespace

sr_status sr_host_im2col_nhwc(sr_env*, const float* x, float* cols, int64_t b, int64_t h, int64_t w, int64_t c,
                              int32_t kh, int32_t kw, int32_t stride, int32_t pad) {
    const sr_conv_geom g = sr_make_conv_geom(b, h, w, c, kh, kw, stride, pad);
    const int64_t khw = (int64_t)kh * kw, ncols = c * khw;
    // One output row [c*kh*kw] per (n, oy, ox); each valid input pixel's c channels scatter with
    // stride kh*kw into the row, padded taps are zero.
    for (int64_t n = 0; n < b; ++n)
        for (int64_t oy = 0; oy < g.oh; ++oy)
            for (int64_t ox = 0; ox < g.ow; ++ox) {
                float* row = cols + ((n * g.oh + oy) * g.ow + ox) * ncols;
                for (int32_t i = 0; i < kh; ++i) {
                    const int64_t hi = oy * stride - pad + i;
                    for (int32_t j = 0; j < kw; ++j) {
                        const int64_t wi = ox * stride - pad + j;
                        float* out = row + (int64_t)i * kw + j;
                        if (hi < 0 || hi >= h || wi < 0 || wi >= w) {
                            for (int64_t ci = 0; ci < c; ++ci) out[ci * khw] = 0.0f;
                        } else {
                            const float* px = x + ((n * h + hi) * w + wi) * c;
                            for (int64_t ci = 0; ci < c; ++ci) out[ci * khw] = px[ci];
                        }
                    }
                }
            }
    return SR_OK;
}

sr_status sr_host_col2im_nhwc(sr_env*, const float* dcols, float* dx, int64_t b, int64_t h, int64_t w, int64_t c,
                              int32_t kh, int32_t kw, int32_t stride, int32_t pad) {
    const sr_conv_geom g = sr_make_conv_geom(b, h, w, c, kh, kw, stride, pad);
    const int64_t khw = (int64_t)kh * kw, ncols = c * khw, oh = g.oh, ow = g.ow;
    // The gather of sr_col2im_gather (the CUDA kernel's formulation): dx[n, hi, wi, ci] = 0 + the covering
    // outputs' entries in (oy, ox) order. Here the covering taps are found once per pixel, not once per
    // channel, and each channel's sum adds them in that same order: the same additions in the same
    // sequence, so bit-identical to the gather (tests/test_layers_spatial.cpp checks), ~10 % faster.
    const float* taps[64];  // a pixel has at most kh*kw covering taps: on the stack up to 8x8 kernels
    std::vector<const float*> many(khw > 64 ? (size_t)khw : 0);
    const float** tap = khw > 64 ? many.data() : taps;
    for (int64_t n = 0; n < b; ++n)
        for (int64_t hi = 0; hi < h; ++hi) {
            int64_t y0, y1;
            sr_covering_outputs(hi, kh, stride, pad, oh, &y0, &y1);
            for (int64_t wi = 0; wi < w; ++wi) {
                int64_t x0, x1;
                sr_covering_outputs(wi, kw, stride, pad, ow, &x0, &x1);
                int64_t nt = 0;
                for (int64_t oy = y0; oy < y1; ++oy) {
                    const int64_t i = hi + pad - oy * stride;
                    for (int64_t ox = x0; ox < x1; ++ox)
                        tap[nt++] = dcols + ((n * oh + oy) * ow + ox) * ncols + i * kw + (wi + pad - ox * stride);
                }
                float* out = dx + ((n * h + hi) * w + wi) * c;
                for (int64_t ci = 0; ci < c; ++ci) {
                    float sum = 0.0f;
                    for (int64_t t = 0; t < nt; ++t) sum += tap[t][ci * khw];
                    out[ci] = sum;
                }
            }
        }
    return SR_OK;
}

sr_status sr_host_maxpool_fwd(sr_env* env, const float* x, float* y, int32_t* argmax, int64_t b, int64_t h,
                              int64_t w, int64_t c, int32_t k, int32_t stride, int32_t pad) {
    sr_status st = check_argmax_range(env, "sr_maxpool_fwd", h, w);
    if (st != SR_OK) return st;
    const sr_conv_geom g = sr_make_conv_geom(b, h, w, c, k, k, stride, pad);
    for (int64_t n = 0; n < b; ++n)
        for (int64_t oy = 0; oy < g.oh; ++oy)
            for (int64_t ox = 0; ox < g.ow; ++ox) {
                const int64_t o = ((n * g.oh + oy) * g.ow + ox) * c;
                for (int64_t ci = 0; ci < c; ++ci) sr_maxpool_window(x, g, n, oy, ox, ci, &y[o + ci], &argmax[o + ci]);
            }
    return SR_OK;
}

sr_status sr_host_maxpool_bwd(sr_env* env, const float* dy, const int32_t* argmax, float* dx, int64_t b, int64_t h,
                              int64_t w, int64_t c, int32_t k, int32_t stride, int32_t pad) {
    sr_status st = check_argmax_range(env, "sr_maxpool_bwd", h, w);
    if (st != SR_OK) return st;
    const sr_conv_geom g = sr_make_conv_geom(b, h, w, c, k, k, stride, pad);
    for (int64_t n = 0; n < b; ++n)
        for (int64_t hi = 0; hi < h; ++hi)
            for (int64_t wi = 0; wi < w; ++wi) {
                float* out = dx + ((n * h + hi) * w + wi) * c;
                for (int64_t ci = 0; ci < c; ++ci) out[ci] = sr_maxpool_gather(dy, argmax, g, n, hi, wi, ci);
            }
    return SR_OK;
}

sr_status sr_host_avgpool_fwd(sr_env*, const float* x, float* y, int64_t b, int64_t h, int64_t w, int64_t c,
                              int32_t k, int32_t stride, int32_t pad) {
    const sr_conv_geom g = sr_make_conv_geom(b, h, w, c, k, k, stride, pad);
    for (int64_t n = 0; n < b; ++n)
        for (int64_t oy = 0; oy < g.oh; ++oy)
            for (int64_t ox = 0; ox < g.ow; ++ox) {
                float* out = y + ((n * g.oh + oy) * g.ow + ox) * c;
                for (int64_t ci = 0; ci < c; ++ci) out[ci] = sr_avgpool_window(x, g, n, oy, ox, ci);
            }
    return SR_OK;
}

sr_status sr_host_avgpool_bwd(sr_env*, const float* dy, float* dx, int64_t b, int64_t h, int64_t w, int64_t c,
                              int32_t k, int32_t stride, int32_t pad) {
    const sr_conv_geom g = sr_make_conv_geom(b, h, w, c, k, k, stride, pad);
    for (int64_t n = 0; n < b; ++n)
        for (int64_t hi = 0; hi < h; ++hi)
            for (int64_t wi = 0; wi < w; ++wi) {
                float* out = dx + ((n * h + hi) * w + wi) * c;
                for (int64_t ci = 0; ci < c; ++ci) out[ci] = sr_avgpool_gather(dy, g, n, hi, wi, ci);
            }
    return SR_OK;
}

// ---------------------------------------------------------------- batch norm over x [rows, c]
// Statistics are per column; loops run row-major (rows outer, columns inner) over double
// accumulators [c] so x is read contiguously.

sr_status sr_host_batchnorm_fwd_train(sr_env*, const float* x, float* y, const float* gamma, const float* beta,
                                      float* running_mean, float* running_var, float* save_mean,
                                      float* save_invstd, int64_t rows, int64_t c, float momentum, float eps) {
    std::vector<double> mean(c, 0.0), m2(c, 0.0);
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t j = 0; j < c; ++j) mean[j] += x[r * c + j];
    for (int64_t j = 0; j < c; ++j) mean[j] /= (double)rows;
    // Two-pass variance: sum((x - mean)^2), no cancellation of E[x^2] - mean^2.
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t j = 0; j < c; ++j) {
            const double d = x[r * c + j] - mean[j];
            m2[j] += d * d;
        }
    const double mom = momentum;
    for (int64_t j = 0; j < c; ++j) {
        const double var = m2[j] / (double)rows;                 // biased: normalises
        const double unbiased = m2[j] / (double)(rows - 1);      // var * rows / (rows - 1): running stat
        save_mean[j] = (float)mean[j];
        save_invstd[j] = (float)(1.0 / std::sqrt(var + (double)eps));
        running_mean[j] = (float)((1.0 - mom) * running_mean[j] + mom * mean[j]);
        running_var[j] = (float)((1.0 - mom) * running_var[j] + mom * unbiased);
    }
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t j = 0; j < c; ++j)
            y[r * c + j] = sr_bn_forward(x[r * c + j], save_mean[j], save_invstd[j], gamma[j], beta[j]);
    return SR_OK;
}

sr_status sr_host_batchnorm_fwd_eval(sr_env*, const float* x, float* y, const float* gamma, const float* beta,
                                     const float* running_mean, const float* running_var, int64_t rows, int64_t c,
                                     float eps) {
    std::vector<float> invstd(c);
    for (int64_t j = 0; j < c; ++j) invstd[j] = sr_bn_invstd_f(running_var[j], eps);
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t j = 0; j < c; ++j)
            y[r * c + j] = sr_bn_forward(x[r * c + j], running_mean[j], invstd[j], gamma[j], beta[j]);
    return SR_OK;
}

sr_status sr_host_batchnorm_bwd(sr_env*, const float* x, const float* dy, const float* gamma, const float* save_mean,
                                const float* save_invstd, float* dx, float* dgamma, float* dbeta, int64_t rows,
                                int64_t c) {
    std::vector<double> sum_dy(c, 0.0), sum_dyxhat(c, 0.0);
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t j = 0; j < c; ++j) {
            const float xhat = sr_bn_xhat(x[r * c + j], save_mean[j], save_invstd[j]);
            sum_dy[j] += dy[r * c + j];
            sum_dyxhat[j] += (double)dy[r * c + j] * xhat;
        }
    std::vector<float> scale(c), mean_dy(c), mean_dyxhat(c);
    for (int64_t j = 0; j < c; ++j) {
        dbeta[j] = (float)sum_dy[j];
        dgamma[j] = (float)sum_dyxhat[j];
        scale[j] = gamma[j] * save_invstd[j];
        mean_dy[j] = (float)(sum_dy[j] / (double)rows);
        mean_dyxhat[j] = (float)(sum_dyxhat[j] / (double)rows);
    }
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t j = 0; j < c; ++j) {
            const float xhat = sr_bn_xhat(x[r * c + j], save_mean[j], save_invstd[j]);
            dx[r * c + j] = sr_bn_dx(dy[r * c + j], xhat, scale[j], mean_dy[j], mean_dyxhat[j]);
        }
    return SR_OK;
}
