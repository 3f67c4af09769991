/*
 * sparseretrain.h — the one door into SparseRetrain's native code.
 *
 * Plain C, free of CUDA and cuSPARSELt types, so the JNI glue compiles on any machine. Every op
 * takes a context; the context's device decides whether the host reference (plain C++) or the
 * CUDA kernel runs. Both live behind the same call and share their per-element / per-group logic
 * (native/src/common/ headers, __host__ __device__), so CPU tests exercise the code the kernels run.
 *
 * Conventions
 *  - Every function returns sr_status (SR_OK = 0). On failure the context's last-error message
 *    (sr_context_last_error) names the call, the argument and the offending value; functions that
 *    have no context yet (creation, info) write the thread's last error (sr_thread_last_error).
 *  - An op that fails validation changes nothing: inputs are checked before any output is written.
 *  - Data pointers point to memory of the context's device (host memory for a host context,
 *    device memory for a CUDA context). Scalar results (counts, reports) are written to HOST memory.
 *  - Element counts and shapes are int64_t; dtypes are sr_dtype values; masks are uint8 (0 or 1).
 *  - Tensors are dense row-major. Ops on weight tensors view a weight as [outer, K, inner] with the
 *    reduction dimension K in the middle: Linear [out, in] is outer=out, K=in, inner=1; Conv
 *    [Cout, Cin, kh, kw] is outer=Cout, K=Cin, inner=kh*kw (groups along Cin at each (kh, kw),
 *    as TensorRT/ASP do).
 */
#ifndef SPARSERETRAIN_H
#define SPARSERETRAIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SR_API_VERSION 1

typedef enum sr_status {
    SR_OK = 0,
    SR_ERR_INVALID_ARGUMENT = 1, /* null pointer, negative count, bad option value */
    SR_ERR_SHAPE = 2,            /* dimensions that do not fit the op (e.g. K % M != 0) */
    SR_ERR_DTYPE = 3,            /* dtype the op does not take */
    SR_ERR_NONFINITE = 4,        /* NaN or Inf where the op needs finite values */
    SR_ERR_PATTERN = 5,          /* input violates a sparsity pattern (e.g. > 2 kept in a 2:4 group) */
    SR_ERR_OUT_OF_RANGE = 6,     /* k larger than the live count, etc. */
    SR_ERR_OUT_OF_MEMORY = 7,
    SR_ERR_NOT_AVAILABLE = 8,    /* component not built or not present on this machine */
    SR_ERR_CUDA = 9,             /* a CUDA runtime / driver / cuBLAS call failed */
    SR_ERR_CUSPARSELT = 10,      /* a cuSPARSELt call failed */
    SR_ERR_INTERNAL = 11
} sr_status;

typedef enum sr_dtype {
    SR_F32 = 0,  /* IEEE float32 */
    SR_BF16 = 1, /* bfloat16, stored as uint16 bits, round-to-nearest-even on conversion */
    SR_U8 = 2,   /* masks: 0 = pruned, 1 = kept */
    SR_I32 = 3   /* labels, pooling indices */
} sr_dtype;

typedef enum sr_device_kind {
    SR_DEVICE_HOST = 0,
    SR_DEVICE_CUDA = 1
} sr_device_kind;

typedef enum sr_memcpy_kind {
    SR_COPY_HOST_TO_DEVICE = 0,
    SR_COPY_DEVICE_TO_HOST = 1,
    SR_COPY_DEVICE_TO_DEVICE = 2
} sr_memcpy_kind;

/* Opaque: device, stream, workspace and last-error message. One context per thread at a time. */
typedef struct sr_context sr_context;

/* ---------------------------------------------------------------- library and machine info */

/* Version of this library, e.g. "0.1.0". Static storage. */
const char* sr_version(void);
/* Size in bytes of one element of dtype, 0 for an unknown dtype. */
int32_t sr_dtype_size(int32_t dtype);
/* Human-readable name of a status code. Static storage. */
const char* sr_status_name(int32_t status);
/* Last error of the calling thread for calls without a context. Never NULL ("" when none). */
const char* sr_thread_last_error(void);

