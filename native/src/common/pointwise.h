// pointwise.h — per-element and per-row logic of the pointwise layer kernels (sparseretrain.h,
// "layer kernels"), shared verbatim by the host reference (host/layers_pointwise.cpp) and the CUDA
// kernels (cuda/layers_pointwise.cu) so both compute the same formula; only the summation order of
// reductions differs (and erff/expf/logf may differ by an ulp between libm and CUDA).
#ifndef SR_COMMON_POINTWISE_H
#define SR_COMMON_POINTWISE_H

#include <math.h>
#include "common/bf16.h"
#include "common/defs.h"
#include "common/philox.h"
#include "sparseretrain.h"

// ---------------------------------------------------------------- activations
// 1/sqrt(2) and 1/sqrt(2*pi) rounded to float.
#define SR_INV_SQRT2_F 0.70710678118654752f
#define SR_INV_SQRT_2PI_F 0.39894228040143268f

// y = act(x). ReLU keeps NaN (x < 0 is false for NaN), as torch.relu does.
SR_HD float sr_act_fwd(int32_t act, float x) {
    if (act == SR_ACT_GELU) return 0.5f * x * (1.0f + erff(x * SR_INV_SQRT2_F));
    return x < 0.0f ? 0.0f : x;
}

// dx = dy * act'(x), x the activation's input.
//   ReLU: dy where x > 0, else 0 (a select, so dy = NaN at x <= 0 gives 0, as torch's threshold_backward).
//   GELU: d/dx [x * Phi(x)] = Phi(x) + x * phi(x), Phi the normal CDF, phi its density.
SR_HD float sr_act_bwd(int32_t act, float x, float dy) {
    if (act == SR_ACT_GELU) {
        float cdf = 0.5f * (1.0f + erff(x * SR_INV_SQRT2_F));
        float pdf = SR_INV_SQRT_2PI_F * expf(-0.5f * x * x);
        return dy * (cdf + x * pdf);
    }
    return x > 0.0f ? dy : 0.0f;
}

// ---------------------------------------------------------------- bias gradient
// db[c] = beta * db[c] + sum; beta == 0 overwrites without reading db (it may be uninitialised).
SR_HD float sr_bias_grad_finish(float beta, float old, double sum) {
    return beta == 0.0f ? (float)sum : (float)((double)beta * (double)old + sum);
}

// ---------------------------------------------------------------- axpby
// y = a*x + b*y; b == 0 overwrites without reading y (BLAS convention: y may be uninitialised).
SR_HD float sr_axpby_elem(float a, float x, float b, float y) { return b == 0.0f ? a * x : a * x + b * y; }

// ---------------------------------------------------------------- dropout
// keep[i] = u(i) >= p with u(i) the top 24 bits of word 0 of philox4x32-10 under
//   counter = {lo32(i + offset), hi32(i + offset), 0, 0}, key = {lo32(seed), hi32(seed)}
// (the select-key layout of common/philox.h with t = 0), scaled by 2^-24: u is exactly representable
// in float, in [0, 1), so the comparison is bit-identical on host and device. Part of the public
// contract (sparseretrain.h, sr_dropout_fwd): changing it changes every dropout mask.
SR_HD bool sr_dropout_keep(uint64_t seed, uint64_t offset, int64_t i, float p) {
    uint32_t bits = sr_philox_select_key(seed, 0, (int64_t)((uint64_t)i + offset));
    float u = (float)(bits >> 8) * (1.0f / 16777216.0f);
    return u >= p;
}

// Inverted-dropout scale 1/(1-p), computed once in float by the caller and multiplied on both sides.
SR_HD float sr_dropout_scale(float p) { return 1.0f / (1.0f - p); }

SR_HD float sr_dropout_apply(bool keep, float x, float scale) { return keep ? x * scale : 0.0f; }

// ---------------------------------------------------------------- softmax cross-entropy
// One row of logits [classes] is reduced in strided slices: the host walks the whole row (begin 0,
// step 1); a CUDA warp gives lane l the slice (begin l, step 32) and merges the lanes' partials.

// Running maximum of a row slice: first maximal index wins ties (the "correct" rule); nonfinite set
// when any logit in the slice is NaN or +-Inf (tested on the bits, immune to fast-math).
struct sr_xent_max {
    float max;
    int64_t arg;
    bool nonfinite;
};

