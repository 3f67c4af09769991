// layers_spatial.cu — CUDA NHWC spatial layers and batch norm. The per-element index math and formulas
// are common/spatial.h, shared with the host reference. Backward passes gather (each dx element sums
// the entries that read it, in a fixed order) and batch-norm column sums reduce in a fixed tree, so
// there are no float atomics and every result is deterministic run to run.
#include <cmath>
#include "common/spatial.h"
#include "cuda/check.cuh"
#include "cuda/cuda_ops.h"

namespace {

constexpr int kBlock = 256;

#define SR_GRID_STRIDE(e, n) \
    for (int64_t e = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; e < (n); e += (int64_t)gridDim.x * blockDim.x)

// cols [b*oh*ow, c*kh*kw]: one thread per cols entry, so writes coalesce.
__global__ void im2col_kernel(const float* x, float* cols, sr_conv_geom g) {
    const int64_t ncols = g.c * g.kh * g.kw, total = g.b * g.oh * g.ow * ncols;
    SR_GRID_STRIDE(e, total) cols[e] = sr_im2col_value(x, g, e / ncols, e % ncols);
}

// The three backward gathers run one thread per dx [b, h, w, c] element.
enum class Gather { kCol2im, kMaxpool, kAvgpool };

template <Gather kind>
__global__ void gather_kernel(const float* src, const int32_t* argmax, float* dx, sr_conv_geom g) {
    const int64_t total = g.b * g.h * g.w * g.c;
    SR_GRID_STRIDE(e, total) {
        const int64_t ci = e % g.c, t = e / g.c;
        const int64_t wi = t % g.w, t2 = t / g.w;
        const int64_t hi = t2 % g.h, n = t2 / g.h;
        if (kind == Gather::kCol2im) dx[e] = sr_col2im_gather(src, g, n, hi, wi, ci);
        else if (kind == Gather::kMaxpool) dx[e] = sr_maxpool_gather(src, argmax, g, n, hi, wi, ci);
        else dx[e] = sr_avgpool_gather(src, g, n, hi, wi, ci);
    }
}

// Pooling forward: one thread per y [b, oh, ow, c] element; argmax == nullptr means average.
__global__ void pool_fwd_kernel(const float* x, float* y, int32_t* argmax, sr_conv_geom g) {
    const int64_t total = g.b * g.oh * g.ow * g.c;
    SR_GRID_STRIDE(e, total) {
        const int64_t ci = e % g.c, t = e / g.c;
        const int64_t ox = t % g.ow, t2 = t / g.ow;
        const int64_t oy = t2 % g.oh, n = t2 / g.oh;
        if (argmax) sr_maxpool_window(x, g, n, oy, ox, ci, &y[e], &argmax[e]);
        else y[e] = sr_avgpool_window(x, g, n, oy, ox, ci);
    }
}

sr_status check_argmax_range(sr_env* env, const char* call, int64_t h, int64_t w) {
    if (h * w > INT32_MAX)
        return sr_fail(env, SR_ERR_SHAPE, "%s: image %lldx%lld has more than 2^31-1 cells for the int32 argmax", call,
                       (long long)h, (long long)w);
    return SR_OK;
}

// ---------------------------------------------------------------- batch norm over x [rows, c]
// Column sums in two deterministic stages: a block (32 columns x 8 row lanes) sums a chunk of rows
// per column in double, lanes reduced in fixed order, into partial[chunk, c]; then one thread per
// column adds the chunks in order. Columns are the fast index of x, so a warp reads 128 contiguous
// bytes per row.
constexpr int kTileC = 32, kLanes = 8;

enum class Sums { kMean, kSqDev, kBwd };

struct ColumnSumArgs {
    const float* x;
    const float* dy;          // kBwd
    const double* mean;       // kSqDev: batch mean [c]
    const float* save_mean;   // kBwd
    const float* save_invstd; // kBwd
    int64_t rows, c, rows_per_chunk;
    double* partial1;         // [chunks, c]: sum x | sum (x-mean)^2 | sum dy
    double* partial2;         // [chunks, c]: kBwd: sum dy*xhat
};

template <Sums kind>
__global__ void column_sums_kernel(ColumnSumArgs a) {
    __shared__ double s1[kLanes][kTileC], s2[kLanes][kTileC];
    const int64_t col = (int64_t)blockIdx.x * kTileC + threadIdx.x;
    const int64_t r0 = (int64_t)blockIdx.y * a.rows_per_chunk;
    const int64_t r1 = r0 + a.rows_per_chunk < a.rows ? r0 + a.rows_per_chunk : a.rows;
    double acc1 = 0.0, acc2 = 0.0;
    if (col < a.c) {
        for (int64_t r = r0 + threadIdx.y; r < r1; r += kLanes) {
            const float xv = a.x[r * a.c + col];
            if (kind == Sums::kMean) {
                acc1 += xv;
            } else if (kind == Sums::kSqDev) {
                const double d = xv - a.mean[col];
                acc1 += d * d;
            } else {
                const float dyv = a.dy[r * a.c + col];
                acc1 += dyv;
                acc2 += (double)dyv * sr_bn_xhat(xv, a.save_mean[col], a.save_invstd[col]);
            }
        }
    }
    s1[threadIdx.y][threadIdx.x] = acc1;
    s2[threadIdx.y][threadIdx.x] = acc2;
    __syncthreads();
    if (threadIdx.y == 0 && col < a.c) {
        double t1 = 0.0, t2 = 0.0;
        for (int l = 0; l < kLanes; ++l) {
            t1 += s1[l][threadIdx.x];
            t2 += s2[l][threadIdx.x];
        }
        a.partial1[blockIdx.y * a.c + col] = t1;
        if (kind == Sums::kBwd) a.partial2[blockIdx.y * a.c + col] = t2;
    }
}

__device__ double sum_chunks(const double* partial, int64_t chunks, int64_t c, int64_t col) {
    double s = 0.0;
    for (int64_t k = 0; k < chunks; ++k) s += partial[k * c + col];
    return s;
}

__global__ void mean_finalize_kernel(const double* partial, int64_t chunks, int64_t rows, int64_t c, double* mean) {
    SR_GRID_STRIDE(col, c) mean[col] = sum_chunks(partial, chunks, c, col) / (double)rows;
}

// Same double formulas as the host reference: biased variance normalises, unbiased updates running_var.
__global__ void var_finalize_kernel(const double* partial, int64_t chunks, int64_t rows, int64_t c, const double* mean,
                                    float* save_mean, float* save_invstd, float* running_mean, float* running_var,
                                    float momentum, float eps) {
    SR_GRID_STRIDE(col, c) {
        const double m2 = sum_chunks(partial, chunks, c, col), mom = momentum;
        const double var = m2 / (double)rows, unbiased = m2 / (double)(rows - 1);
        save_mean[col] = (float)mean[col];
        save_invstd[col] = (float)(1.0 / sqrt(var + (double)eps));
        running_mean[col] = (float)((1.0 - mom) * running_mean[col] + mom * mean[col]);
        running_var[col] = (float)((1.0 - mom) * running_var[col] + mom * unbiased);
    }
}

// coef [3, c] = scale (gamma*invstd), mean(dy), mean(dy*xhat); dgamma, dbeta written here.
__global__ void bwd_finalize_kernel(const double* p1, const double* p2, int64_t chunks, int64_t rows, int64_t c,
                                    const float* gamma, const float* save_invstd, float* dgamma, float* dbeta,
                                    float* coef) {
    SR_GRID_STRIDE(col, c) {
        const double sdy = sum_chunks(p1, chunks, c, col), sdyx = sum_chunks(p2, chunks, c, col);
        dbeta[col] = (float)sdy;
        dgamma[col] = (float)sdyx;
        coef[col] = gamma[col] * save_invstd[col];
        coef[c + col] = (float)(sdy / (double)rows);
        coef[2 * c + col] = (float)(sdyx / (double)rows);
    }
}

// y [rows, c]; eval mode (running_var != nullptr) derives invstd from the running variance.
__global__ void bn_apply_kernel(const float* x, float* y, const float* gamma, const float* beta, const float* mean,
                                const float* invstd, const float* running_var, float eps, int64_t rows, int64_t c) {
    SR_GRID_STRIDE(e, rows * c) {
        const int64_t col = e % c;
        const float is = running_var ? sr_bn_invstd_f(running_var[col], eps) : invstd[col];
        y[e] = sr_bn_forward(x[e], mean[col], is, gamma[col], beta[col]);
    }
}

__global__ void bn_dx_kernel(const float* x, const float* dy, const float* save_mean, const float* save_invstd,
                             const float* coef, float* dx, int64_t rows, int64_t c) {
    SR_GRID_STRIDE(e, rows * c) {
        const int64_t col = e % c;
        const float xhat = sr_bn_xhat(x[e], save_mean[col], save_invstd[col]);
        dx[e] = sr_bn_dx(dy[e], xhat, coef[col], coef[c + col], coef[2 * c + col]);
    }
}

// Chunking of the rows: about 1024 blocks in all (several waves on any current GPU), >= 64 rows each.
struct Chunking {
    int64_t chunks, rows_per_chunk;
    dim3 grid;
};

Chunking chunk_rows(int64_t rows, int64_t c) {
    const int64_t tiles = (c + kTileC - 1) / kTileC;
    int64_t chunks = (1024 + tiles - 1) / tiles;
    const int64_t max_chunks = (rows + 63) / 64;
    if (chunks > max_chunks) chunks = max_chunks;
    if (chunks < 1) chunks = 1;
    const int64_t rpc = (rows + chunks - 1) / chunks;
    chunks = (rows + rpc - 1) / rpc;
    return Chunking{chunks, rpc, dim3((unsigned)tiles, (unsigned)chunks)};
}

}  // namespace