/*
 * What the library was built with, as one line of key=value pairs, e.g.
 * "version=0.1.0 api=1 cuda=13.0 archs=sm_80,sm_90a,compute_80 cublas=13.1 cusparselt=0.8.1"
 * (cuda=absent / cusparselt=absent when not built). Writes at most cap bytes including the NUL.
 */
sr_status sr_build_info(char* buf, size_t cap);
/*
 * What this machine has: driver version, device count, and per device its name, compute
 * capability and memory, or the reason there is none ("cuda: unavailable: <reason>"). Never
 * crashes where there is no driver or GPU. Same buffer rules as sr_build_info.
 */
sr_status sr_runtime_info(char* buf, size_t cap);
/* Number of usable CUDA devices; 0 (and SR_OK) where there is no driver, runtime or GPU. */
sr_status sr_cuda_device_count(int32_t* count);

/* ---------------------------------------------------------------- context and memory */

/* device_kind: SR_DEVICE_HOST (ordinal ignored) or SR_DEVICE_CUDA with a device ordinal. */
sr_status sr_context_create(int32_t device_kind, int32_t ordinal, sr_context** out);
/* Frees the context and everything it owns. NULL is a no-op. */
void sr_context_destroy(sr_context* ctx);
/* Last error message on this context. Never NULL ("" when none). Valid until the next call. */
const char* sr_context_last_error(const sr_context* ctx);
int32_t sr_context_device_kind(const sr_context* ctx);
/* Opaque cudaStream_t of a CUDA context (NULL for host); ops on the context run on it. */
void* sr_context_stream(const sr_context* ctx);
/* Waits for all work queued on the context's stream; reports asynchronous kernel errors. */
sr_status sr_context_synchronize(sr_context* ctx);

/* Memory of the context's device: host memory is 64-byte aligned, device memory from cudaMalloc. */
sr_status sr_malloc(sr_context* ctx, size_t bytes, void** out);
sr_status sr_free(sr_context* ctx, void* ptr);
/* Copies between host memory and the context's device (on host contexts all kinds are memcpy). */
sr_status sr_memcpy(sr_context* ctx, void* dst, const void* src, size_t bytes, int32_t kind);
sr_status sr_memset_zero(sr_context* ctx, void* ptr, size_t bytes);
/* dst[i] = convert(src[i]) between SR_F32 and SR_BF16 (round to nearest even; NaN stays NaN). */
sr_status sr_cast(sr_context* ctx, int32_t src_dtype, const void* src, int32_t dst_dtype,
                  void* dst, int64_t n);

/* ---------------------------------------------------------------- masks */

/* w[i] = mask[i] ? w[i] : 0, in place. dtype: F32 or BF16. */
sr_status sr_apply_mask(sr_context* ctx, int32_t dtype, void* w, const uint8_t* mask, int64_t n);
/* *out (host) = number of nonzero elements of x. dtype: F32, BF16 or U8. -0.0 counts as zero. */
sr_status sr_count_nonzero(sr_context* ctx, int32_t dtype, const void* x, int64_t n, int64_t* out);
/*
 * Per-tensor counts of nonzero elements of `count` tensors: per_tensor[t] (host, may be NULL) and
 * *total (host, may be NULL).
 */
sr_status sr_count_nonzero_many(sr_context* ctx, int32_t dtype, int32_t count,
                                const void* const* xs, const int64_t* sizes,
                                int64_t* per_tensor, int64_t* total);

/*
 * Result of a top-k selection (magnitude or random), written to host memory.
 *  threshold_bits: the 32-bit key of the k-th kept entry (for magnitude on F32: the float bits of
 *                  |w|; for BF16 the bits of |w| widened to float). 0 when k = 0.
 *  kept_above:     live entries with key > threshold (all kept).
 *  kept_ties:      entries with key == threshold that were kept (the first ones in
 *                  (tensor, element) order); kept_above + kept_ties == k.
 *  live_before:    live entries across all tensors before the call.
 */
