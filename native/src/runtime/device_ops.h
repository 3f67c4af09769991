// device_ops.h — the internal seam between the C API (runtime/api_*.cpp) and one device's
// implementations: the host reference (host/) or the CUDA library (cuda/, dlopen'ed). Not public:
// the public door is include/sparseretrain.h. Arguments reach these functions already checked for
// null pointers, negative sizes and dtypes; what needs the data (NaN, patterns) is checked here.
#ifndef SR_DEVICE_OPS_H
#define SR_DEVICE_OPS_H

#include <cstdarg>
#include <cstdio>
#include <cstdint>
#include "sparseretrain.h"

// Per-context state handed to every device op: the device's own state, its stream and a buffer for
// the error message. Both libraries compile the helpers below, so no symbol crosses the dlopen.
struct sr_env {
    void* device_state = nullptr;  // owned by the device library (CUDA: stream, cuBLAS, workspace)
    void* stream = nullptr;        // cudaStream_t on CUDA
    int32_t ordinal = -1;
    char error[1024] = {0};
};

// Writes "call: message" into env->error and returns status.
inline sr_status sr_fail(sr_env* env, sr_status status, const char* fmt, ...) {
    va_list args;
    va_start(args, fmt);
    std::vsnprintf(env->error, sizeof env->error, fmt, args);
    va_end(args);
    return status;
}

// Bump when a table changes: the core refuses a CUDA library built against another layout.
// 3: sr_device_ext_ops (bf16 activations, CUDA Graphs) beside sr_device_ops.
// 4: gemm_bf16 at the end of sr_device_ext_ops.
// 5: device-resident step scalars (advance, SGD and AdamW reading lr/step from memory) at its end.
// 6: softmax_xent_acc (accumulating, capturable cross-entropy) at the end of sr_device_ext_ops.
// 7: dropout_fwd_dev (dropout whose call counter lives in the context's memory) at its end.
#define SR_DEVICE_OPS_ABI 7

struct sr_device_ops {
    int32_t abi;
    const char* name;
    sr_status (*init)(sr_env* env, int32_t ordinal);
    void (*shutdown)(sr_env* env);
    sr_status (*synchronize)(sr_env* env);

    sr_status (*malloc_)(sr_env* env, size_t bytes, void** out);
    sr_status (*free_)(sr_env* env, void* ptr);
    sr_status (*memcpy_)(sr_env* env, void* dst, const void* src, size_t bytes, int32_t kind);
    sr_status (*memset_zero)(sr_env* env, void* ptr, size_t bytes);
    sr_status (*cast)(sr_env* env, int32_t src_dtype, const void* src, int32_t dst_dtype, void* dst,
                      int64_t n);

    sr_status (*apply_mask)(sr_env* env, int32_t dtype, void* w, const uint8_t* mask, int64_t n);
    sr_status (*count_nonzero_many)(sr_env* env, int32_t dtype, int32_t count, const void* const* xs,
                                    const int64_t* sizes, int64_t* per_tensor /*host, never null*/);

    // Top-k selection over live entries of `count` tensors by a 32-bit key, either |w| bits
    // (weights != null) or philox(seed, t, i) (weights == null). keep_per_tensor != null means
    // layer-wise (keep is then ignored); report may be null.
    sr_status (*select_topk)(sr_env* env, int32_t dtype, int32_t count, const void* const* weights,
                             uint8_t* const* masks, const int64_t* sizes, int64_t keep,
                             const int64_t* keep_per_tensor, uint64_t seed, sr_select_report* report);

    sr_status (*mask_nm)(sr_env* env, int32_t dtype, const void* w, uint8_t* mask, int64_t outer,
                         int64_t k, int64_t inner, int32_t n, int32_t m);
    sr_status (*mask_transposable_24)(sr_env* env, int32_t dtype, const void* w, uint8_t* mask,
                                      int64_t outer, int64_t k, int64_t inner);
    sr_status (*check_nm)(sr_env* env, int32_t dtype, const void* x, int64_t outer, int64_t k,
                          int64_t inner, int32_t n, int32_t m, int64_t* violations /*host*/);
    sr_status (*compress_24)(sr_env* env, int32_t dtype, const void* w, const uint8_t* mask,
                             int64_t outer, int64_t k, int64_t inner, void* values, uint8_t* meta);
    sr_status (*decompress_24)(sr_env* env, int32_t dtype, const void* values, const uint8_t* meta,
                               int64_t outer, int64_t k, int64_t inner, void* w);