sr_status sr_cuda_im2col_nhwc(sr_env* env, const float* x, float* cols, int64_t b, int64_t h, int64_t w, int64_t c,
                              int32_t kh, int32_t kw, int32_t stride, int32_t pad) {
    const sr_conv_geom g = sr_make_conv_geom(b, h, w, c, kh, kw, stride, pad);
    const int64_t total = g.b * g.oh * g.ow * g.c * kh * kw;
    im2col_kernel<<<sr_grid_for(total, kBlock), kBlock, 0, sr_cuda(env)->stream>>>(x, cols, g);
    SR_CUDA_LAUNCHED(env, "im2col_kernel");
    return SR_OK;
}

sr_status sr_cuda_col2im_nhwc(sr_env* env, const float* dcols, float* dx, int64_t b, int64_t h, int64_t w, int64_t c,
                              int32_t kh, int32_t kw, int32_t stride, int32_t pad) {
    const sr_conv_geom g = sr_make_conv_geom(b, h, w, c, kh, kw, stride, pad);
    gather_kernel<Gather::kCol2im>
        <<<sr_grid_for(b * h * w * c, kBlock), kBlock, 0, sr_cuda(env)->stream>>>(dcols, nullptr, dx, g);
    SR_CUDA_LAUNCHED(env, "gather_kernel<col2im>");
    return SR_OK;
}