typedef struct sr_select_report {
    uint32_t threshold_bits;
    int32_t reserved;
    int64_t kept_above;
    int64_t kept_ties;
    int64_t live_before;
} sr_select_report;

/*
 * Global magnitude pruning over a list of tensors and their current masks.
 * Ranks only live entries (mask == 1) by |w|, larger first; among equal |w| the lower tensor index,
 * then the lower element index wins. Keeps exactly `keep` of them: the rest get mask = 0. Entries
 * already pruned are never revived, even when a live weight is exactly 0. Weights are not changed
 * (apply the masks with sr_apply_mask). Extra memory: O(histogram bins), never a copy of the model.
 * Errors without touching any mask: NaN/Inf in a live weight (names tensor and element),
 * keep > live count (SR_ERR_OUT_OF_RANGE), keep < 0, bad dtype (F32 or BF16 only).
 * report (host) may be NULL.
 */
sr_status sr_prune_magnitude_global(sr_context* ctx, int32_t dtype, int32_t count,
                                    const void* const* weights, uint8_t* const* masks,
                                    const int64_t* sizes, int64_t keep, sr_select_report* report);
/* Layer-wise variant: tensor t keeps exactly keep_per_tensor[t] (host array) of its live entries. */
sr_status sr_prune_magnitude_layerwise(sr_context* ctx, int32_t dtype, int32_t count,
                                       const void* const* weights, uint8_t* const* masks,
                                       const int64_t* sizes, const int64_t* keep_per_tensor);

/*
 * Random pruning (baseline) with the same selection rules as magnitude pruning, ranking live
 * entries by a counter-based key philox4x32-10(seed; tensor index, element index) instead of |w|,
 * so host and CUDA produce the identical mask for a seed. Exactly `keep` live entries stay.
 */
sr_status sr_prune_random_global(sr_context* ctx, int32_t count, uint8_t* const* masks,
                                 const int64_t* sizes, int64_t keep, uint64_t seed,
                                 sr_select_report* report);
sr_status sr_prune_random_layerwise(sr_context* ctx, int32_t count, uint8_t* const* masks,
                                    const int64_t* sizes, const int64_t* keep_per_tensor,
                                    uint64_t seed);

/*
 * N:M mask along K of a weight viewed as [outer, K, inner]: in every group of M consecutive k (at
 * fixed outer and inner index) keep the N live entries of largest |w| (ties: lower k wins).
 * mask is in/out: on input the current mask (0 = pruned, never revived); on output at most N
 * kept per group, exactly N where the group had at least N live entries. Requires 0 < N < M <= 16
 * and K % M == 0 (SR_ERR_SHAPE otherwise, naming K and M). dtype: F32 or BF16.
 */
sr_status sr_mask_nm(sr_context* ctx, int32_t dtype, const void* w, uint8_t* mask, int64_t outer,
                     int64_t k, int64_t inner, int32_t n, int32_t m);
/*
 * Transposable 2:4 mask: the weight viewed as [outer, K, inner] is cut into 4x4 blocks of 4
 * consecutive outer rows x 4 consecutive k at fixed inner; each block keeps exactly 2 per row and 2
 * per column — the one of the 90 such patterns with the largest sum of |w| over kept live entries
 * (ties: the lowest pattern index in the enumeration of native/src/common/transposable.h).
 * mask is in/out as for sr_mask_nm: output = chosen pattern AND input mask. outer % 4 == 0 and
 * K % 4 == 0 are required.
 */
sr_status sr_mask_transposable_24(sr_context* ctx, int32_t dtype, const void* w, uint8_t* mask,
                                  int64_t outer, int64_t k, int64_t inner);
/*
 * *violations (host) = number of groups of M along K with more than N nonzero entries in x
 * (dtype F32, BF16 or U8). 0 means x satisfies N:M.
 */
