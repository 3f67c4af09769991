// gemm_bf16.cpp — host reference of sr_gemm_bf16: bf16 operands widened exactly to float, products and
// sums in double (the yardstick, like sr_host_gemm_f32), C in F32. Not a fast path.
#include "common/bf16.h"
#include "host/host_ops.h"

sr_status sr_host_gemm_bf16(sr_env*, int32_t trans_a, int32_t trans_b, int64_t m, int64_t n, int64_t k, float alpha,
                            const uint16_t* a, const uint16_t* b, float beta, float* c) {
    for (int64_t i = 0; i < m; ++i) {
        for (int64_t j = 0; j < n; ++j) {
            double acc = 0.0;
            for (int64_t p = 0; p < k; ++p) {
                const float av = sr_bf16_to_float(trans_a ? a[p * m + i] : a[i * k + p]);  // op(A)[i,p]
                const float bv = sr_bf16_to_float(trans_b ? b[j * k + p] : b[p * n + j]);  // op(B)[p,j]
                acc += (double)av * (double)bv;
            }
            const float prior = beta == 0.0f ? 0.0f : beta * c[i * n + j];  // beta = 0 ignores NaN in C, as BLAS
            c[i * n + j] = (float)(alpha * acc) + prior;
        }
    }
    return SR_OK;
}