sr_status sr_cuda_maxpool_fwd(sr_env* env, const float* x, float* y, int32_t* argmax, int64_t b, int64_t h, int64_t w,
                              int64_t c, int32_t k, int32_t stride, int32_t pad) {
    sr_status st = check_argmax_range(env, "sr_maxpool_fwd", h, w);
    if (st != SR_OK) return st;
    const sr_conv_geom g = sr_make_conv_geom(b, h, w, c, k, k, stride, pad);
    pool_fwd_kernel<<<sr_grid_for(b * g.oh * g.ow * c, kBlock), kBlock, 0, sr_cuda(env)->stream>>>(x, y, argmax, g);
    SR_CUDA_LAUNCHED(env, "pool_fwd_kernel<max>");
    return SR_OK;
}

sr_status sr_cuda_maxpool_bwd(sr_env* env, const float* dy, const int32_t* argmax, float* dx, int64_t b, int64_t h,
                              int64_t w, int64_t c, int32_t k, int32_t stride, int32_t pad) {
    sr_status st = check_argmax_range(env, "sr_maxpool_bwd", h, w);
    if (st != SR_OK) return st;
    const sr_conv_geom g = sr_make_conv_geom(b, h, w, c, k, k, stride, pad);
    gather_kernel<Gather::kMaxpool>
        <<<sr_grid_for(b * h * w * c, kBlock), kBlock, 0, sr_cuda(env)->stream>>>(dy, argmax, dx, g);
    SR_CUDA_LAUNCHED(env, "gather_kernel<maxpool>");
    return SR_OK;
}

sr_status sr_cuda_avgpool_fwd(sr_env* env, const float* x, float* y, int64_t b, int64_t h, int64_t w, int64_t c,
                              int32_t k, int32_t stride, int32_t pad) {
    const sr_conv_geom g = sr_make_conv_geom(b, h, w, c, k, k, stride, pad);
    pool_fwd_kernel<<<sr_grid_for(b * g.oh * g.ow * c, kBlock), kBlock, 0, sr_cuda(env)->stream>>>(x, y, nullptr, g);
    SR_CUDA_LAUNCHED(env, "pool_fwd_kernel<avg>");
    return SR_OK;
}

sr_status sr_cuda_avgpool_bwd(sr_env* env, const float* dy, float* dx, int64_t b, int64_t h, int64_t w, int64_t c,
                              int32_t k, int32_t stride, int32_t pad) {
    const sr_conv_geom g = sr_make_conv_geom(b, h, w, c, k, k, stride, pad);
    gather_kernel<Gather::kAvgpool>
        <<<sr_grid_for(b * h * w * c, kBlock), kBlock, 0, sr_cuda(env)->stream>>>(dy, nullptr, dx, g);
    SR_CUDA_LAUNCHED(env, "gather_kernel<avgpool>");
    return SR_OK;
}

