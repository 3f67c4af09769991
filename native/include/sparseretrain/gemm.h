/*
 * sparseretrain/gemm.h — dense GEMM: F32 (sr_gemm_f32) and bf16 operands with fp32 accumulation
 * (sr_gemm_bf16, the bf16 compute mode).
 * Part of the C API: sparseretrain.h includes every part and states the conventions they follow.
 */
#ifndef SPARSERETRAIN_GEMM_H
#define SPARSERETRAIN_GEMM_H

#include "sparseretrain/base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- dense GEMM */

/*
 * C[M,N] = alpha * op(A) * op(B) + beta * C, row-major, F32 (the host reference and cuBLAS on
 * CUDA). op(A) is [M,K]: A is stored [M,K], or [K,M] when trans_a. op(B) is [K,N]: B is stored
 * [K,N], or [N,K] when trans_b. The host version is a plain reference, not a fast path.
 */
sr_status sr_gemm_f32(sr_context* ctx, int32_t trans_a, int32_t trans_b, int64_t m, int64_t n,
                      int64_t k, float alpha, const float* a, const float* b, float beta, float* c);

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

#ifdef __cplusplus
}
#endif

#endif /* SPARSERETRAIN_GEMM_H */
