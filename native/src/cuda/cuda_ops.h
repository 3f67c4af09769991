// cuda_ops.h — the CUDA implementations behind sr_device_ops (one file per op group, mirroring host/).
#ifndef SR_CUDA_OPS_H
#define SR_CUDA_OPS_H

#include "runtime/device_ops.h"

// context.cu
sr_status sr_cuda_init(sr_env* env, int32_t ordinal);
void sr_cuda_shutdown(sr_env* env);
sr_status sr_cuda_synchronize(sr_env* env);
sr_status sr_cuda_malloc(sr_env* env, size_t bytes, void** out);
sr_status sr_cuda_free(sr_env* env, void* ptr);
sr_status sr_cuda_memcpy(sr_env* env, void* dst, const void* src, size_t bytes, int32_t kind);
sr_status sr_cuda_memset_zero(sr_env* env, void* ptr, size_t bytes);
// masks.cu
sr_status sr_cuda_cast(sr_env* env, int32_t src_dtype, const void* src, int32_t dst_dtype, void* dst, int64_t n);
sr_status sr_cuda_apply_mask(sr_env* env, int32_t dtype, void* w, const uint8_t* mask, int64_t n);
sr_status sr_cuda_count_nonzero_many(sr_env* env, int32_t dtype, int32_t count, const void* const* xs,
                                     const int64_t* sizes, int64_t* per_tensor);
// select.cu
sr_status sr_cuda_select_topk(sr_env* env, int32_t dtype, int32_t count, const void* const* weights,
                              uint8_t* const* masks, const int64_t* sizes, int64_t keep,
                              const int64_t* keep_per_tensor, uint64_t seed, sr_select_report* report);
// nm.cu
sr_status sr_cuda_mask_nm(sr_env* env, int32_t dtype, const void* w, uint8_t* mask, int64_t outer, int64_t k,
                          int64_t inner, int32_t n, int32_t m);
sr_status sr_cuda_mask_transposable_24(sr_env* env, int32_t dtype, const void* w, uint8_t* mask, int64_t outer,
                                       int64_t k, int64_t inner);
sr_status sr_cuda_check_nm(sr_env* env, int32_t dtype, const void* x, int64_t outer, int64_t k, int64_t inner,
                           int32_t n, int32_t m, int64_t* violations);
// compress.cu
sr_status sr_cuda_compress_24(sr_env* env, int32_t dtype, const void* w, const uint8_t* mask, int64_t outer,
                              int64_t k, int64_t inner, void* values, uint8_t* meta);
sr_status sr_cuda_decompress_24(sr_env* env, int32_t dtype, const void* values, const uint8_t* meta, int64_t outer,
                                int64_t k, int64_t inner, void* w);
// optim.cu
sr_status sr_cuda_sgd_step(sr_env* env, float* w, const float* grad, float* buf, const uint8_t* mask, int64_t n,
                           float lr, float momentum, float dampening, float weight_decay, int32_t nesterov,
                           int32_t decoupled_wd, int32_t first_step);
sr_status sr_cuda_adamw_step(sr_env* env, float* w, const float* grad, float* m, float* v, const uint8_t* mask,
                             int64_t n, float lr, float beta1, float beta2, float eps, float weight_decay,
                             int64_t step);
// optim_dev.cu: device-resident step scalars
sr_status sr_cuda_step_scalars_advance(sr_env* env, sr_step_scalars* s, const float* lr_table, int64_t table_len);
sr_status sr_cuda_sgd_step_dev(sr_env* env, float* w, const float* grad, float* buf, const uint8_t* mask, int64_t n,
                               const sr_step_scalars* s, float momentum, float dampening, float weight_decay,
                               int32_t nesterov, int32_t decoupled_wd, int32_t first_step);
sr_status sr_cuda_adamw_step_dev(sr_env* env, float* w, const float* grad, float* m, float* v, const uint8_t* mask,
                                 int64_t n, const sr_step_scalars* s, float beta1, float beta2, float eps,
                                 float weight_decay);
// gemm.cu
sr_status sr_cuda_gemm_bf16(sr_env* env, int32_t trans_a, int32_t trans_b, int64_t m, int64_t n, int64_t k,
                            float alpha, const uint16_t* a, const uint16_t* b, float beta, float* c);
sr_status sr_cuda_gemm_f32(sr_env* env, int32_t trans_a, int32_t trans_b, int64_t m, int64_t n, int64_t k,
                           float alpha, const float* a, const float* b, float beta, float* c);