sr_status sr_cuda_batchnorm_fwd_train(sr_env* env, const float* x, float* y, const float* gamma, const float* beta,
                                      float* running_mean, float* running_var, float* save_mean, float* save_invstd,
                                      int64_t rows, int64_t c, float momentum, float eps) {
    const Chunking ch = chunk_rows(rows, c);
    // workspace: partial [chunks, c] double, mean [c] double
    void* ws = nullptr;
    sr_status st = sr_cuda_workspace(env, (size_t)(ch.chunks * c + c) * sizeof(double), &ws);
    if (st != SR_OK) return st;
    double* partial = static_cast<double*>(ws);
    double* mean = partial + ch.chunks * c;
    cudaStream_t s = sr_cuda(env)->stream;
    const dim3 block(kTileC, kLanes);
    ColumnSumArgs a{x, nullptr, nullptr, nullptr, nullptr, rows, c, ch.rows_per_chunk, partial, nullptr};
    column_sums_kernel<Sums::kMean><<<ch.grid, block, 0, s>>>(a);
    SR_CUDA_LAUNCHED(env, "column_sums_kernel<mean>");
    mean_finalize_kernel<<<sr_grid_for(c, kBlock), kBlock, 0, s>>>(partial, ch.chunks, rows, c, mean);
    SR_CUDA_LAUNCHED(env, "mean_finalize_kernel");
    a.mean = mean;  // second pass: sum (x - mean)^2, no cancellation
    column_sums_kernel<Sums::kSqDev><<<ch.grid, block, 0, s>>>(a);
    SR_CUDA_LAUNCHED(env, "column_sums_kernel<sqdev>");
    var_finalize_kernel<<<sr_grid_for(c, kBlock), kBlock, 0, s>>>(partial, ch.chunks, rows, c, mean, save_mean,
                                                                  save_invstd, running_mean, running_var, momentum,
                                                                  eps);
    SR_CUDA_LAUNCHED(env, "var_finalize_kernel");
    bn_apply_kernel<<<sr_grid_for(rows * c, kBlock), kBlock, 0, s>>>(x, y, gamma, beta, save_mean, save_invstd,
                                                                     nullptr, eps, rows, c);
    SR_CUDA_LAUNCHED(env, "bn_apply_kernel<train>");
    return SR_OK;
}

sr_status sr_cuda_batchnorm_fwd_eval(sr_env* env, const float* x, float* y, const float* gamma, const float* beta,
                                     const float* running_mean, const float* running_var, int64_t rows, int64_t c,
                                     float eps) {
    bn_apply_kernel<<<sr_grid_for(rows * c, kBlock), kBlock, 0, sr_cuda(env)->stream>>>(
        x, y, gamma, beta, running_mean, nullptr, running_var, eps, rows, c);
    SR_CUDA_LAUNCHED(env, "bn_apply_kernel<eval>");
    return SR_OK;
}

sr_status sr_cuda_batchnorm_bwd(sr_env* env, const float* x, const float* dy, const float* gamma,
                                const float* save_mean, const float* save_invstd, float* dx, float* dgamma,
                                float* dbeta, int64_t rows, int64_t c) {
    const Chunking ch = chunk_rows(rows, c);
    // workspace: partial1, partial2 [chunks, c] double, then coef [3, c] float
    void* ws = nullptr;
    const size_t bytes = (size_t)(2 * ch.chunks * c) * sizeof(double) + (size_t)(3 * c) * sizeof(float);
    sr_status st = sr_cuda_workspace(env, bytes, &ws);
    if (st != SR_OK) return st;
    double* p1 = static_cast<double*>(ws);
    double* p2 = p1 + ch.chunks * c;
    float* coef = reinterpret_cast<float*>(p2 + ch.chunks * c);
    cudaStream_t s = sr_cuda(env)->stream;
    const ColumnSumArgs a{x, dy, nullptr, save_mean, save_invstd, rows, c, ch.rows_per_chunk, p1, p2};
    column_sums_kernel<Sums::kBwd><<<ch.grid, dim3(kTileC, kLanes), 0, s>>>(a);
    SR_CUDA_LAUNCHED(env, "column_sums_kernel<bwd>");
    bwd_finalize_kernel<<<sr_grid_for(c, kBlock), kBlock, 0, s>>>(p1, p2, ch.chunks, rows, c, gamma, save_invstd,
                                                                  dgamma, dbeta, coef);
    SR_CUDA_LAUNCHED(env, "bwd_finalize_kernel");
    bn_dx_kernel<<<sr_grid_for(rows * c, kBlock), kBlock, 0, s>>>(x, dy, save_mean, save_invstd, coef, dx, rows, c);
    SR_CUDA_LAUNCHED(env, "bn_dx_kernel");
    return SR_OK;
}