    sr_status (*sgd_step)(sr_env* env, float* w, const float* grad, float* buf, const uint8_t* mask,
                          int64_t n, float lr, float momentum, float dampening, float weight_decay,
                          int32_t nesterov, int32_t decoupled_wd, int32_t first_step);
    sr_status (*adamw_step)(sr_env* env, float* w, const float* grad, float* m, float* v,
                            const uint8_t* mask, int64_t n, float lr, float beta1, float beta2,
                            float eps, float weight_decay, int64_t step);

    sr_status (*gemm_f32)(sr_env* env, int32_t trans_a, int32_t trans_b, int64_t m, int64_t n,
                          int64_t k, float alpha, const float* a, const float* b, float beta, float* c);

    // layer kernels (runtime/api_layers.cpp checks the arguments)
    sr_status (*bias_add)(sr_env* env, float* y, const float* b, int64_t rows, int64_t cols);
    sr_status (*bias_grad)(sr_env* env, const float* dy, float* db, int64_t rows, int64_t cols, float beta);
    sr_status (*activation_fwd)(sr_env* env, int32_t act, const float* x, float* y, int64_t n);
    sr_status (*activation_bwd)(sr_env* env, int32_t act, const float* x, const float* dy, float* dx, int64_t n);
    sr_status (*softmax_xent)(sr_env* env, const float* logits, const int32_t* labels, int64_t rows, int64_t classes,
                              float grad_scale, float* dlogits, double* loss_sum, int64_t* correct);
    sr_status (*im2col_nhwc)(sr_env* env, const float* x, float* cols, int64_t b, int64_t h, int64_t w, int64_t c,
                             int32_t kh, int32_t kw, int32_t stride, int32_t pad);
    sr_status (*col2im_nhwc)(sr_env* env, const float* dcols, float* dx, int64_t b, int64_t h, int64_t w, int64_t c,
                             int32_t kh, int32_t kw, int32_t stride, int32_t pad);
    sr_status (*maxpool_fwd)(sr_env* env, const float* x, float* y, int32_t* argmax, int64_t b, int64_t h, int64_t w,
                             int64_t c, int32_t k, int32_t stride, int32_t pad);
    sr_status (*maxpool_bwd)(sr_env* env, const float* dy, const int32_t* argmax, float* dx, int64_t b, int64_t h,
                             int64_t w, int64_t c, int32_t k, int32_t stride, int32_t pad);
    sr_status (*avgpool_fwd)(sr_env* env, const float* x, float* y, int64_t b, int64_t h, int64_t w, int64_t c,
                             int32_t k, int32_t stride, int32_t pad);
    sr_status (*avgpool_bwd)(sr_env* env, const float* dy, float* dx, int64_t b, int64_t h, int64_t w, int64_t c,
                             int32_t k, int32_t stride, int32_t pad);
    sr_status (*batchnorm_fwd_train)(sr_env* env, const float* x, float* y, const float* gamma, const float* beta,
                                     float* running_mean, float* running_var, float* save_mean, float* save_invstd,
                                     int64_t rows, int64_t c, float momentum, float eps);
    sr_status (*batchnorm_fwd_eval)(sr_env* env, const float* x, float* y, const float* gamma, const float* beta,
                                    const float* running_mean, const float* running_var, int64_t rows, int64_t c,
                                    float eps);
    sr_status (*batchnorm_bwd)(sr_env* env, const float* x, const float* dy, const float* gamma, const float* save_mean,
                               const float* save_invstd, float* dx, float* dgamma, float* dbeta, int64_t rows,
                               int64_t c);
    sr_status (*dropout_fwd)(sr_env* env, const float* x, float* y, uint8_t* keep, int64_t n, float p, uint64_t seed,
                             uint64_t offset);
    sr_status (*dropout_bwd)(sr_env* env, const float* dy, const uint8_t* keep, float* dx, int64_t n, float p);
    sr_status (*permute_nhwc)(sr_env* env, const float* x, float* y, int64_t b, int64_t h, int64_t w, int64_t c,
                              int32_t to_nchw);
    sr_status (*axpby)(sr_env* env, float a, const float* x, float b, float* y, int64_t n);
    sr_status (*sum_squares)(sr_env* env, int32_t dtype, const void* x, int64_t n, double* out);
};

