// gemm_bf16.cu — sr_gemm_bf16 on CUDA: cublasGemmEx with bf16 operands, F32 output and fp32 compute
// (tensor cores on sm_80+). Row-major C[M,N] is column-major C^T[N,M]: C^T = op(B)^T * op(A)^T, as gemm.cu.
#include "cuda/check.cuh"
#include "cuda/cuda_ops.h"

sr_status sr_cuda_gemm_bf16(sr_env* env, int32_t trans_a, int32_t trans_b, int64_t m, int64_t n, int64_t k,
                            float alpha, const uint16_t* a, const uint16_t* b, float beta, float* c) {
    if (m > INT32_MAX || n > INT32_MAX || k > INT32_MAX)
        return sr_fail(env, SR_ERR_SHAPE, "GEMM dimensions M=%lld N=%lld K=%lld exceed cuBLAS's 32-bit limit",
                       (long long)m, (long long)n, (long long)k);
    sr_cuda_state* st = sr_cuda(env);
    const int lda = trans_a ? (int)m : (int)k;  // row-major A is [M,K] (or [K,M] when transposed)
    const int ldb = trans_b ? (int)k : (int)n;  // row-major B is [K,N] (or [N,K] when transposed)
    SR_CUBLAS_TRY(env, cublasGemmEx(st->cublas, trans_b ? CUBLAS_OP_T : CUBLAS_OP_N, trans_a ? CUBLAS_OP_T : CUBLAS_OP_N,
                                    (int)n, (int)m, (int)k, &alpha, b, CUDA_R_16BF, ldb, a, CUDA_R_16BF, lda, &beta, c,
                                    CUDA_R_32F, (int)n, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT));
    return SR_OK;
}
