// layers_pointwise.cpp — host reference of the pointwise layer kernels: bias add / gradient,
// ReLU / GELU forward and backward, softmax cross-entropy, inverted dropout, axpby and the sum of
// squares. Single-threaded plain loops; the per-element and per-row formulas are common/pointwise.h,
// the code the CUDA kernels run. Arguments arrive checked by runtime/api_layers.cpp.
#include <algorithm>
#include <vector>
#include "common/bf16.h"
#include "common/pointwise.h"
#include "host/host_ops.h"

// y[rows, cols] += b[cols]
sr_status sr_host_bias_add(sr_env*, float* y, const float* b, int64_t rows, int64_t cols) {
    for (int64_t r = 0; r < rows; ++r) {
        float* yr = y + r * cols;
        for (int64_t c = 0; c < cols; ++c) yr[c] += b[c];
    }
    return SR_OK;
}

// db[cols] = beta * db + column sums of dy[rows, cols]; row-major walk with one double accumulator
// per column, so the summation order is r = 0, 1, ... for every column.
sr_status sr_host_bias_grad(sr_env*, const float* dy, float* db, int64_t rows, int64_t cols, float beta) {
    std::vector<double> acc((size_t)cols, 0.0);
    for (int64_t r = 0; r < rows; ++r) {
        const float* dr = dy + r * cols;
        for (int64_t c = 0; c < cols; ++c) acc[(size_t)c] += (double)dr[c];
    }
    for (int64_t c = 0; c < cols; ++c) db[c] = sr_bias_grad_finish(beta, db[c], acc[(size_t)c]);
    return SR_OK;
}

// y[n] = act(x[n]); y may alias x.
sr_status sr_host_activation_fwd(sr_env*, int32_t act, const float* x, float* y, int64_t n) {
    if (act == SR_ACT_RELU) {
        for (int64_t i = 0; i < n; ++i) y[i] = sr_act_fwd(SR_ACT_RELU, x[i]);  // constant act: vectorizes
    } else {
        for (int64_t i = 0; i < n; ++i) y[i] = sr_act_fwd(SR_ACT_GELU, x[i]);
    }
    return SR_OK;
}

// dx[n] = dy * act'(x); dx may alias dy.
sr_status sr_host_activation_bwd(sr_env*, int32_t act, const float* x, const float* dy, float* dx, int64_t n) {
    if (act == SR_ACT_RELU) {
        for (int64_t i = 0; i < n; ++i) dx[i] = sr_act_bwd(SR_ACT_RELU, x[i], dy[i]);
    } else {
        for (int64_t i = 0; i < n; ++i) dx[i] = sr_act_bwd(SR_ACT_GELU, x[i], dy[i]);
    }
    return SR_OK;
}

// bf16 activations: y[i] = bf16(act(float(x[i]))) — widened, the shared float formula, rounded once
// (the CUDA kernel does the same per element). y may alias x.
sr_status sr_host_activation_fwd_bf16(sr_env*, int32_t act, const uint16_t* x, uint16_t* y, int64_t n) {
    for (int64_t i = 0; i < n; ++i) y[i] = sr_float_to_bf16(sr_act_fwd(act, sr_bf16_to_float(x[i])));
    return SR_OK;
}

// dx[i] = bf16(dy * act'(x)) in float; dx may alias dy.
sr_status sr_host_activation_bwd_bf16(sr_env*, int32_t act, const uint16_t* x, const uint16_t* dy, uint16_t* dx, int64_t n) {
    for (int64_t i = 0; i < n; ++i)
        dx[i] = sr_float_to_bf16(sr_act_bwd(act, sr_bf16_to_float(x[i]), sr_bf16_to_float(dy[i])));
    return SR_OK;
}

// logits [rows, classes], labels [rows]. Pass 1 validates every row (label, then finiteness) and
// keeps each row's max and sum exp(x - max); only when all rows pass does pass 2 write dlogits, so
// an error leaves dlogits untouched.
sr_status sr_host_softmax_xent(sr_env* env, const float* logits, const int32_t* labels, int64_t rows,
                               int64_t classes, float grad_scale, float* dlogits, double* loss_sum,
                               int64_t* correct) {
    std::vector<float> row_max((size_t)rows), row_sum((size_t)rows);
    double loss = 0.0;
    int64_t hits = 0;
    for (int64_t r = 0; r < rows; ++r) {
        const int32_t label = labels[r];
        sr_xent_row x;
        const sr_xent_row_status code = sr_xent_row_eval(logits + r * classes, label, classes, &x);
        if (code == SR_XENT_ROW_BAD_LABEL)
            return sr_fail(env, SR_ERR_OUT_OF_RANGE, "row %lld: label %d is outside [0, %lld)", (long long)r, label,
                           (long long)classes);
        if (code == SR_XENT_ROW_NONFINITE)
            return sr_fail(env, SR_ERR_NONFINITE, "row %lld: logits contain NaN or Inf (training diverged?)",
                           (long long)r);
        row_max[(size_t)r] = x.max;
        row_sum[(size_t)r] = x.sum;
        loss += x.loss;
        hits += x.hit;
    }
    if (dlogits != nullptr)
        for (int64_t r = 0; r < rows; ++r)
            sr_xent_write_grad(logits + r * classes, dlogits + r * classes, 0, classes, 1, row_max[(size_t)r],
                               1.0f / row_sum[(size_t)r], labels[r], grad_scale);
    *loss_sum = loss;
    *correct = hits;
    return SR_OK;
}

