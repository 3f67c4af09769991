// spatial.h — index arithmetic of NHWC im2col / col2im / pooling and the per-element batch-norm
// formulas, shared verbatim by the host reference (host/layers_spatial.cpp) and the CUDA kernels
// (cuda/layers_spatial.cu), so both devices visit windows in the same order and round alike.
//
// Backward passes are written as GATHERS: each dx element sums, in a fixed order (oy, then ox), the
// output entries whose window covers it. No scatter means no float atomics on CUDA and results that
// are deterministic and identical to the host's.
#ifndef SR_COMMON_SPATIAL_H
#define SR_COMMON_SPATIAL_H

#include <math.h>
#include "common/defs.h"

// Input x [b, h, w, c] (NHWC), kernel kh x kw, stride, zero padding; output [b, oh, ow, ...].
struct sr_conv_geom {
    int64_t b, h, w, c;
    int64_t oh, ow;
    int32_t kh, kw, stride, pad;
};

// PyTorch's floor-mode output size: (in + 2*pad - k) / stride + 1.
SR_HD int64_t sr_conv_out_size(int64_t in, int32_t k, int32_t stride, int32_t pad) {
    return (in + 2 * (int64_t)pad - k) / stride + 1;
}

SR_HD sr_conv_geom sr_make_conv_geom(int64_t b, int64_t h, int64_t w, int64_t c, int32_t kh, int32_t kw,
                                     int32_t stride, int32_t pad) {
    sr_conv_geom g;
    g.b = b; g.h = h; g.w = w; g.c = c;
    g.kh = kh; g.kw = kw; g.stride = stride; g.pad = pad;
    g.oh = sr_conv_out_size(h, kh, stride, pad);
    g.ow = sr_conv_out_size(w, kw, stride, pad);
    return g;
}

// Outputs o in [*lo, *hi) whose window [o*stride - pad, o*stride - pad + k) covers input index idx
// (one spatial axis); empty when *lo >= *hi.
SR_HD void sr_covering_outputs(int64_t idx, int32_t k, int32_t stride, int32_t pad, int64_t out, int64_t* lo,
                               int64_t* hi) {
    const int64_t p = idx + pad;      // position in the padded input, >= 0
    const int64_t first = p - k + 1;  // smallest window start o*stride that still reaches p
    *lo = first <= 0 ? 0 : (first + stride - 1) / stride;
    const int64_t last = p / stride + 1;
    *hi = last < out ? last : out;
}

// cols[row, col] of im2col with row = (n*oh + oy)*ow + ox and col = ci*kh*kw + i*kw + j:
// x[n, oy*stride - pad + i, ox*stride - pad + j, ci], or 0 in the padding.
SR_HD float sr_im2col_value(const float* x, const sr_conv_geom& g, int64_t row, int64_t col) {
    const int64_t khw = (int64_t)g.kh * g.kw;
    const int64_t ci = col / khw, ij = col - ci * khw;
    const int64_t i = ij / g.kw, j = ij - i * g.kw;
    const int64_t ox = row % g.ow, t = row / g.ow;
    const int64_t oy = t % g.oh, n = t / g.oh;
    const int64_t hi = oy * g.stride - g.pad + i, wi = ox * g.stride - g.pad + j;
    if (hi < 0 || hi >= g.h || wi < 0 || wi >= g.w) return 0.0f;
    return x[((n * g.h + hi) * g.w + wi) * g.c + ci];
}

// dx[n, hi, wi, ci] of col2im: the sum of every dcols entry that im2col filled from this element.
SR_HD float sr_col2im_gather(const float* dcols, const sr_conv_geom& g, int64_t n, int64_t hi, int64_t wi,
                             int64_t ci) {
    int64_t y0, y1, x0, x1;
    sr_covering_outputs(hi, g.kh, g.stride, g.pad, g.oh, &y0, &y1);
    sr_covering_outputs(wi, g.kw, g.stride, g.pad, g.ow, &x0, &x1);
    const int64_t khw = (int64_t)g.kh * g.kw, ncols = g.c * khw;
    float sum = 0.0f;
    for (int64_t oy = y0; oy < y1; ++oy) {
        const int64_t i = hi + g.pad - oy * g.stride;
        for (int64_t ox = x0; ox < x1; ++ox) {
            const int64_t j = wi + g.pad - ox * g.stride;
            sum += dcols[((n * g.oh + oy) * g.ow + ox) * ncols + ci * khw + i * g.kw + j];
        }
    }
    return sum;
}

