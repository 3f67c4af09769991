// api_layers.cpp — layer kernels of the public C API (training engine): argument checks naming the
// call, argument and value, then the context's device implementation.
#include <cmath>
#include <cstdint>
#include "runtime/api_support.h"

namespace {

sr_status check_conv_geometry(sr_context* ctx, const char* call, int64_t b, int64_t h, int64_t w, int64_t c,
                              int32_t kh, int32_t kw, int32_t stride, int32_t pad) {
    SR_REQUIRE(ctx, b >= 0 && h > 0 && w > 0 && c > 0, SR_ERR_SHAPE,
               "%s: input [b=%lld, h=%lld, w=%lld, c=%lld] needs positive h, w, c", call, (long long)b, (long long)h,
               (long long)w, (long long)c);
    SR_REQUIRE(ctx, kh > 0 && kw > 0 && stride > 0 && pad >= 0, SR_ERR_INVALID_ARGUMENT,
               "%s: kernel %dx%d, stride %d, pad %d: kernel and stride must be positive, pad >= 0", call, kh, kw,
               stride, pad);
    SR_REQUIRE(ctx, h + 2 * pad >= kh && w + 2 * pad >= kw, SR_ERR_SHAPE,
               "%s: kernel %dx%d does not fit input %lldx%lld with padding %d", call, kh, kw, (long long)h,
               (long long)w, pad);
    SR_REQUIRE(ctx, pad < kh && pad < kw, SR_ERR_INVALID_ARGUMENT,
               "%s: padding %d must be smaller than the kernel %dx%d (a window would be all padding)", call, pad, kh, kw);
    return SR_OK;
}

}  // namespace

#define SR_LAYER_PROLOGUE(call_name) \
    const char* call = call_name;   \
    SR_CHECK_CTX(ctx, call)

SR_EXPORT sr_status sr_bias_add(sr_context* ctx, float* y, const float* b, int64_t rows, int64_t cols) {
    SR_LAYER_PROLOGUE("sr_bias_add");
    SR_REQUIRE_NONNEG(ctx, call, rows);
    SR_REQUIRE_NONNEG(ctx, call, cols);
    if (rows * cols == 0) return SR_OK;
    SR_REQUIRE_PTR(ctx, call, y);
    SR_REQUIRE_PTR(ctx, call, b);
    return sr_ctx_result(ctx, call, ctx->ops->bias_add(&ctx->env, y, b, rows, cols));
}

SR_EXPORT sr_status sr_bias_grad(sr_context* ctx, const float* dy, float* db, int64_t rows, int64_t cols, float beta) {
    SR_LAYER_PROLOGUE("sr_bias_grad");
    SR_REQUIRE_NONNEG(ctx, call, rows);
    SR_REQUIRE_NONNEG(ctx, call, cols);
    if (cols == 0) return SR_OK;
    SR_REQUIRE_PTR(ctx, call, db);
    SR_REQUIRE(ctx, rows == 0 || dy != nullptr, SR_ERR_INVALID_ARGUMENT, "%s: argument 'dy' is NULL", call);
    return sr_ctx_result(ctx, call, ctx->ops->bias_grad(&ctx->env, dy, db, rows, cols, beta));
}

SR_EXPORT sr_status sr_activation_fwd(sr_context* ctx, int32_t act, const float* x, float* y, int64_t n) {
    SR_LAYER_PROLOGUE("sr_activation_fwd");
    SR_REQUIRE(ctx, act == SR_ACT_RELU || act == SR_ACT_GELU, SR_ERR_INVALID_ARGUMENT,
               "%s: activation %d is neither SR_ACT_RELU (0) nor SR_ACT_GELU (1)", call, act);
    SR_REQUIRE_NONNEG(ctx, call, n);
    if (n == 0) return SR_OK;
    SR_REQUIRE_PTR(ctx, call, x);
    SR_REQUIRE_PTR(ctx, call, y);
    return sr_ctx_result(ctx, call, ctx->ops->activation_fwd(&ctx->env, act, x, y, n));
}

SR_EXPORT sr_status sr_activation_bwd(sr_context* ctx, int32_t act, const float* x, const float* dy, float* dx,
                                      int64_t n) {
    SR_LAYER_PROLOGUE("sr_activation_bwd");
    SR_REQUIRE(ctx, act == SR_ACT_RELU || act == SR_ACT_GELU, SR_ERR_INVALID_ARGUMENT,
               "%s: activation %d is neither SR_ACT_RELU (0) nor SR_ACT_GELU (1)", call, act);
    SR_REQUIRE_NONNEG(ctx, call, n);
    if (n == 0) return SR_OK;
    SR_REQUIRE_PTR(ctx, call, x);
    SR_REQUIRE_PTR(ctx, call, dy);
    SR_REQUIRE_PTR(ctx, call, dx);
    return sr_ctx_result(ctx, call, ctx->ops->activation_bwd(&ctx->env, act, x, dy, dx, n));
}