// layers_pointwise.cu: bias, activations, softmax cross-entropy, dropout, axpby, sum of squares
sr_status sr_cuda_bias_add(sr_env* env, float* y, const float* b, int64_t rows, int64_t cols);
sr_status sr_cuda_bias_grad(sr_env* env, const float* dy, float* db, int64_t rows, int64_t cols, float beta);
sr_status sr_cuda_activation_fwd(sr_env* env, int32_t act, const float* x, float* y, int64_t n);
sr_status sr_cuda_activation_bwd(sr_env* env, int32_t act, const float* x, const float* dy, float* dx, int64_t n);
sr_status sr_cuda_softmax_xent(sr_env* env, const float* logits, const int32_t* labels, int64_t rows, int64_t classes, float grad_scale, float* dlogits, double* loss_sum, int64_t* correct);
sr_status sr_cuda_softmax_xent_acc(sr_env* env, const float* logits, const int32_t* labels, int64_t rows, int64_t classes, float grad_scale, float* dlogits, sr_xent_acc* acc);
sr_status sr_cuda_dropout_fwd_dev(sr_env* env, const float* x, float* y, uint8_t* keep, int64_t n, float p, uint64_t seed, uint32_t* calls);
sr_status sr_cuda_dropout_fwd(sr_env* env, const float* x, float* y, uint8_t* keep, int64_t n, float p, uint64_t seed, uint64_t offset);
sr_status sr_cuda_dropout_bwd(sr_env* env, const float* dy, const uint8_t* keep, float* dx, int64_t n, float p);
sr_status sr_cuda_permute_nhwc(sr_env* env, const float* x, float* y, int64_t b, int64_t h, int64_t w, int64_t c, int32_t to_nchw);
sr_status sr_cuda_axpby(sr_env* env, float a, const float* x, float b, float* y, int64_t n);
sr_status sr_cuda_sum_squares(sr_env* env, int32_t dtype, const void* x, int64_t n, double* out);
// layers_spatial.cu: im2col/col2im, pooling, batch norm
sr_status sr_cuda_im2col_nhwc(sr_env* env, const float* x, float* cols, int64_t b, int64_t h, int64_t w, int64_t c, int32_t kh, int32_t kw, int32_t stride, int32_t pad);
sr_status sr_cuda_col2im_nhwc(sr_env* env, const float* dcols, float* dx, int64_t b, int64_t h, int64_t w, int64_t c, int32_t kh, int32_t kw, int32_t stride, int32_t pad);
sr_status sr_cuda_maxpool_fwd(sr_env* env, const float* x, float* y, int32_t* argmax, int64_t b, int64_t h, int64_t w, int64_t c, int32_t k, int32_t stride, int32_t pad);
sr_status sr_cuda_maxpool_bwd(sr_env* env, const float* dy, const int32_t* argmax, float* dx, int64_t b, int64_t h, int64_t w, int64_t c, int32_t k, int32_t stride, int32_t pad);
sr_status sr_cuda_avgpool_fwd(sr_env* env, const float* x, float* y, int64_t b, int64_t h, int64_t w, int64_t c, int32_t k, int32_t stride, int32_t pad);
sr_status sr_cuda_avgpool_bwd(sr_env* env, const float* dy, float* dx, int64_t b, int64_t h, int64_t w, int64_t c, int32_t k, int32_t stride, int32_t pad);
sr_status sr_cuda_batchnorm_fwd_train(sr_env* env, const float* x, float* y, const float* gamma, const float* beta, float* running_mean, float* running_var, float* save_mean, float* save_invstd, int64_t rows, int64_t c, float momentum, float eps);
sr_status sr_cuda_batchnorm_fwd_eval(sr_env* env, const float* x, float* y, const float* gamma, const float* beta, const float* running_mean, const float* running_var, int64_t rows, int64_t c, float eps);
sr_status sr_cuda_batchnorm_bwd(sr_env* env, const float* x, const float* dy, const float* gamma, const float* save_mean, const float* save_invstd, float* dx, float* dgamma, float* dbeta, int64_t rows, int64_t c);

// activation_bf16.cu, graph.cu (the extension table, sr_device_ext_ops)
sr_status sr_cuda_activation_fwd_bf16(sr_env* env, int32_t act, const uint16_t* x, uint16_t* y, int64_t n);
sr_status sr_cuda_activation_bwd_bf16(sr_env* env, int32_t act, const uint16_t* x, const uint16_t* dy, uint16_t* dx,
                                      int64_t n);
sr_status sr_cuda_graph_begin(sr_env* env);
sr_status sr_cuda_graph_end(sr_env* env, void** exec);
sr_status sr_cuda_graph_launch(sr_env* env, void* exec);
void sr_cuda_graph_destroy(void* exec);

#endif