sr_status sr_check_nm(sr_context* ctx, int32_t dtype, const void* x, int64_t outer, int64_t k,
                      int64_t inner, int32_t n, int32_t m, int64_t* violations);

/*
 * Portable 2:4 layout (for export), for a weight viewed as [outer, K, inner], K % 4 == 0:
 *  values [outer, K/2, inner] (dtype of w): the 2 kept values of each group, in ascending k order;
 *  meta   [outer, K/4, inner] uint8: per group, bits 0-1 = index (0..3) of the first kept value,
 *         bits 2-3 = index of the second, index0 < index1.
 * The kept positions are those with mask == 1. A group with fewer than 2 kept positions is filled
 * with the lowest unused indices holding value 0. More than 2 kept in a group is SR_ERR_PATTERN
 * (naming the group), detected before anything is written.
 */
sr_status sr_compress_24(sr_context* ctx, int32_t dtype, const void* w, const uint8_t* mask,
                         int64_t outer, int64_t k, int64_t inner, void* values, uint8_t* meta);
/* Inverse of sr_compress_24: w (all of it written) from values and meta; invalid meta is an error. */
sr_status sr_decompress_24(sr_context* ctx, int32_t dtype, const void* values, const uint8_t* meta,
                           int64_t outer, int64_t k, int64_t inner, void* w);

/* ---------------------------------------------------------------- mask-aware optimizer steps */

/*
 * SGD as torch.optim.SGD, restricted to the live entries (mask == 1; mask NULL = all live).
 * All tensors F32 with n elements; momentum_buf may be NULL only when momentum == 0.
 *   d = g + wd*w                        (L2; when decoupled_wd: w *= 1 - lr*wd first, d = g)
 *   if momentum: buf = first_step ? d : momentum*buf + (1 - dampening)*d
 *                d = nesterov ? d + momentum*buf : buf
 *   w -= lr*d
 * Where mask == 0: w, buf are set to exactly 0 (the gradient there is ignored).
 * Nesterov requires momentum > 0 and dampening == 0 (as PyTorch).
 */
sr_status sr_sgd_step(sr_context* ctx, float* w, const float* grad, float* momentum_buf,
                      const uint8_t* mask, int64_t n, float lr, float momentum, float dampening,
                      float weight_decay, int32_t nesterov, int32_t decoupled_wd,
                      int32_t first_step);
/*
 * AdamW as torch.optim.AdamW (amsgrad off), restricted to live entries; step is 1-based:
 *   w *= 1 - lr*wd;  m = b1*m + (1-b1)*g;  v = b2*v + (1-b2)*g*g
 *   w -= (lr / (1 - b1^step)) * m / (sqrt(v) / sqrt(1 - b2^step) + eps)
 * Where mask == 0: w, m, v are set to exactly 0.
 */
sr_status sr_adamw_step(sr_context* ctx, float* w, const float* grad, float* m, float* v,
                        const uint8_t* mask, int64_t n, float lr, float beta1, float beta2,
                        float eps, float weight_decay, int64_t step);

/* ---------------------------------------------------------------- dense GEMM */

/*
 * C[M,N] = alpha * op(A) * op(B) + beta * C, row-major, F32 (the host reference and cuBLAS on
 * CUDA). op(A) is [M,K]: A is stored [M,K], or [K,M] when trans_a. op(B) is [K,N]: B is stored
 * [K,N], or [N,K] when trans_b. The host version is a plain reference, not a fast path.
 */
sr_status sr_gemm_f32(sr_context* ctx, int32_t trans_a, int32_t trans_b, int64_t m, int64_t n,
                      int64_t k, float alpha, const float* a, const float* b, float beta, float* c);

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