SR_EXPORT sr_status sr_softmax_xent(sr_context* ctx, const float* logits, const int32_t* labels, int64_t rows,
                                    int64_t classes, float grad_scale, float* dlogits, double* loss_sum,
                                    int64_t* correct) {
    SR_LAYER_PROLOGUE("sr_softmax_xent");
    SR_REQUIRE_PTR(ctx, call, loss_sum);
    SR_REQUIRE_PTR(ctx, call, correct);
    *loss_sum = 0;
    *correct = 0;
    SR_REQUIRE_NONNEG(ctx, call, rows);
    SR_REQUIRE(ctx, classes > 0, SR_ERR_SHAPE, "%s: classes = %lld must be positive", call, (long long)classes);
    SR_REQUIRE(ctx, std::isfinite(grad_scale), SR_ERR_INVALID_ARGUMENT, "%s: grad_scale = %g is not finite", call,
               grad_scale);
    if (rows == 0) return SR_OK;
    SR_REQUIRE_PTR(ctx, call, logits);
    SR_REQUIRE_PTR(ctx, call, labels);
    return sr_ctx_result(ctx, call,
                         ctx->ops->softmax_xent(&ctx->env, logits, labels, rows, classes, grad_scale, dlogits, loss_sum,
                                                correct));
}

// The accumulating, capturable variant: the same argument checks, then the extension table (ABI 6).
// acc's contents are not read here (that would synchronize); only its pointer and alignment.
SR_EXPORT sr_status sr_softmax_xent_acc(sr_context* ctx, const float* logits, const int32_t* labels, int64_t rows,
                                        int64_t classes, float grad_scale, float* dlogits, sr_xent_acc* acc) {
    SR_LAYER_PROLOGUE("sr_softmax_xent_acc");
    SR_REQUIRE_PTR(ctx, call, acc);
    SR_REQUIRE(ctx, reinterpret_cast<uintptr_t>(acc) % alignof(sr_xent_acc) == 0, SR_ERR_INVALID_ARGUMENT,
               "%s: argument 'acc' = %p is not %zu-byte aligned", call, (const void*)acc, alignof(sr_xent_acc));
    SR_REQUIRE_NONNEG(ctx, call, rows);
    SR_REQUIRE(ctx, classes > 0, SR_ERR_SHAPE, "%s: classes = %lld must be positive", call, (long long)classes);
    SR_REQUIRE(ctx, std::isfinite(grad_scale), SR_ERR_INVALID_ARGUMENT, "%s: grad_scale = %g is not finite", call,
               grad_scale);
    if (rows == 0) return SR_OK;
    SR_REQUIRE_PTR(ctx, call, logits);
    SR_REQUIRE_PTR(ctx, call, labels);
    const sr_device_ext_ops* ext = sr_ctx_ext_ops(ctx, call);
    if (ext == nullptr) return SR_ERR_NOT_AVAILABLE;
    return sr_ctx_result(ctx, call,
                         ext->softmax_xent_acc(&ctx->env, logits, labels, rows, classes, grad_scale, dlogits, acc));
}

SR_EXPORT sr_status sr_im2col_nhwc(sr_context* ctx, const float* x, float* cols, int64_t b, int64_t h, int64_t w,
                                   int64_t c, int32_t kh, int32_t kw, int32_t stride, int32_t pad) {
    SR_LAYER_PROLOGUE("sr_im2col_nhwc");
    sr_status st = check_conv_geometry(ctx, call, b, h, w, c, kh, kw, stride, pad);
    if (st != SR_OK || b == 0) return st;
    SR_REQUIRE_PTR(ctx, call, x);
    SR_REQUIRE_PTR(ctx, call, cols);
    return sr_ctx_result(ctx, call, ctx->ops->im2col_nhwc(&ctx->env, x, cols, b, h, w, c, kh, kw, stride, pad));
}

