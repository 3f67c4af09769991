// gemm.cpp — plain host reference GEMM (double accumulation), the yardstick for cuBLAS/ND4J results.
#include "host/host_ops.h"

sr_status sr_host_gemm_f32(sr_env*, int32_t trans_a, int32_t trans_b, int64_t m, int64_t n, int64_t k, float alpha,
                           const float* a, const float* b, float beta, float* c) {
    for (int64_t i = 0; i < m; ++i) {
        for (int64_t j = 0; j < n; ++j) {
            double acc = 0.0;
            for (int64_t p = 0; p < k; ++p) {
                float av = trans_a ? a[p * m + i] : a[i * k + p];  // op(A)[i,p]
                float bv = trans_b ? b[j * k + p] : b[p * n + j];  // op(B)[p,j]
                acc += (double)av * (double)bv;
            }
            float prior = beta == 0.0f ? 0.0f : beta * c[i * n + j];  // beta = 0 ignores NaN in C, as BLAS
            c[i * n + j] = (float)(alpha * acc) + prior;
        }
    }
    return SR_OK;
}