/* ---------------------------------------------------------------- 2:4 sparse GEMM (cuSPARSELt)
 * Linear-layer products with a 2:4 weight on Sparse Tensor Cores (libsparseretrain_lt.so). One plan
 * per (layer, op): descriptors, algorithm, workspace and compressed-weight buffer are made ONCE by
 * create; compress and run allocate nothing. Host contexts run a plain reference with the same
 * contract and rules (W compressed into the portable 2:4 layout of sr_compress_24, products computed
 * from it, fp32 accumulation in group order, one rounding to bf16): the yardstick for cuSPARSELt.
 * m = batch rows, n = out features, k = in features for both ops. Tensors: dense row-major SR_BF16,
 * device memory, 16-byte aligned; float32 accumulation. W [n, k] = [out, in] is the SPARSE operand,
 * in dense storage with pruned entries = 0:
 *   SR_SPARSE_GEMM_FORWARD     Y[m,n]  = alpha * X[m,k] · W^T + beta * Y   (x = X, y = Y);
 *                              W 2:4 along k (sr_mask_nm).
 *   SR_SPARSE_GEMM_INPUT_GRAD  dX[m,k] = alpha * dY[m,n] · W + beta * dX  (x = dY, y = dX); the
 *                              reduction runs over n and the hardware needs 2:4 along the reduction,
 *                              so W must be 2:4 along n too: a transposable mask serves both ops.
 * In cuSPARSELt terms (column-major, structured A = row-major W seen as [k, n], ld k): forward is
 * D[n,m] = A^T·X^T, input grad D[k,m] = A·dY^T; column-major D is the row-major Y / dX.
 * Rules (bf16): m > 0, m % 8 == 0; n, k > 0, n % 16 == 0, k % 16 == 0; each operand < 2^31
 * elements; compute capability >= 8.0. SR_F32 is refused (cuSPARSELt's 50% float sparsity is 1:2).
 */
typedef enum sr_sparse_gemm_op {
    SR_SPARSE_GEMM_FORWARD = 0,
    SR_SPARSE_GEMM_INPUT_GRAD = 1
} sr_sparse_gemm_op;

/* Opaque plan; destroy it exactly once, before its context. */
typedef struct sr_sparse_gemm sr_sparse_gemm;

/* 1 when create(ctx, ...) would succeed, else 0 and why in reason[cap] (may be NULL). A query: no status. */
int32_t sr_sparse_gemm_supported(sr_context* ctx, int32_t dtype, int64_t m, int64_t n, int64_t k, int32_t op,
                                 char* reason, size_t cap);
/* Checks the rules, then builds the plan (the context's cuSPARSELt handle is made on first use). */
sr_status sr_sparse_gemm_create(sr_context* ctx, int32_t dtype, int64_t m, int64_t n, int64_t k, int32_t op,
                                sr_sparse_gemm** out);
/*
 * Compresses w_dense [n, k] into the plan's own buffer (stream-ordered): after every optimizer step.
 * check_pattern = 1 first verifies the op's 2:4 pattern on the device (one stream sync) and returns
 * SR_ERR_PATTERN, compressing nothing, when it fails.
 */
sr_status sr_sparse_gemm_compress(sr_context* ctx, sr_sparse_gemm* plan, const void* w_dense, int32_t check_pattern);
/* y = alpha * op(x, W) + beta * y with the last compressed W; asynchronous on the context's stream. */
sr_status sr_sparse_gemm_run(sr_context* ctx, sr_sparse_gemm* plan, const void* x, void* y, float alpha,
                             float beta);
/* Frees the plan, its workspace and compressed weight. NULL is a no-op. */
void sr_sparse_gemm_destroy(sr_sparse_gemm* plan);

/* ================================================================ training-step extensions
 * Kept in their own section (added with bench/gpu's step benchmark): bf16 activations, algorithm
 * search for sparse-GEMM plans, and CUDA Graph capture of a context's stream.
 */

/* ---------------------------------------------------------------- bf16 activations
 * As sr_activation_fwd / sr_activation_bwd (same formulas, common/pointwise.h) on SR_BF16 tensors
 * (uint16 bits): each element is widened to float, computed in float and rounded once to bf16 (round
 * to nearest even). y may alias x; dx may alias dy. Host reference and CUDA kernel.
 */