SR_EXPORT sr_status sr_col2im_nhwc(sr_context* ctx, const float* dcols, float* dx, int64_t b, int64_t h, int64_t w,
                                   int64_t c, int32_t kh, int32_t kw, int32_t stride, int32_t pad) {
    SR_LAYER_PROLOGUE("sr_col2im_nhwc");
    sr_status st = check_conv_geometry(ctx, call, b, h, w, c, kh, kw, stride, pad);
    if (st != SR_OK || b == 0) return st;
    SR_REQUIRE_PTR(ctx, call, dcols);
    SR_REQUIRE_PTR(ctx, call, dx);
    return sr_ctx_result(ctx, call, ctx->ops->col2im_nhwc(&ctx->env, dcols, dx, b, h, w, c, kh, kw, stride, pad));
}

SR_EXPORT sr_status sr_maxpool_fwd(sr_context* ctx, const float* x, float* y, int32_t* argmax, int64_t b, int64_t h,
                                   int64_t w, int64_t c, int32_t k, int32_t stride, int32_t pad) {
    SR_LAYER_PROLOGUE("sr_maxpool_fwd");
    sr_status st = check_conv_geometry(ctx, call, b, h, w, c, k, k, stride, pad);
    if (st != SR_OK || b == 0) return st;
    SR_REQUIRE_PTR(ctx, call, x);
    SR_REQUIRE_PTR(ctx, call, y);
    SR_REQUIRE_PTR(ctx, call, argmax);
    return sr_ctx_result(ctx, call, ctx->ops->maxpool_fwd(&ctx->env, x, y, argmax, b, h, w, c, k, stride, pad));
}

SR_EXPORT sr_status sr_maxpool_bwd(sr_context* ctx, const float* dy, const int32_t* argmax, float* dx, int64_t b,
                                   int64_t h, int64_t w, int64_t c, int32_t k, int32_t stride, int32_t pad) {
    SR_LAYER_PROLOGUE("sr_maxpool_bwd");
    sr_status st = check_conv_geometry(ctx, call, b, h, w, c, k, k, stride, pad);
    if (st != SR_OK || b == 0) return st;
    SR_REQUIRE_PTR(ctx, call, dy);
    SR_REQUIRE_PTR(ctx, call, argmax);
    SR_REQUIRE_PTR(ctx, call, dx);
    return sr_ctx_result(ctx, call, ctx->ops->maxpool_bwd(&ctx->env, dy, argmax, dx, b, h, w, c, k, stride, pad));
}

SR_EXPORT sr_status sr_avgpool_fwd(sr_context* ctx, const float* x, float* y, int64_t b, int64_t h, int64_t w,
                                   int64_t c, int32_t k, int32_t stride, int32_t pad) {
    SR_LAYER_PROLOGUE("sr_avgpool_fwd");
    sr_status st = check_conv_geometry(ctx, call, b, h, w, c, k, k, stride, pad);
    if (st != SR_OK || b == 0) return st;
    SR_REQUIRE_PTR(ctx, call, x);
    SR_REQUIRE_PTR(ctx, call, y);
    return sr_ctx_result(ctx, call, ctx->ops->avgpool_fwd(&ctx->env, x, y, b, h, w, c, k, stride, pad));
}

SR_EXPORT sr_status sr_avgpool_bwd(sr_context* ctx, const float* dy, float* dx, int64_t b, int64_t h, int64_t w,
                                   int64_t c, int32_t k, int32_t stride, int32_t pad) {
    SR_LAYER_PROLOGUE("sr_avgpool_bwd");
    sr_status st = check_conv_geometry(ctx, call, b, h, w, c, k, k, stride, pad);
    if (st != SR_OK || b == 0) return st;
    SR_REQUIRE_PTR(ctx, call, dy);
    SR_REQUIRE_PTR(ctx, call, dx);
    return sr_ctx_result(ctx, call, ctx->ops->avgpool_bwd(&ctx->env, dy, dx, b, h, w, c, k, stride, pad));
}

SR_EXPORT sr_status sr_batchnorm_fwd_train(sr_context* ctx, const float* x, float* y, const float* gamma,
                                           const float* beta, float* running_mean, float* running_var,
                                           float* save_mean, float* save_invstd, int64_t rows, int64_t c,
                                           float momentum, float eps) {
    SR_LAYER_PROLOGUE("sr_batchnorm_fwd_train");
    SR_REQUIRE(ctx, rows > 1 && c > 0, SR_ERR_SHAPE,
               "%s: [rows=%lld, c=%lld]: training-mode batch norm needs more than one value per channel", call,
               (long long)rows, (long long)c);
    SR_REQUIRE(ctx, momentum >= 0 && momentum <= 1, SR_ERR_INVALID_ARGUMENT, "%s: momentum = %g is not in [0, 1]",
               call, momentum);
    SR_REQUIRE(ctx, eps > 0 && std::isfinite(eps), SR_ERR_INVALID_ARGUMENT, "%s: eps = %g must be positive", call, eps);
    SR_REQUIRE_PTR(ctx, call, x);
    SR_REQUIRE_PTR(ctx, call, y);
    SR_REQUIRE_PTR(ctx, call, gamma);
    SR_REQUIRE_PTR(ctx, call, beta);
    SR_REQUIRE_PTR(ctx, call, running_mean);
    SR_REQUIRE_PTR(ctx, call, running_var);
    SR_REQUIRE_PTR(ctx, call, save_mean);
    SR_REQUIRE_PTR(ctx, call, save_invstd);
    return sr_ctx_result(ctx, call,
                         ctx->ops->batchnorm_fwd_train(&ctx->env, x, y, gamma, beta, running_mean, running_var,
                                                       save_mean, save_invstd, rows, c, momentum, eps));
}

