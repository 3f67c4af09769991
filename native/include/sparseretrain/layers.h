/*
 * sparseretrain/layers.h — layer kernels of the training engine: bias, activations (F32 and bf16),
 * softmax cross-entropy, im2col / col2im, pooling, batch norm, dropout (RNG offset from the host or
 * from a call counter in the context's memory), NHWC/NCHW, axpby, sums of squares.
 * Part of the C API: sparseretrain.h includes every part and states the conventions they follow.
 */
#ifndef SPARSERETRAIN_LAYERS_H
#define SPARSERETRAIN_LAYERS_H

#include "sparseretrain/base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- layer kernels (training engine)
 * Activations are row-major [rows, cols] F32. Convolutional activations are NHWC: rows = B*H*W,
 * cols = C, so a convolution is im2col + the same GEMM as a Linear layer (Y = cols * W^T) and
 * BatchNorm / bias are per-column. Scalar results go to HOST memory.
 */

typedef enum sr_activation {
    SR_ACT_RELU = 0,
    SR_ACT_GELU = 1 /* exact (erf) GELU, as torch.nn.GELU() */
} sr_activation;

/* y[r, c] += b[c] */
sr_status sr_bias_add(sr_context* ctx, float* y, const float* b, int64_t rows, int64_t cols);
/* db[c] = beta * db[c] + sum_r dy[r, c] (beta 0 overwrites; accumulation in double on host) */
sr_status sr_bias_grad(sr_context* ctx, const float* dy, float* db, int64_t rows, int64_t cols, float beta);
/* y = act(x); y may alias x */
sr_status sr_activation_fwd(sr_context* ctx, int32_t act, const float* x, float* y, int64_t n);
/* dx = dy * act'(x) with x the activation's INPUT; dx may alias dy */
sr_status sr_activation_bwd(sr_context* ctx, int32_t act, const float* x, const float* dy, float* dx,
                            int64_t n);
/*
 * Softmax cross-entropy over the rows of logits [rows, classes] with int32 labels in [0, classes):
 * *loss_sum (host) = sum over rows of -log softmax(logits)[label] (double), *correct (host) = rows
 * whose first maximal logit is the label, and, when dlogits != NULL, dlogits = (softmax - onehot) *
 * grad_scale (e.g. 1/rows for a mean loss). A label outside [0, classes) is SR_ERR_OUT_OF_RANGE
 * naming the row; non-finite logits give SR_ERR_NONFINITE naming the row (the divergence guard).
 */
sr_status sr_softmax_xent(sr_context* ctx, const float* logits, const int32_t* labels, int64_t rows,
                          int64_t classes, float grad_scale, float* dlogits, double* loss_sum,
                          int64_t* correct);
/*
 * im2col for NHWC input x [b, h, w, c] and a square-free kernel kh x kw, stride, zero padding:
 * cols [b*oh*ow, c*kh*kw], column index ci*kh*kw + i*kw + j — the flattening of a PyTorch Conv2d
 * weight [Cout, Cin, kh, kw] — with oh = (h + 2*pad - kh)/stride + 1 (likewise ow).
 */
sr_status sr_im2col_nhwc(sr_context* ctx, const float* x, float* cols, int64_t b, int64_t h, int64_t w,
                         int64_t c, int32_t kh, int32_t kw, int32_t stride, int32_t pad);
/* Adjoint of sr_im2col_nhwc: dx [b, h, w, c] is overwritten with the sum of the dcols entries. */
sr_status sr_col2im_nhwc(sr_context* ctx, const float* dcols, float* dx, int64_t b, int64_t h, int64_t w,
                         int64_t c, int32_t kh, int32_t kw, int32_t stride, int32_t pad);
/*
 * Max pooling NHWC, k x k window, stride, padding (padded cells never win): y [b, oh, ow, c] and
 * argmax [b, oh, ow, c] int32 = flat index (hi*w + wi) within the image of the chosen input (first
 * maximum in window order). Backward overwrites dx [b, h, w, c] with zeros plus the routed dy.
 */
sr_status sr_maxpool_fwd(sr_context* ctx, const float* x, float* y, int32_t* argmax, int64_t b, int64_t h,
                         int64_t w, int64_t c, int32_t k, int32_t stride, int32_t pad);
sr_status sr_maxpool_bwd(sr_context* ctx, const float* dy, const int32_t* argmax, float* dx, int64_t b,
                         int64_t h, int64_t w, int64_t c, int32_t k, int32_t stride, int32_t pad);
/*
 * Average pooling NHWC (count_include_pad = true, as PyTorch's default); global average pooling is
 * k = h = w, stride 1 (h == w required then). Backward overwrites dx.
 */