SR_HD sr_xent_max sr_xent_max_init() {
    sr_xent_max m;
    m.max = -INFINITY;
    m.arg = -1;
    m.nonfinite = false;
    return m;
}

// Merges b into a: larger value wins, equal values keep the smaller index.
SR_HD sr_xent_max sr_xent_max_merge(sr_xent_max a, sr_xent_max b) {
    sr_xent_max r;
    bool take_b = b.arg >= 0 && (a.arg < 0 || b.max > a.max || (b.max == a.max && b.arg < a.arg));
    r.max = take_b ? b.max : a.max;
    r.arg = take_b ? b.arg : a.arg;
    r.nonfinite = a.nonfinite || b.nonfinite;
    return r;
}

SR_HD sr_xent_max sr_xent_scan_max(const float* row, int64_t begin, int64_t end, int64_t step) {
    sr_xent_max m = sr_xent_max_init();
    for (int64_t j = begin; j < end; j += step) {
        float v = row[j];
        m.nonfinite = m.nonfinite || sr_key_nonfinite(sr_abs_key_f32(v));
        if (m.arg < 0 || v > m.max) {
            m.max = v;
            m.arg = j;
        }
    }
    return m;
}

// Partial sum of exp(x - max) over a slice, in float (each term is in (0, 1]).
SR_HD float sr_xent_sum_exp(const float* row, int64_t begin, int64_t end, int64_t step, float max) {
    float s = 0.0f;
    for (int64_t j = begin; j < end; j += step) s += expf(row[j] - max);
    return s;
}

// -log softmax(row)[label] = log(sum exp(x - max)) + max - x[label]; assembled in double so the
// loss of a confident row (max - x[label] large, log-sum ~ 0) keeps its low bits.
SR_HD double sr_xent_row_loss(float max, float sum_exp, float logit_label) {
    return log((double)sum_exp) + ((double)max - (double)logit_label);
}

// dlogits[j] = (softmax_j - [j == label]) * grad_scale over a slice; inv_sum = 1 / sum_exp.
SR_HD void sr_xent_write_grad(const float* row, float* drow, int64_t begin, int64_t end, int64_t step, float max,
                              float inv_sum, int32_t label, float grad_scale) {
    for (int64_t j = begin; j < end; j += step) {
        float prob = expf(row[j] - max) * inv_sum;
        drow[j] = (prob - (j == (int64_t)label ? 1.0f : 0.0f)) * grad_scale;
    }
}

// Per-row validation outcome, checked before anything is written: the label first, then the logits.
enum sr_xent_row_status { SR_XENT_ROW_OK = 0, SR_XENT_ROW_BAD_LABEL = 1, SR_XENT_ROW_NONFINITE = 2 };

SR_HD bool sr_xent_label_ok(int32_t label, int64_t classes) { return label >= 0 && (int64_t)label < classes; }

// One whole row on one thread (the host references of sr_softmax_xent and sr_softmax_xent_acc): checks
// the label, then the logits, and on success fills max, sum exp(x - max), the row's loss and hit.
struct sr_xent_row {
    float max;
    float sum;
    double loss;
    bool hit;
};

SR_HD sr_xent_row_status sr_xent_row_eval(const float* row, int32_t label, int64_t classes, sr_xent_row* out) {
    if (!sr_xent_label_ok(label, classes)) return SR_XENT_ROW_BAD_LABEL;
    const sr_xent_max m = sr_xent_scan_max(row, 0, classes, 1);
    if (m.nonfinite) return SR_XENT_ROW_NONFINITE;
    out->max = m.max;
    out->sum = sr_xent_sum_exp(row, 0, classes, 1, m.max);
    out->loss = sr_xent_row_loss(m.max, out->sum, row[label]);
    out->hit = m.arg == (int64_t)label;
    return SR_XENT_ROW_OK;
}

// ---------------------------------------------------------------- sum of squares
SR_HD double sr_square_f32(float x) { return (double)x * (double)x; }
SR_HD double sr_square_bf16(uint16_t h) {
    double v = (double)sr_bf16_to_float(h);
    return v * v;
}

#endif