SR_EXPORT sr_status sr_batchnorm_fwd_eval(sr_context* ctx, const float* x, float* y, const float* gamma,
                                          const float* beta, const float* running_mean, const float* running_var,
                                          int64_t rows, int64_t c, float eps) {
    SR_LAYER_PROLOGUE("sr_batchnorm_fwd_eval");
    SR_REQUIRE(ctx, rows >= 0 && c > 0, SR_ERR_SHAPE, "%s: [rows=%lld, c=%lld] needs c > 0", call, (long long)rows,
               (long long)c);
    SR_REQUIRE(ctx, eps > 0 && std::isfinite(eps), SR_ERR_INVALID_ARGUMENT, "%s: eps = %g must be positive", call, eps);
    if (rows == 0) return SR_OK;
    SR_REQUIRE_PTR(ctx, call, x);
    SR_REQUIRE_PTR(ctx, call, y);
    SR_REQUIRE_PTR(ctx, call, gamma);
    SR_REQUIRE_PTR(ctx, call, beta);
    SR_REQUIRE_PTR(ctx, call, running_mean);
    SR_REQUIRE_PTR(ctx, call, running_var);
    return sr_ctx_result(ctx, call,
                         ctx->ops->batchnorm_fwd_eval(&ctx->env, x, y, gamma, beta, running_mean, running_var, rows, c,
                                                      eps));
}

SR_EXPORT sr_status sr_batchnorm_bwd(sr_context* ctx, const float* x, const float* dy, const float* gamma,
                                     const float* save_mean, const float* save_invstd, float* dx, float* dgamma,
                                     float* dbeta, int64_t rows, int64_t c) {
    SR_LAYER_PROLOGUE("sr_batchnorm_bwd");
    SR_REQUIRE(ctx, rows > 1 && c > 0, SR_ERR_SHAPE, "%s: [rows=%lld, c=%lld] needs rows > 1 and c > 0", call,
               (long long)rows, (long long)c);
    SR_REQUIRE_PTR(ctx, call, x);
    SR_REQUIRE_PTR(ctx, call, dy);
    SR_REQUIRE_PTR(ctx, call, gamma);
    SR_REQUIRE_PTR(ctx, call, save_mean);
    SR_REQUIRE_PTR(ctx, call, save_invstd);
    SR_REQUIRE_PTR(ctx, call, dx);
    SR_REQUIRE_PTR(ctx, call, dgamma);
    SR_REQUIRE_PTR(ctx, call, dbeta);
    return sr_ctx_result(ctx, call,
                         ctx->ops->batchnorm_bwd(&ctx->env, x, dy, gamma, save_mean, save_invstd, dx, dgamma, dbeta,
                                                 rows, c));
}

SR_EXPORT sr_status sr_dropout_fwd(sr_context* ctx, const float* x, float* y, uint8_t* keep, int64_t n, float p,
                                   uint64_t seed, uint64_t offset) {
    SR_LAYER_PROLOGUE("sr_dropout_fwd");
    SR_REQUIRE_NONNEG(ctx, call, n);
    SR_REQUIRE(ctx, p >= 0 && p < 1, SR_ERR_INVALID_ARGUMENT, "%s: p = %g is not in [0, 1)", call, p);
    if (n == 0) return SR_OK;
    SR_REQUIRE_PTR(ctx, call, x);
    SR_REQUIRE_PTR(ctx, call, y);
    SR_REQUIRE_PTR(ctx, call, keep);
    return sr_ctx_result(ctx, call, ctx->ops->dropout_fwd(&ctx->env, x, y, keep, n, p, seed, offset));
}

