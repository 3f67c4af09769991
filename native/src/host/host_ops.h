// host_ops.h — the host reference implementations behind sr_device_ops (one file per op group).
#ifndef SR_HOST_OPS_H
#define SR_HOST_OPS_H

#include "runtime/device_ops.h"

// memory.cpp
sr_status sr_host_init(sr_env* env, int32_t ordinal);
void sr_host_shutdown(sr_env* env);
sr_status sr_host_synchronize(sr_env* env);
sr_status sr_host_malloc(sr_env* env, size_t bytes, void** out);
sr_status sr_host_free(sr_env* env, void* ptr);
sr_status sr_host_memcpy(sr_env* env, void* dst, const void* src, size_t bytes, int32_t kind);
sr_status sr_host_memset_zero(sr_env* env, void* ptr, size_t bytes);
sr_status sr_host_cast(sr_env* env, int32_t src_dtype, const void* src, int32_t dst_dtype, void* dst, int64_t n);
// masks.cpp
sr_status sr_host_apply_mask(sr_env* env, int32_t dtype, void* w, const uint8_t* mask, int64_t n);
sr_status sr_host_count_nonzero_many(sr_env* env, int32_t dtype, int32_t count, const void* const* xs,
                                     const int64_t* sizes, int64_t* per_tensor);
// select.cpp
sr_status sr_host_select_topk(sr_env* env, int32_t dtype, int32_t count, const void* const* weights,
                              uint8_t* const* masks, const int64_t* sizes, int64_t keep,
                              const int64_t* keep_per_tensor, uint64_t seed, sr_select_report* report);
// nm.cpp
sr_status sr_host_mask_nm(sr_env* env, int32_t dtype, const void* w, uint8_t* mask, int64_t outer, int64_t k,
                          int64_t inner, int32_t n, int32_t m);
sr_status sr_host_mask_transposable_24(sr_env* env, int32_t dtype, const void* w, uint8_t* mask, int64_t outer,
                                       int64_t k, int64_t inner);
sr_status sr_host_check_nm(sr_env* env, int32_t dtype, const void* x, int64_t outer, int64_t k, int64_t inner,
                           int32_t n, int32_t m, int64_t* violations);
// compress.cpp
sr_status sr_host_compress_24(sr_env* env, int32_t dtype, const void* w, const uint8_t* mask, int64_t outer,
                              int64_t k, int64_t inner, void* values, uint8_t* meta);
sr_status sr_host_decompress_24(sr_env* env, int32_t dtype, const void* values, const uint8_t* meta, int64_t outer,
                                int64_t k, int64_t inner, void* w);
// optim.cpp
sr_status sr_host_sgd_step(sr_env* env, float* w, const float* grad, float* buf, const uint8_t* mask, int64_t n,
                           float lr, float momentum, float dampening, float weight_decay, int32_t nesterov,
                           int32_t decoupled_wd, int32_t first_step);
sr_status sr_host_adamw_step(sr_env* env, float* w, const float* grad, float* m, float* v, const uint8_t* mask,
                             int64_t n, float lr, float beta1, float beta2, float eps, float weight_decay,
                             int64_t step);
// optim_dev.cpp: the device-resident-scalar steps (extension table, host_ops.cpp)
sr_status sr_host_step_scalars_advance(sr_env* env, sr_step_scalars* s, const float* lr_table, int64_t table_len);
sr_status sr_host_sgd_step_dev(sr_env* env, float* w, const float* grad, float* buf, const uint8_t* mask, int64_t n,
                               const sr_step_scalars* s, float momentum, float dampening, float weight_decay,
                               int32_t nesterov, int32_t decoupled_wd, int32_t first_step);
sr_status sr_host_adamw_step_dev(sr_env* env, float* w, const float* grad, float* m, float* v, const uint8_t* mask,
                                 int64_t n, const sr_step_scalars* s, float beta1, float beta2, float eps,
                                 float weight_decay);
// sparse_gemm.cpp: the 2:4 sparse GEMM plans of host contexts, behind the cuSPARSELt seam (runtime/lt_ops.h)
struct sr_lt_ops;
const sr_lt_ops* sr_host_lt_ops(void);
// gemm_bf16.cpp
sr_status sr_host_gemm_bf16(sr_env* env, int32_t trans_a, int32_t trans_b, int64_t m, int64_t n, int64_t k, float alpha,
                            const uint16_t* a, const uint16_t* b, float beta, float* c);