// Extensions of ABI 3 (bf16 activations, sparse-GEMM plan search, CUDA Graphs: sparseretrain/layers.h,
// sparse_gemm.h, graph.h), a second table so that the first one — and the host table in
// host/host_ops.cpp — keep their layout. Same abi number as sr_device_ops. Graph entries are null in
// the host table: the core refuses graphs on host contexts before calling them.
struct sr_device_ext_ops {
    int32_t abi;
    sr_status (*activation_fwd_bf16)(sr_env* env, int32_t act, const uint16_t* x, uint16_t* y, int64_t n);
    sr_status (*activation_bwd_bf16)(sr_env* env, int32_t act, const uint16_t* x, const uint16_t* dy, uint16_t* dx,
                                     int64_t n);
    // Capture of env->stream: begin, end + instantiate (*exec owned by the caller), replay, free.
    sr_status (*graph_begin)(sr_env* env);
    sr_status (*graph_end)(sr_env* env, void** exec);
    sr_status (*graph_launch)(sr_env* env, void* exec);
    void (*graph_destroy)(void* exec);
    // bf16 operands (uint16 bits), F32 C, fp32 (CUDA) / double (host) accumulation (runtime/api_gemm_bf16.cpp)
    sr_status (*gemm_bf16)(sr_env* env, int32_t trans_a, int32_t trans_b, int64_t m, int64_t n, int64_t k, float alpha,
                           const uint16_t* a, const uint16_t* b, float beta, float* c);
    // Device-resident step scalars (runtime/api_optim_dev.cpp checks the arguments; s and lr_table are
    // the context's memory and are read when the op runs).
    sr_status (*step_scalars_advance)(sr_env* env, sr_step_scalars* s, const float* lr_table, int64_t table_len);
    sr_status (*sgd_step_dev)(sr_env* env, float* w, const float* grad, float* buf, const uint8_t* mask, int64_t n,
                              const sr_step_scalars* s, float momentum, float dampening, float weight_decay,
                              int32_t nesterov, int32_t decoupled_wd, int32_t first_step);
    sr_status (*adamw_step_dev)(sr_env* env, float* w, const float* grad, float* m, float* v, const uint8_t* mask,
                                int64_t n, const sr_step_scalars* s, float beta1, float beta2, float eps,
                                float weight_decay);
    // Accumulating softmax cross-entropy (runtime/api_layers.cpp checks the arguments; acc is the
    // context's memory, added to when the op runs; bad rows set sticky flags there).
    sr_status (*softmax_xent_acc)(sr_env* env, const float* logits, const int32_t* labels, int64_t rows,
                                  int64_t classes, float grad_scale, float* dlogits, sr_xent_acc* acc);
    // Dropout with its call counter in the context's memory (runtime/api_layers.cpp checks the arguments):
    // reads *calls when it runs (offset = calls << 32, as sr_dropout_fwd), then adds 1 to it; n may be 0.
    sr_status (*dropout_fwd_dev)(sr_env* env, const float* x, float* y, uint8_t* keep, int64_t n, float p,
                                 uint64_t seed, uint32_t* calls);
};

// Machine probe of the CUDA library (no context needed): writes "driver=... devices=N ..." or the
// reason there is none; *count = usable devices.
typedef sr_status (*sr_cuda_probe_fn)(char* buf, size_t cap, int32_t* count);

extern "C" {
// Exported by libsparseretrain_cuda.so (looked up with dlsym).
const sr_device_ops* sr_cuda_device_ops(void);
const sr_device_ext_ops* sr_cuda_device_ext_ops(void);
sr_status sr_cuda_probe(char* buf, size_t cap, int32_t* count);
}

// The host reference table (host/host_ops.cpp).
const sr_device_ops* sr_host_device_ops();
// The host extension table (host/host_ops.cpp).
const sr_device_ext_ops* sr_host_device_ext_ops();

#endif