// The capturable variant (ABI 7): the same checks, the counter's pointer and alignment (its value is
// read when the op runs, which may be a graph replay). The counter advances even for n = 0.
SR_EXPORT sr_status sr_dropout_fwd_dev(sr_context* ctx, const float* x, float* y, uint8_t* keep, int64_t n, float p,
                                       uint64_t seed, uint32_t* calls) {
    SR_LAYER_PROLOGUE("sr_dropout_fwd_dev");
    SR_REQUIRE_NONNEG(ctx, call, n);
    SR_REQUIRE(ctx, p >= 0 && p < 1, SR_ERR_INVALID_ARGUMENT, "%s: p = %g is not in [0, 1)", call, p);
    SR_REQUIRE_PTR(ctx, call, calls);
    SR_REQUIRE(ctx, reinterpret_cast<uintptr_t>(calls) % alignof(uint32_t) == 0, SR_ERR_INVALID_ARGUMENT,
               "%s: argument 'calls' = %p is not %zu-byte aligned", call, (const void*)calls, alignof(uint32_t));
    if (n > 0) {
        SR_REQUIRE_PTR(ctx, call, x);
        SR_REQUIRE_PTR(ctx, call, y);
        SR_REQUIRE_PTR(ctx, call, keep);
    }
    const sr_device_ext_ops* ext = sr_ctx_ext_ops(ctx, call);
    if (ext == nullptr) return SR_ERR_NOT_AVAILABLE;
    return sr_ctx_result(ctx, call, ext->dropout_fwd_dev(&ctx->env, x, y, keep, n, p, seed, calls));
}

SR_EXPORT sr_status sr_dropout_bwd(sr_context* ctx, const float* dy, const uint8_t* keep, float* dx, int64_t n,
                                   float p) {
    SR_LAYER_PROLOGUE("sr_dropout_bwd");
    SR_REQUIRE_NONNEG(ctx, call, n);
    SR_REQUIRE(ctx, p >= 0 && p < 1, SR_ERR_INVALID_ARGUMENT, "%s: p = %g is not in [0, 1)", call, p);
    if (n == 0) return SR_OK;
    SR_REQUIRE_PTR(ctx, call, dy);
    SR_REQUIRE_PTR(ctx, call, keep);
    SR_REQUIRE_PTR(ctx, call, dx);
    return sr_ctx_result(ctx, call, ctx->ops->dropout_bwd(&ctx->env, dy, keep, dx, n, p));
}

SR_EXPORT sr_status sr_permute_nhwc(sr_context* ctx, const float* x, float* y, int64_t b, int64_t h, int64_t w,
                                    int64_t c, int32_t to_nchw) {
    SR_LAYER_PROLOGUE("sr_permute_nhwc");
    SR_REQUIRE(ctx, b >= 0 && h >= 0 && w >= 0 && c >= 0, SR_ERR_SHAPE,
               "%s: shape [b=%lld, h=%lld, w=%lld, c=%lld] has a negative dimension", call, (long long)b, (long long)h,
               (long long)w, (long long)c);
    if (b * h * w * c == 0) return SR_OK;
    SR_REQUIRE_PTR(ctx, call, x);
    SR_REQUIRE_PTR(ctx, call, y);
    SR_REQUIRE(ctx, x != y, SR_ERR_INVALID_ARGUMENT, "%s: y must not alias x", call);
    return sr_ctx_result(ctx, call, ctx->ops->permute_nhwc(&ctx->env, x, y, b, h, w, c, to_nchw));
}

SR_EXPORT sr_status sr_axpby(sr_context* ctx, float a, const float* x, float b, float* y, int64_t n) {
    SR_LAYER_PROLOGUE("sr_axpby");
    SR_REQUIRE_NONNEG(ctx, call, n);
    if (n == 0) return SR_OK;
    SR_REQUIRE_PTR(ctx, call, x);
    SR_REQUIRE_PTR(ctx, call, y);
    return sr_ctx_result(ctx, call, ctx->ops->axpby(&ctx->env, a, x, b, y, n));
}

SR_EXPORT sr_status sr_sum_squares(sr_context* ctx, int32_t dtype, const void* x, int64_t n, double* out) {
    SR_LAYER_PROLOGUE("sr_sum_squares");
    SR_REQUIRE_PTR(ctx, call, out);
    *out = 0;
    SR_REQUIRE(ctx, sr_is_float_dtype(dtype), SR_ERR_DTYPE, "%s: dtype = %d is not SR_F32 or SR_BF16", call, dtype);
    SR_REQUIRE_NONNEG(ctx, call, n);
    if (n == 0) return SR_OK;
    SR_REQUIRE_PTR(ctx, call, x);
    return sr_ctx_result(ctx, call, ctx->ops->sum_squares(&ctx->env, dtype, x, n, out));
}