sr_status sr_avgpool_fwd(sr_context* ctx, const float* x, float* y, int64_t b, int64_t h, int64_t w,
                         int64_t c, int32_t k, int32_t stride, int32_t pad);
sr_status sr_avgpool_bwd(sr_context* ctx, const float* dy, float* dx, int64_t b, int64_t h, int64_t w,
                         int64_t c, int32_t k, int32_t stride, int32_t pad);
/*
 * BatchNorm over the rows of x [rows, c] per column, as torch.nn.BatchNorm (training mode: batch
 * statistics with the biased variance normalise; running_var is updated with the unbiased one:
 * running = (1 - momentum) * running + momentum * batch). save_mean / save_invstd [c] keep what the
 * backward pass needs. Eval mode normalises with the running statistics.
 */
sr_status sr_batchnorm_fwd_train(sr_context* ctx, const float* x, float* y, const float* gamma,
                                 const float* beta, float* running_mean, float* running_var,
                                 float* save_mean, float* save_invstd, int64_t rows, int64_t c,
                                 float momentum, float eps);
sr_status sr_batchnorm_fwd_eval(sr_context* ctx, const float* x, float* y, const float* gamma,
                                const float* beta, const float* running_mean,
                                const float* running_var, int64_t rows, int64_t c, float eps);
/* dx, dgamma, dbeta (overwritten) of the training-mode forward. */
sr_status sr_batchnorm_bwd(sr_context* ctx, const float* x, const float* dy, const float* gamma,
                           const float* save_mean, const float* save_invstd, float* dx, float* dgamma,
                           float* dbeta, int64_t rows, int64_t c);
/*
 * Inverted dropout: keep[i] = philox4x32-10(seed; i + offset) uniform >= p, y = keep ? x/(1-p) : 0.
 * Identical on host and CUDA for (seed, offset). 0 <= p < 1.
 */
sr_status sr_dropout_fwd(sr_context* ctx, const float* x, float* y, uint8_t* keep, int64_t n, float p,
                         uint64_t seed, uint64_t offset);
sr_status sr_dropout_bwd(sr_context* ctx, const float* dy, const uint8_t* keep, float* dx, int64_t n,
                         float p);
/*
 * Layout change between NHWC [b, h, w, c] and NCHW [b, c, h, w] (to_nchw = 1: NHWC -> NCHW, 0: back).
 * Flattening a convolutional activation for a Linear layer goes through NCHW so that the Linear
 * weight has PyTorch's column order (c, h, w). y must not alias x.
 */
sr_status sr_permute_nhwc(sr_context* ctx, const float* x, float* y, int64_t b, int64_t h, int64_t w,
                          int64_t c, int32_t to_nchw);
/* y = a*x + b*y (residual adds, gradient accumulation, scaling) */
sr_status sr_axpby(sr_context* ctx, float a, const float* x, float b, float* y, int64_t n);
/* *out (host) = sum of x[i]^2 in double (dtype F32 or BF16): norms for ALLR and health checks */
sr_status sr_sum_squares(sr_context* ctx, int32_t dtype, const void* x, int64_t n, double* out);

/* ---------------------------------------------------------------- bf16 activations
 * As sr_activation_fwd / sr_activation_bwd (same formulas, common/pointwise.h) on SR_BF16 tensors
 * (uint16 bits): each element is widened to float, computed in float and rounded once to bf16 (round
 * to nearest even). y may alias x; dx may alias dy. Host reference and CUDA kernel.
 */
sr_status sr_activation_fwd_bf16(sr_context* ctx, int32_t act, const void* x, void* y, int64_t n);
sr_status sr_activation_bwd_bf16(sr_context* ctx, int32_t act, const void* x, const void* dy, void* dx, int64_t n);

/* ================================================================ dropout with a device call counter
 * sr_dropout_fwd takes its RNG offset as a host value, which a CUDA Graph would freeze: every replay
 * would draw the same mask. sr_dropout_fwd_dev reads the call counter from the context's memory when it
 * runs (offset = (uint64_t)*calls << 32, so call c draws exactly sr_dropout_fwd's mask for offset c << 32
 * taken modulo 2^64) and then adds 1 to *calls, stream-ordered after the mask is drawn; it is
 * capturable. Checks as sr_dropout_fwd (x, y, keep non-null when n > 0) plus calls non-null and 4-byte
 * aligned; the counter advances even when n == 0. Host and CUDA masks are identical (tests/cuda).
 */
sr_status sr_dropout_fwd_dev(sr_context* ctx, const float* x, float* y, uint8_t* keep, int64_t n, float p,
                             uint64_t seed, uint32_t* calls);

#ifdef __cplusplus
}
#endif

#endif /* SPARSERETRAIN_LAYERS_H */