// The accumulating variant (sparseretrain/xent_acc.h): the same per-row evaluation, but a bad row
// sets a sticky flag, adds nothing and gets a zero dlogits row instead of failing the call. The batch's
// loss is summed in row order and then added, as a caller summing sr_softmax_xent's results would.
sr_status sr_host_softmax_xent_acc(sr_env*, const float* logits, const int32_t* labels, int64_t rows,
                                   int64_t classes, float grad_scale, float* dlogits, sr_xent_acc* acc) {
    double loss = 0.0;
    int64_t hits = 0, valid = 0;
    int32_t error = 0;
    for (int64_t r = 0; r < rows; ++r) {
        const float* row = logits + r * classes;
        sr_xent_row x;
        const sr_xent_row_status code = sr_xent_row_eval(row, labels[r], classes, &x);
        if (code != SR_XENT_ROW_OK) {
            error |= code == SR_XENT_ROW_BAD_LABEL ? SR_XENT_ACC_BAD_LABEL : SR_XENT_ACC_NONFINITE;
            if (dlogits != nullptr) std::fill(dlogits + r * classes, dlogits + (r + 1) * classes, 0.0f);
            continue;
        }
        loss += x.loss;
        hits += x.hit;
        ++valid;
        if (dlogits != nullptr)
            sr_xent_write_grad(row, dlogits + r * classes, 0, classes, 1, x.max, 1.0f / x.sum, labels[r], grad_scale);
    }
    acc->loss_sum += loss;
    acc->correct += hits;
    acc->rows += valid;
    acc->error |= error;
    return SR_OK;
}

// y = keep ? x / (1 - p) : 0 with keep from philox (common/pointwise.h), keep[n] as 0/1 bytes.
sr_status sr_host_dropout_fwd(sr_env*, const float* x, float* y, uint8_t* keep, int64_t n, float p, uint64_t seed,
                              uint64_t offset) {
    const float scale = sr_dropout_scale(p);
    for (int64_t i = 0; i < n; ++i) {
        const bool k = sr_dropout_keep(seed, offset, i, p);
        keep[i] = (uint8_t)k;
        y[i] = sr_dropout_apply(k, x[i], scale);
    }
    return SR_OK;
}

// dx = keep ? dy / (1 - p) : 0; dx may alias dy.
// The counter is a uint32 so that (calls << 32) wraps exactly as the host-offset path's 64-bit shift does.
sr_status sr_host_dropout_fwd_dev(sr_env* env, const float* x, float* y, uint8_t* keep, int64_t n, float p,
                                  uint64_t seed, uint32_t* calls) {
    const sr_status st = sr_host_dropout_fwd(env, x, y, keep, n, p, seed, (uint64_t)*calls << 32);
    if (st == SR_OK) *calls += 1u;
    return st;
}

sr_status sr_host_dropout_bwd(sr_env*, const float* dy, const uint8_t* keep, float* dx, int64_t n, float p) {
    const float scale = sr_dropout_scale(p);
    for (int64_t i = 0; i < n; ++i) dx[i] = sr_dropout_apply(keep[i] != 0, dy[i], scale);
    return SR_OK;
}

// y[n] = a*x + b*y (b == 0 overwrites y).
sr_status sr_host_axpby(sr_env*, float a, const float* x, float b, float* y, int64_t n) {
    for (int64_t i = 0; i < n; ++i) y[i] = sr_axpby_elem(a, x[i], b, y[i]);
    return SR_OK;
}

// *out = sum x[i]^2 in double. Four interleaved accumulators break the add dependency chain (the
// order is fixed, so the result is reproducible).
template <typename T, double (*Square)(T)>
double sum_squares_of(const T* x, int64_t n) {
    double acc[4] = {0.0, 0.0, 0.0, 0.0};
    int64_t i = 0;
    for (; i + 4 <= n; i += 4)
        for (int k = 0; k < 4; ++k) acc[k] += Square(x[i + k]);
    for (; i < n; ++i) acc[0] += Square(x[i]);
    return (acc[0] + acc[1]) + (acc[2] + acc[3]);
}

sr_status sr_host_sum_squares(sr_env*, int32_t dtype, const void* x, int64_t n, double* out) {
    if (dtype == SR_F32) *out = sum_squares_of<float, sr_square_f32>(static_cast<const float*>(x), n);
    else *out = sum_squares_of<uint16_t, sr_square_bf16>(static_cast<const uint16_t*>(x), n);
    return SR_OK;
}