// Max over the k x k window of output (n, oy, ox, ci): padded cells are skipped (never win), the first
// maximum in window order (i, then j) wins, and a NaN wins over numbers (propagates as PyTorch).
// *arg = hi*w + wi within the image.
SR_HD void sr_maxpool_window(const float* x, const sr_conv_geom& g, int64_t n, int64_t oy, int64_t ox, int64_t ci,
                             float* y, int32_t* arg) {
    const int64_t h0 = oy * g.stride - g.pad, w0 = ox * g.stride - g.pad;
    float best = 0.0f;
    int64_t best_at = -1;
    for (int64_t hi = h0 < 0 ? 0 : h0; hi < h0 + g.kh && hi < g.h; ++hi)
        for (int64_t wi = w0 < 0 ? 0 : w0; wi < w0 + g.kw && wi < g.w; ++wi) {
            const float v = x[((n * g.h + hi) * g.w + wi) * g.c + ci];
            if (best_at < 0 || v > best || (v != v && best == best)) {
                best = v;
                best_at = hi * g.w + wi;
            }
        }
    *y = best;
    *arg = (int32_t)best_at;  // pad < k (checked by the API) => every window holds a real cell
}

// dx[n, hi, wi, ci] of max pooling: the sum of dy over the windows whose argmax is this element
// (overlapping windows, stride < k, may pick the same element).
SR_HD float sr_maxpool_gather(const float* dy, const int32_t* argmax, const sr_conv_geom& g, int64_t n, int64_t hi,
                              int64_t wi, int64_t ci) {
    int64_t y0, y1, x0, x1;
    sr_covering_outputs(hi, g.kh, g.stride, g.pad, g.oh, &y0, &y1);
    sr_covering_outputs(wi, g.kw, g.stride, g.pad, g.ow, &x0, &x1);
    const int32_t self = (int32_t)(hi * g.w + wi);
    float sum = 0.0f;
    for (int64_t oy = y0; oy < y1; ++oy)
        for (int64_t ox = x0; ox < x1; ++ox) {
            const int64_t o = ((n * g.oh + oy) * g.ow + ox) * g.c + ci;
            if (argmax[o] == self) sum += dy[o];
        }
    return sum;
}

// Average over the k x k window, count_include_pad: floor-mode windows never pass h + pad (pad < k),
// so PyTorch's divisor is always k*k.
SR_HD float sr_avgpool_window(const float* x, const sr_conv_geom& g, int64_t n, int64_t oy, int64_t ox, int64_t ci) {
    const int64_t h0 = oy * g.stride - g.pad, w0 = ox * g.stride - g.pad;
    float sum = 0.0f;
    for (int64_t hi = h0 < 0 ? 0 : h0; hi < h0 + g.kh && hi < g.h; ++hi)
        for (int64_t wi = w0 < 0 ? 0 : w0; wi < w0 + g.kw && wi < g.w; ++wi)
            sum += x[((n * g.h + hi) * g.w + wi) * g.c + ci];
    return sum / (float)((int64_t)g.kh * g.kw);
}

// dx[n, hi, wi, ci] of average pooling: sum over covering windows of dy / (k*k).
SR_HD float sr_avgpool_gather(const float* dy, const sr_conv_geom& g, int64_t n, int64_t hi, int64_t wi,
                              int64_t ci) {
    int64_t y0, y1, x0, x1;
    sr_covering_outputs(hi, g.kh, g.stride, g.pad, g.oh, &y0, &y1);
    sr_covering_outputs(wi, g.kw, g.stride, g.pad, g.ow, &x0, &x1);
    const float divisor = (float)((int64_t)g.kh * g.kw);
    float sum = 0.0f;
    for (int64_t oy = y0; oy < y1; ++oy)
        for (int64_t ox = x0; ox < x1; ++ox) sum += dy[((n * g.oh + oy) * g.ow + ox) * g.c + ci] / divisor;
    return sum;
}

// ---------------------------------------------------------------- batch norm, per element of x [rows, c]

// y = (x - mean) * invstd * gamma + beta
SR_HD float sr_bn_forward(float x, float mean, float invstd, float gamma, float beta) {
    return (x - mean) * invstd * gamma + beta;
}

// Normalised input of the backward pass, formed exactly as the forward does (float, saved statistics).
SR_HD float sr_bn_xhat(float x, float mean, float invstd) { return (x - mean) * invstd; }

// Eval mode: invstd from the running variance, in float on both devices.
SR_HD float sr_bn_invstd_f(float var, float eps) { return 1.0f / sqrtf(var + eps); }

// dx = gamma*invstd/rows * (rows*dy - sum(dy) - xhat*sum(dy*xhat)), written with the column means
// (scale = gamma*invstd, mean_dy = sum(dy)/rows, mean_dyxhat = sum(dy*xhat)/rows): the same value
// without the cancellation of rows*dy against sum(dy) in float.
SR_HD float sr_bn_dx(float dy, float xhat, float scale, float mean_dy, float mean_dyxhat) {
    return scale * (dy - mean_dy - xhat * mean_dyxhat);
}

#endif
