/*
 * sparseretrain/sparse_gemm.h — 2:4 sparse GEMM plans (cuSPARSELt on CUDA, the reference on host)
 * and the algorithm search at plan creation.
 * Part of the C API: sparseretrain.h includes every part and states the conventions they follow.
 */
#ifndef SPARSERETRAIN_SPARSE_GEMM_H
#define SPARSERETRAIN_SPARSE_GEMM_H

#include "sparseretrain/base.h"

#ifdef __cplusplus
extern "C" {
#endif

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
 * elements; m and the output width (n forward, k input grad) <= 2097120 (cuSPARSELt's limit on a side of
 * its output); compute capability >= 8.0. SR_F32 is refused (cuSPARSELt's 50% float sparsity is 1:2).
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

#ifdef __cplusplus
}
#endif

#endif /* SPARSERETRAIN_SPARSE_GEMM_H */