sr_status sr_activation_fwd_bf16(sr_context* ctx, int32_t act, const void* x, void* y, int64_t n);
sr_status sr_activation_bwd_bf16(sr_context* ctx, int32_t act, const void* x, const void* dy, void* dx, int64_t n);

/* ---------------------------------------------------------------- sparse-GEMM algorithm search
 * iterations = 0 (the default): sr_sparse_gemm_create uses cuSPARSELt's default algorithm, as before.
 * iterations > 0 (at most 100): every later sr_sparse_gemm_create on this context also runs
 * cusparseLtMatmulSearch once, timing each algorithm configuration `iterations` times, and keeps the
 * fastest in the plan (its workspace is regrown there if needed). The search multiplies scratch data:
 * create then temporarily allocates X, Y and a dense W of the plan's shape (freed before it returns)
 * and blocks until the search is done. The setting belongs to the context; CUDA contexts only (host:
 * SR_ERR_NOT_AVAILABLE). The last plan's choice is readable with sr_sparse_gemm_last_search.
 */
sr_status sr_sparse_gemm_set_search(sr_context* ctx, int32_t iterations);
/*
 * What the last search on this context chose, as one line ("alg=3/7 split_k=1 mode=1 buffers=1
 * workspace=0 search_ms=12.5 (m=.. n=.. k=.. forward, 3 iterations)"), or "none" when no plan was
 * searched yet. Same buffer rules as sr_build_info.
 */
sr_status sr_sparse_gemm_last_search(sr_context* ctx, char* buf, size_t cap);

/* ---------------------------------------------------------------- CUDA Graphs
 * Records the work that ops issue on a CUDA context's stream between sr_graph_begin and sr_graph_end
 * (cudaStreamBeginCapture in thread-local mode: a call on this thread that is not stream-ordered —
 * a synchronization, a cudaMalloc, a copy to pageable host memory — fails the capture instead of
 * running), instantiates it, and replays it with sr_graph_launch at the cost of one launch.
 * Capturable: ops that return nothing to the host and allocate nothing — sr_cast, sr_apply_mask,
 * sr_memset_zero, sr_memcpy device-to-device, the optimizer steps, the layer kernels without a host
 * result, sr_gemm_f32, sr_activation_*_bf16, sr_sparse_gemm_run and sr_sparse_gemm_compress with
 * check_pattern = 0 (check_pattern = 1 synchronizes). NOT capturable: anything with a host result
 * (counts, selection, N:M masks and checks — their NaN pass synchronizes —, sr_softmax_xent,
 * sr_sum_squares, sr_compress_24), host copies, sr_malloc / sr_free, plan creation,
 * sr_context_synchronize. Run a sequence once uncaptured before capturing it so that workspaces have
 * grown (a first-use allocation inside a capture fails it).
 * Scalars are frozen at capture: a replay runs with the pointers, sizes and values (learning rate,
 * AdamW's step and bias correction, alpha/beta) of the captured calls; replays read the CURRENT
 * contents of the buffers. Re-capture when a scalar changes, or keep the learning rate and step in the
 * buffers of the "device-resident step scalars" section below (sr_*_step_dev), which replays follow.
 * A failed op inside a capture returns its error as usual and leaves the capture open. An op that CUDA
 * refused (a sync, an allocation) invalidated the capture: sr_graph_end ends it, discards it and returns
 * SR_ERR_CUDA. An op refused by our argument checks recorded nothing and the capture goes on without it:
 * check every status inside a capture.
 * Host contexts: every call returns SR_ERR_NOT_AVAILABLE (host ops run synchronously; there is
 * nothing to record). One capture per context at a time.
 */
typedef struct sr_graph sr_graph;

