// layout.cpp — host reference of the NHWC <-> NCHW permutation.
#include "host/host_ops.h"

sr_status sr_host_permute_nhwc(sr_env*, const float* x, float* y, int64_t b, int64_t h, int64_t w, int64_t c,
                               int32_t to_nchw) {
    const int64_t hw = h * w;
    for (int64_t n = 0; n < b; ++n) {
        const float* xs = x + n * hw * c;
        float* ys = y + n * hw * c;
        for (int64_t p = 0; p < hw; ++p)
            for (int64_t ch = 0; ch < c; ++ch) {
                if (to_nchw) ys[ch * hw + p] = xs[p * c + ch];  // [p, ch] -> [ch, p]
                else ys[p * c + ch] = xs[ch * hw + p];          // [ch, p] -> [p, ch]
            }
    }
    return SR_OK;
}