// gemm.cpp
sr_status sr_host_gemm_f32(sr_env* env, int32_t trans_a, int32_t trans_b, int64_t m, int64_t n, int64_t k,
                           float alpha, const float* a, const float* b, float beta, float* c);

// layers_pointwise.cpp: bias, activations, softmax cross-entropy, dropout, axpby, sum of squares
sr_status sr_host_bias_add(sr_env* env, float* y, const float* b, int64_t rows, int64_t cols);
sr_status sr_host_bias_grad(sr_env* env, const float* dy, float* db, int64_t rows, int64_t cols, float beta);
sr_status sr_host_activation_fwd(sr_env* env, int32_t act, const float* x, float* y, int64_t n);
sr_status sr_host_activation_bwd(sr_env* env, int32_t act, const float* x, const float* dy, float* dx, int64_t n);
sr_status sr_host_activation_fwd_bf16(sr_env* env, int32_t act, const uint16_t* x, uint16_t* y, int64_t n);
sr_status sr_host_activation_bwd_bf16(sr_env* env, int32_t act, const uint16_t* x, const uint16_t* dy, uint16_t* dx, int64_t n);
sr_status sr_host_softmax_xent(sr_env* env, const float* logits, const int32_t* labels, int64_t rows, int64_t classes, float grad_scale, float* dlogits, double* loss_sum, int64_t* correct);
sr_status sr_host_softmax_xent_acc(sr_env* env, const float* logits, const int32_t* labels, int64_t rows, int64_t classes, float grad_scale, float* dlogits, sr_xent_acc* acc);
sr_status sr_host_dropout_fwd(sr_env* env, const float* x, float* y, uint8_t* keep, int64_t n, float p, uint64_t seed, uint64_t offset);
sr_status sr_host_dropout_fwd_dev(sr_env* env, const float* x, float* y, uint8_t* keep, int64_t n, float p, uint64_t seed, uint32_t* calls);
sr_status sr_host_dropout_bwd(sr_env* env, const float* dy, const uint8_t* keep, float* dx, int64_t n, float p);
sr_status sr_host_permute_nhwc(sr_env* env, const float* x, float* y, int64_t b, int64_t h, int64_t w, int64_t c, int32_t to_nchw);
sr_status sr_host_axpby(sr_env* env, float a, const float* x, float b, float* y, int64_t n);
sr_status sr_host_sum_squares(sr_env* env, int32_t dtype, const void* x, int64_t n, double* out);
// layers_spatial.cpp: im2col/col2im, pooling, batch norm
sr_status sr_host_im2col_nhwc(sr_env* env, const float* x, float* cols, int64_t b, int64_t h, int64_t w, int64_t c, int32_t kh, int32_t kw, int32_t stride, int32_t pad);
sr_status sr_host_col2im_nhwc(sr_env* env, const float* dcols, float* dx, int64_t b, int64_t h, int64_t w, int64_t c, int32_t kh, int32_t kw, int32_t stride, int32_t pad);
sr_status sr_host_maxpool_fwd(sr_env* env, const float* x, float* y, int32_t* argmax, int64_t b, int64_t h, int64_t w, int64_t c, int32_t k, int32_t stride, int32_t pad);
sr_status sr_host_maxpool_bwd(sr_env* env, const float* dy, const int32_t* argmax, float* dx, int64_t b, int64_t h, int64_t w, int64_t c, int32_t k, int32_t stride, int32_t pad);
sr_status sr_host_avgpool_fwd(sr_env* env, const float* x, float* y, int64_t b, int64_t h, int64_t w, int64_t c, int32_t k, int32_t stride, int32_t pad);
sr_status sr_host_avgpool_bwd(sr_env* env, const float* dy, float* dx, int64_t b, int64_t h, int64_t w, int64_t c, int32_t k, int32_t stride, int32_t pad);
sr_status sr_host_batchnorm_fwd_train(sr_env* env, const float* x, float* y, const float* gamma, const float* beta, float* running_mean, float* running_var, float* save_mean, float* save_invstd, int64_t rows, int64_t c, float momentum, float eps);
sr_status sr_host_batchnorm_fwd_eval(sr_env* env, const float* x, float* y, const float* gamma, const float* beta, const float* running_mean, const float* running_var, int64_t rows, int64_t c, float eps);
sr_status sr_host_batchnorm_bwd(sr_env* env, const float* x, const float* dy, const float* gamma, const float* save_mean, const float* save_invstd, float* dx, float* dgamma, float* dbeta, int64_t rows, int64_t c);

#endif