/* Starts capturing the context's stream. Error if a capture is already open on it. */
sr_status sr_graph_begin(sr_context* ctx);
/* Ends the capture and instantiates it into *out (NULL on failure). Error if none is open. */
sr_status sr_graph_end(sr_context* ctx, sr_graph** out);
/* Replays g on the context's stream (asynchronous). g must come from this context; no capture open. */
sr_status sr_graph_launch(sr_context* ctx, sr_graph* g);
/* Frees the graph, before its context; a replay still in flight completes first (CUDA frees it then).
 * NULL is a no-op. */
void sr_graph_destroy(sr_graph* g);

/* ---------------------------------------------------------------- bf16 dense GEMM (fp32 master weights)
 * The dense GEMM of the bf16 compute mode: operands rounded to bf16 by the caller (sr_cast), products
 * accumulated in fp32 (the host reference accumulates in double, like sr_gemm_f32), C in F32 so that
 * gradients and bias adds stay F32. Same layout rules as sr_gemm_f32: row-major C[M,N] = alpha *
 * op(A) * op(B) + beta * C, op(A) [M,K] (A stored [K,M] when trans_a), op(B) [K,N] (B stored [N,K]
 * when trans_b); beta = 0 ignores C's old contents. CUDA: cublasGemmEx with CUDA_R_16BF operands,
 * CUDA_R_32F output and CUBLAS_COMPUTE_32F (tensor cores where the GPU has them).
 */
sr_status sr_gemm_bf16(sr_context* ctx, int32_t trans_a, int32_t trans_b, int64_t m, int64_t n, int64_t k,
                       float alpha, const void* a, const void* b, float beta, float* c);


/* ================================================================ device-resident step scalars
 * So that a whole training step, learning rate included, replays from one CUDA Graph (sr_graph_*
 * freezes host scalars at capture): the learning rate and the step count live in a small struct in
 * the context's memory (device memory on CUDA, host memory on host contexts) that the ops below read
 * when they RUN, not when they are called. sr_step_scalars_advance moves it along a precomputed LR
 * table that is also in the context's memory, so a captured "advance + forward + backward + step"
 * sequence follows any schedule without re-capture. Every call here is stream-ordered, allocates
 * nothing and returns nothing to the host: all are capturable.
 * The values inside the buffers are not checked (reading them would synchronize): the caller checks
 * the LR table (finite, >= 0) when it builds it. The per-element updates are those of sr_sgd_step /
 * sr_adamw_step (common/optim_update.h), so results are bit-identical to the host-scalar calls with
 * the same lr and step (AdamW's bias corrections are computed in double from the step, as there; on a
 * GPU with CUDA's double pow, which is within 2 ulp of glibc's in double before rounding to float).
 */
typedef struct sr_step_scalars {
    float lr;        /* the learning rate the next optimizer step uses */
    int32_t step;    /* 1-based number of that step (AdamW's t); 0 = none taken yet */
    int32_t cursor;  /* index of the next LR-table entry: a table may start mid-run (a new cycle's
                        schedule) while AdamW's t goes on */
    int32_t reserved; /* 0; keeps the struct 16 bytes */
} sr_step_scalars;

/*
 * s->step += 1; s->lr = lr_table[min(s->cursor, table_len - 1)]; s->cursor += 1 (saturating at
 * table_len). A struct zeroed with sr_memset_zero starts at the table's first entry and step 1; past
 * the end the last entry holds (a device cannot report an error mid-graph). table_len >= 1. To go on
 * from an earlier step (resume, a new cycle with the optimizer's state kept), write {0, steps taken,
 * 0, 0} with sr_memcpy (not capturable) before capturing.
 */
sr_status sr_step_scalars_advance(sr_context* ctx, sr_step_scalars* s, const float* lr_table, int64_t table_len);
/*
 * sr_sgd_step with lr read from s at run time. first_step stays a host scalar: it is true for a
 * momentum buffer's first step only, which is the uncaptured warm-up step of a captured loop.
 */
sr_status sr_sgd_step_dev(sr_context* ctx, float* w, const float* grad, float* momentum_buf, const uint8_t* mask,
                          int64_t n, const sr_step_scalars* s, float momentum, float dampening, float weight_decay,
                          int32_t nesterov, int32_t decoupled_wd, int32_t first_step);
/* sr_adamw_step with lr and step read from s at run time (a step < 1 there computes as step 1). */
sr_status sr_adamw_step_dev(sr_context* ctx, float* w, const float* grad, float* m, float* v, const uint8_t* mask,
                            int64_t n, const sr_step_scalars* s, float beta1, float beta2, float eps,
                            float weight_decay);

/* ================================================================ accumulating softmax cross-entropy
 * sr_softmax_xent returns loss and accuracy to the host, a synchronization that cannot be captured in a
 * CUDA Graph. sr_softmax_xent_acc computes the same rows with the same formulas (common/pointwise.h) and
 * ADDS the batch's loss sum and correct count into an accumulator in the context's memory (device memory
 * on CUDA, host memory on host contexts); it is stream-ordered, allocates nothing, returns nothing to
 * the host and is capturable. Zero the accumulator with sr_memset_zero (e.g. once per epoch or per
 * trainSteps call), run any number of steps, then read it back with sr_memcpy(DEVICE_TO_HOST) of the
 * whole struct after sr_context_synchronize (not capturable; that is the one sync).
 * Differences from sr_softmax_xent, since a running kernel cannot return an error:
 *  - a row whose label is outside [0, classes) ORs SR_XENT_ACC_BAD_LABEL into acc->error, and a row
 *    with a NaN / Inf logit ORs SR_XENT_ACC_NONFINITE (the label is checked first, as there); the flags
 *    are sticky until the caller zeroes the struct. Such a row adds nothing to loss_sum, correct or rows
 *    and its dlogits row is written as zeros (it contributes no gradient; the other rows train as usual).
 *    A caller that reads error != 0 must treat the steps since the last zeroing as failed (the
 *    uncaptured op would have returned SR_ERR_OUT_OF_RANGE / SR_ERR_NONFINITE before writing dlogits).
 *  - the valid rows' dlogits are written even when another row of the batch is bad.
 * Same as there: dlogits may be NULL (no gradient); dlogits of valid rows are bit-identical to
 * sr_softmax_xent's on the same device. Host: loss_sum += the batch's sum in row order, so N calls
 * accumulate exactly what N sr_softmax_xent calls summed in double by the caller give. CUDA: one double
 * atomicAdd per row, in no fixed order: loss_sum may differ in the last bits between runs on a GPU;
 * against the host reference (expf and the order of a row's sum differ) dlogits agree within
 * 1e-5 relative + 1e-6 * grad_scale and loss_sum within 1e-6 * (|loss_sum| + rows), as
 * tests/cuda/xent_acc_cases.h checks; correct, rows and error are exact. acc must be 8-byte aligned.
 */
enum { SR_XENT_ACC_BAD_LABEL = 1, SR_XENT_ACC_NONFINITE = 2 };

typedef struct sr_xent_acc {
    double loss_sum;  /* sum over valid rows of -log softmax(logits)[label] */
    int64_t correct;  /* valid rows whose first maximal logit is the label */
    int64_t rows;     /* valid rows accumulated (the accuracy denominator) */
    int32_t error;    /* sticky OR of SR_XENT_ACC_* flags; 0 = every row was valid */
    int32_t reserved; /* 0; keeps the struct 32 bytes */
} sr_xent_acc;

/* Argument checks as sr_softmax_xent (rows >= 0, classes > 0, finite grad_scale, non-null pointers when
 * rows > 0) plus acc non-null and aligned; rows == 0 is a no-op. */
sr_status sr_softmax_xent_acc(sr_context* ctx, const float* logits, const int32_t* labels, int64_t rows,
                              int64_t classes, float grad_scale, float* dlogits, sr_xent_acc* acc);

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

#endif /* SPARSERETRAIN_H */
