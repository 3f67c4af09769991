// layers_pointwise.cu — CUDA pointwise layer kernels; the per-element / per-row formulas are
// common/pointwise.h, the code the host reference runs. Reductions (bias gradient, softmax loss,
// sum of squares) use no float atomics: fixed two-level trees whose shape depends only on the
// problem size, so a result is bit-identical run to run. Scalar results come back through the
// pinned host scratch; device scratch only through sr_cuda_workspace.
#include "common/pointwise.h"
#include "cuda/check.cuh"
#include "cuda/cuda_ops.h"

namespace {

constexpr int kBlock = 256;        // elementwise kernels and reductions (power of two: tree reduce)
constexpr int kWarp = 32;
constexpr int kRowsPerBlock = kBlock / kWarp;  // softmax: one warp per row
constexpr int kMaxPartials = 1024;             // sum of squares: first-level blocks
constexpr int kColTile = 32;                   // bias gradient: block (32 columns, 8 row lanes)
constexpr int kRowLanes = 8;
constexpr int64_t kChunkRows = 512;            // bias gradient: rows per first-level block ...
constexpr int64_t kMaxChunks = 256;            // ... grown so there are at most this many chunks

#define SR_GRID_STRIDE(i, n) \
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < (n); i += (int64_t)gridDim.x * blockDim.x)

// Sum of v over the block in a fixed tree order (blockDim.x a power of two, smem[blockDim.x]);
// the result is valid in thread 0.
__device__ double block_sum(double v, double* smem) {
    smem[threadIdx.x] = v;
    __syncthreads();
    for (unsigned half = blockDim.x / 2; half > 0; half /= 2) {
        if (threadIdx.x < half) smem[threadIdx.x] += smem[threadIdx.x + half];
        __syncthreads();
    }
    return smem[0];
}

size_t align_up(size_t x) { return (x + 255) & ~(size_t)255; }

// ---------------------------------------------------------------- bias
__global__ void bias_add_kernel(float* y, const float* b, int64_t rows, int64_t cols) {
    SR_GRID_STRIDE(i, rows * cols) y[i] += b[i % cols];
}

// partial[chunk, cols]: block (blockIdx.x = column tile, blockIdx.y = row chunk) sums rows
// [chunk * chunk_rows, +chunk_rows) of 32 columns; row lane ty takes rows ty, ty+8, ... in order,
// then the 8 lanes are added in a fixed order.
__global__ void bias_grad_partial_kernel(const float* dy, double* partial, int64_t rows, int64_t cols,
                                         int64_t chunk_rows) {
    __shared__ double acc[kRowLanes][kColTile + 1];
    const int64_t c = blockIdx.x * (int64_t)kColTile + threadIdx.x;
    const int64_t r0 = blockIdx.y * chunk_rows;
    const int64_t r1 = r0 + chunk_rows < rows ? r0 + chunk_rows : rows;
    double s = 0.0;
    if (c < cols)
        for (int64_t r = r0 + threadIdx.y; r < r1; r += kRowLanes) s += (double)dy[r * cols + c];
    acc[threadIdx.y][threadIdx.x] = s;
    __syncthreads();
    if (threadIdx.y == 0 && c < cols) {
        double t = acc[0][threadIdx.x];
        for (int k = 1; k < kRowLanes; ++k) t += acc[k][threadIdx.x];
        partial[blockIdx.y * cols + c] = t;
    }
}

// db[c] = beta * db[c] + sum over chunks of partial[chunk, c], chunks in order.
__global__ void bias_grad_finish_kernel(const double* partial, float* db, int64_t chunks, int64_t cols, float beta) {
    SR_GRID_STRIDE(c, cols) {
        double s = 0.0;
        for (int64_t k = 0; k < chunks; ++k) s += partial[k * cols + c];
        db[c] = sr_bias_grad_finish(beta, beta == 0.0f ? 0.0f : db[c], s);
    }
}

// ---------------------------------------------------------------- activations
template <int Act>
__global__ void act_fwd_kernel(const float* x, float* y, int64_t n) {
    SR_GRID_STRIDE(i, n) y[i] = sr_act_fwd(Act, x[i]);
}

template <int Act>
__global__ void act_bwd_kernel(const float* x, const float* dy, float* dx, int64_t n) {
    SR_GRID_STRIDE(i, n) dx[i] = sr_act_bwd(Act, x[i], dy[i]);
}

// ---------------------------------------------------------------- softmax cross-entropy
// Per-row results of the validation/loss pass, in the workspace after the summary.
struct XentRows {
    double* loss;   // [rows] -log softmax[label]
    float* max;     // [rows]
    float* sum;     // [rows] sum exp(x - max)
    int32_t* code;  // [rows] sr_xent_row_status
    int32_t* hit;   // [rows] first maximal logit == label
};

struct XentSummary {
    double loss;
    long long hits;
    long long bad_row;  // first row with code != OK, or -1
    int32_t code;
    int32_t label;
};

// One warp per row (rows grid-strided per warp, so every lane of a warp runs the same iterations
// and the shuffles see all 32 lanes). Lane l owns classes l, l+32, ...; the xor butterfly merges
// are commutative, so every lane ends with the same bits.
// One row on one warp: lane l owns classes l, l+32, ...; the xor butterfly merges are commutative, so
// every lane ends with the same bits (and the same code). The warp-parallel twin of sr_xent_row_eval.
__device__ sr_xent_row_status xent_warp_row(const float* row, int32_t label, int64_t classes, int lane,
                                            sr_xent_row* out) {
    if (!sr_xent_label_ok(label, classes)) return SR_XENT_ROW_BAD_LABEL;
    sr_xent_max m = sr_xent_scan_max(row, lane, classes, kWarp);
    for (int d = kWarp / 2; d > 0; d /= 2) {
        sr_xent_max o;
        o.max = __shfl_xor_sync(0xffffffffu, m.max, d);
        o.arg = __shfl_xor_sync(0xffffffffu, (long long)m.arg, d);
        o.nonfinite = __shfl_xor_sync(0xffffffffu, (int)m.nonfinite, d) != 0;
        m = sr_xent_max_merge(m, o);
    }
    if (m.nonfinite) return SR_XENT_ROW_NONFINITE;
    float s = sr_xent_sum_exp(row, lane, classes, kWarp, m.max);
    for (int d = kWarp / 2; d > 0; d /= 2) s += __shfl_xor_sync(0xffffffffu, s, d);
    out->max = m.max;
    out->sum = s;
    out->loss = sr_xent_row_loss(m.max, s, row[label]);
    out->hit = m.arg == (int64_t)label;
    return SR_XENT_ROW_OK;
}

// One warp per row (rows grid-strided per warp, so every lane of a warp runs the same iterations
// and the shuffles see all 32 lanes).
__global__ void xent_rows_kernel(const float* logits, const int32_t* labels, int64_t rows, int64_t classes,
                                 XentRows out) {
    const int lane = threadIdx.x % kWarp;
    const int64_t warps = (int64_t)gridDim.x * kRowsPerBlock;
    for (int64_t r = blockIdx.x * (int64_t)kRowsPerBlock + threadIdx.x / kWarp; r < rows; r += warps) {
        sr_xent_row x;
        const sr_xent_row_status code = xent_warp_row(logits + r * classes, labels[r], classes, lane, &x);
        if (lane == 0) {
            out.code[r] = code;
            if (code == SR_XENT_ROW_OK) {
                out.hit[r] = x.hit;
                out.max[r] = x.max;
                out.sum[r] = x.sum;
                out.loss[r] = x.loss;
            }
        }
    }
}

// The accumulating variant in one pass (nothing comes back to the host): one warp per row as above; a
// valid row writes its gradient and lane 0 adds loss / hit / 1 to acc with atomics (double atomicAdd:
// order-free, so loss_sum's last bits may vary between runs); a bad row ORs its flag and zeroes its
// dlogits row.
__global__ void xent_acc_kernel(const float* logits, const int32_t* labels, int64_t rows, int64_t classes,
                                float grad_scale, float* dlogits, sr_xent_acc* acc) {
    const int lane = threadIdx.x % kWarp;
    const int64_t warps = (int64_t)gridDim.x * kRowsPerBlock;
    for (int64_t r = blockIdx.x * (int64_t)kRowsPerBlock + threadIdx.x / kWarp; r < rows; r += warps) {
        const float* row = logits + r * classes;
        float* drow = dlogits != nullptr ? dlogits + r * classes : nullptr;
        sr_xent_row x;
        const sr_xent_row_status code = xent_warp_row(row, labels[r], classes, lane, &x);
        if (code != SR_XENT_ROW_OK) {
            if (drow != nullptr)
                for (int64_t j = lane; j < classes; j += kWarp) drow[j] = 0.0f;
            if (lane == 0)
                atomicOr(&acc->error, code == SR_XENT_ROW_BAD_LABEL ? SR_XENT_ACC_BAD_LABEL : SR_XENT_ACC_NONFINITE);
            continue;
        }
        if (drow != nullptr)
            sr_xent_write_grad(row, drow, lane, classes, kWarp, x.max, 1.0f / x.sum, labels[r], grad_scale);
        if (lane == 0) {
            atomicAdd(&acc->loss_sum, x.loss);
            if (x.hit) atomicAdd(reinterpret_cast<unsigned long long*>(&acc->correct), 1ull);
            atomicAdd(reinterpret_cast<unsigned long long*>(&acc->rows), 1ull);
        }
    }
}

// One block of kBlock threads: thread t takes rows t, t+kBlock, ... in order, then a fixed tree.
// The first bad row is a minimum (order-free); loss / hits are summed only when no row is bad.
__global__ void xent_reduce_kernel(const int32_t* labels, int64_t rows, XentRows in, XentSummary* summary) {
    __shared__ double smem[kBlock];
    __shared__ long long bad[kBlock];
    double loss = 0.0, hits = 0.0;
    long long first_bad = rows;
    for (int64_t r = threadIdx.x; r < rows; r += kBlock) {
        if (in.code[r] != SR_XENT_ROW_OK) {
            if (r < first_bad) first_bad = r;
            continue;
        }
        loss += in.loss[r];
        hits += (double)in.hit[r];  // exact in double below 2^53 rows
    }
    bad[threadIdx.x] = first_bad;
    loss = block_sum(loss, smem);
    __syncthreads();
    hits = block_sum(hits, smem);
    for (unsigned half = kBlock / 2; half > 0; half /= 2) {
        if (threadIdx.x < half && bad[threadIdx.x + half] < bad[threadIdx.x]) bad[threadIdx.x] = bad[threadIdx.x + half];
        __syncthreads();
    }
    if (threadIdx.x == 0) {
        summary->loss = loss;
        summary->hits = (long long)hits;
        summary->bad_row = bad[0] < rows ? bad[0] : -1;
        summary->code = bad[0] < rows ? in.code[bad[0]] : SR_XENT_ROW_OK;
        summary->label = bad[0] < rows ? labels[bad[0]] : 0;
    }
}

__global__ void xent_grad_kernel(const float* logits, const int32_t* labels, int64_t rows, int64_t classes,
                                 float grad_scale, XentRows in, float* dlogits) {
    const int lane = threadIdx.x % kWarp;
    const int64_t warps = (int64_t)gridDim.x * kRowsPerBlock;
    for (int64_t r = blockIdx.x * (int64_t)kRowsPerBlock + threadIdx.x / kWarp; r < rows; r += warps)
        sr_xent_write_grad(logits + r * classes, dlogits + r * classes, lane, classes, kWarp, in.max[r],
                           1.0f / in.sum[r], labels[r], grad_scale);
}

// ---------------------------------------------------------------- dropout, axpby
__global__ void dropout_fwd_kernel(const float* x, float* y, uint8_t* keep, int64_t n, float p, float scale,
                                   uint64_t seed, uint64_t offset) {
    SR_GRID_STRIDE(i, n) {
        const bool k = sr_dropout_keep(seed, offset, i, p);
        keep[i] = (uint8_t)k;
        y[i] = sr_dropout_apply(k, x[i], scale);
    }
}

// The counter is read by every thread and advanced by a second, one-thread kernel queued after this one,
// so no thread can see the new value (stream order), captured or not.
__global__ void dropout_fwd_dev_kernel(const float* x, float* y, uint8_t* keep, int64_t n, float p, float scale,
                                       uint64_t seed, const uint32_t* calls) {
    const uint64_t offset = (uint64_t)*calls << 32;
    SR_GRID_STRIDE(i, n) {
        const bool k = sr_dropout_keep(seed, offset, i, p);
        keep[i] = (uint8_t)k;
        y[i] = sr_dropout_apply(k, x[i], scale);
    }
}

__global__ void counter_increment_kernel(uint32_t* counter) { *counter += 1u; }

__global__ void dropout_bwd_kernel(const float* dy, const uint8_t* keep, float* dx, int64_t n, float scale) {
    SR_GRID_STRIDE(i, n) dx[i] = sr_dropout_apply(keep[i] != 0, dy[i], scale);
}

__global__ void axpby_kernel(float a, const float* x, float b, float* y, int64_t n) {
    SR_GRID_STRIDE(i, n) y[i] = sr_axpby_elem(a, x[i], b, b == 0.0f ? 0.0f : y[i]);
}

// ---------------------------------------------------------------- sum of squares
// Level 1: block b sums its grid-stride share into partial[b]; level 2: one block sums the partials.
template <int Dtype>
__global__ void sum_squares_partial_kernel(const void* x, int64_t n, double* partial) {
    __shared__ double smem[kBlock];
    double s = 0.0;
    SR_GRID_STRIDE(i, n) {
        if (Dtype == SR_F32) s += sr_square_f32(static_cast<const float*>(x)[i]);
        else s += sr_square_bf16(static_cast<const uint16_t*>(x)[i]);
    }
    s = block_sum(s, smem);
    if (threadIdx.x == 0) partial[blockIdx.x] = s;
}

__global__ void sum_partials_kernel(const double* partial, int64_t count, double* out) {
    __shared__ double smem[kBlock];
    double s = 0.0;
    for (int64_t i = threadIdx.x; i < count; i += kBlock) s += partial[i];
    s = block_sum(s, smem);
    if (threadIdx.x == 0) *out = s;
}

unsigned rows_grid(int64_t rows) { return sr_grid_for(rows, kRowsPerBlock); }

}  // namespace

sr_status sr_cuda_bias_add(sr_env* env, float* y, const float* b, int64_t rows, int64_t cols) {
    bias_add_kernel<<<sr_grid_for(rows * cols, kBlock), kBlock, 0, sr_cuda(env)->stream>>>(y, b, rows, cols);
    SR_CUDA_LAUNCHED(env, "bias_add_kernel");
    return SR_OK;
}

sr_status sr_cuda_bias_grad(sr_env* env, const float* dy, float* db, int64_t rows, int64_t cols, float beta) {
    cudaStream_t s = sr_cuda(env)->stream;
    // Chunking depends only on rows, so the summation tree (and the result) is fixed per shape.
    int64_t chunks = (rows + kChunkRows - 1) / kChunkRows;
    if (chunks > kMaxChunks) chunks = kMaxChunks;
    const int64_t chunk_rows = chunks == 0 ? 1 : (rows + chunks - 1) / chunks;
    void* ws = nullptr;
    sr_status st = sr_cuda_workspace(env, sizeof(double) * (size_t)(chunks > 0 ? chunks * cols : 1), &ws);
    if (st != SR_OK) return st;
    double* partial = static_cast<double*>(ws);
    if (chunks > 0) {
        const int64_t tiles = (cols + kColTile - 1) / kColTile;
        if (tiles > 0x7fffffff) return sr_fail(env, SR_ERR_SHAPE, "cols = %lld is too large", (long long)cols);
        bias_grad_partial_kernel<<<dim3((unsigned)tiles, (unsigned)chunks), dim3(kColTile, kRowLanes), 0, s>>>(
            dy, partial, rows, cols, chunk_rows);
        SR_CUDA_LAUNCHED(env, "bias_grad_partial_kernel");
    }
    bias_grad_finish_kernel<<<sr_grid_for(cols, kBlock), kBlock, 0, s>>>(partial, db, chunks, cols, beta);
    SR_CUDA_LAUNCHED(env, "bias_grad_finish_kernel");
    return SR_OK;
}

sr_status sr_cuda_activation_fwd(sr_env* env, int32_t act, const float* x, float* y, int64_t n) {
    cudaStream_t s = sr_cuda(env)->stream;
    if (act == SR_ACT_RELU) act_fwd_kernel<SR_ACT_RELU><<<sr_grid_for(n, kBlock), kBlock, 0, s>>>(x, y, n);
    else act_fwd_kernel<SR_ACT_GELU><<<sr_grid_for(n, kBlock), kBlock, 0, s>>>(x, y, n);
    SR_CUDA_LAUNCHED(env, "act_fwd_kernel");
    return SR_OK;
}

sr_status sr_cuda_activation_bwd(sr_env* env, int32_t act, const float* x, const float* dy, float* dx, int64_t n) {
    cudaStream_t s = sr_cuda(env)->stream;
    if (act == SR_ACT_RELU) act_bwd_kernel<SR_ACT_RELU><<<sr_grid_for(n, kBlock), kBlock, 0, s>>>(x, dy, dx, n);
    else act_bwd_kernel<SR_ACT_GELU><<<sr_grid_for(n, kBlock), kBlock, 0, s>>>(x, dy, dx, n);
    SR_CUDA_LAUNCHED(env, "act_bwd_kernel");
    return SR_OK;
}

// Pass 1 (per-row loss / validation) and the reduction run before anything is written to dlogits;
// the host reads the summary, fails naming the first bad row, or launches pass 2 (the gradient).
sr_status sr_cuda_softmax_xent(sr_env* env, const float* logits, const int32_t* labels, int64_t rows,
                               int64_t classes, float grad_scale, float* dlogits, double* loss_sum,
                               int64_t* correct) {
    cudaStream_t s = sr_cuda(env)->stream;
    const size_t at_loss = align_up(sizeof(XentSummary));
    const size_t at_max = at_loss + align_up(sizeof(double) * (size_t)rows);
    const size_t at_sum = at_max + align_up(sizeof(float) * (size_t)rows);
    const size_t at_code = at_sum + align_up(sizeof(float) * (size_t)rows);
    const size_t at_hit = at_code + align_up(sizeof(int32_t) * (size_t)rows);
    const size_t bytes = at_hit + align_up(sizeof(int32_t) * (size_t)rows);
    void* ws = nullptr;
    void* pinned = nullptr;
    sr_status st = sr_cuda_workspace(env, bytes, &ws);
    if (st != SR_OK) return st;
    st = sr_cuda_host_scratch(env, sizeof(XentSummary), &pinned);
    if (st != SR_OK) return st;
    char* base = static_cast<char*>(ws);
    XentSummary* d_summary = reinterpret_cast<XentSummary*>(base);
    XentRows per_row{reinterpret_cast<double*>(base + at_loss), reinterpret_cast<float*>(base + at_max),
                     reinterpret_cast<float*>(base + at_sum), reinterpret_cast<int32_t*>(base + at_code),
                     reinterpret_cast<int32_t*>(base + at_hit)};

    xent_rows_kernel<<<rows_grid(rows), kBlock, 0, s>>>(logits, labels, rows, classes, per_row);
    SR_CUDA_LAUNCHED(env, "xent_rows_kernel");
    xent_reduce_kernel<<<1, kBlock, 0, s>>>(labels, rows, per_row, d_summary);
    SR_CUDA_LAUNCHED(env, "xent_reduce_kernel");
    SR_CUDA_TRY(env, cudaMemcpyAsync(pinned, d_summary, sizeof(XentSummary), cudaMemcpyDeviceToHost, s));
    SR_CUDA_TRY(env, cudaStreamSynchronize(s));
    const XentSummary sum = *static_cast<const XentSummary*>(pinned);
    if (sum.bad_row >= 0 && sum.code == SR_XENT_ROW_BAD_LABEL)
        return sr_fail(env, SR_ERR_OUT_OF_RANGE, "row %lld: label %d is outside [0, %lld)", sum.bad_row, sum.label,
                       (long long)classes);
    if (sum.bad_row >= 0)
        return sr_fail(env, SR_ERR_NONFINITE, "row %lld: logits contain NaN or Inf (training diverged?)",
                       sum.bad_row);
    if (dlogits != nullptr) {
        xent_grad_kernel<<<rows_grid(rows), kBlock, 0, s>>>(logits, labels, rows, classes, grad_scale, per_row,
                                                            dlogits);
        SR_CUDA_LAUNCHED(env, "xent_grad_kernel");
    }
    *loss_sum = sum.loss;
    *correct = (int64_t)sum.hits;
    return SR_OK;
}

// One launch, stream-ordered, no workspace, no host copy: capturable (sparseretrain/xent_acc.h).
sr_status sr_cuda_softmax_xent_acc(sr_env* env, const float* logits, const int32_t* labels, int64_t rows,
                                   int64_t classes, float grad_scale, float* dlogits, sr_xent_acc* acc) {
    xent_acc_kernel<<<rows_grid(rows), kBlock, 0, sr_cuda(env)->stream>>>(logits, labels, rows, classes, grad_scale,
                                                                           dlogits, acc);
    SR_CUDA_LAUNCHED(env, "xent_acc_kernel");
    return SR_OK;
}

sr_status sr_cuda_dropout_fwd(sr_env* env, const float* x, float* y, uint8_t* keep, int64_t n, float p,
                              uint64_t seed, uint64_t offset) {
    dropout_fwd_kernel<<<sr_grid_for(n, kBlock), kBlock, 0, sr_cuda(env)->stream>>>(x, y, keep, n, p,
                                                                                     sr_dropout_scale(p), seed, offset);
    SR_CUDA_LAUNCHED(env, "dropout_fwd_kernel");
    return SR_OK;
}

sr_status sr_cuda_dropout_fwd_dev(sr_env* env, const float* x, float* y, uint8_t* keep, int64_t n, float p,
                                  uint64_t seed, uint32_t* calls) {
    cudaStream_t s = sr_cuda(env)->stream;
    if (n > 0) {
        dropout_fwd_dev_kernel<<<sr_grid_for(n, kBlock), kBlock, 0, s>>>(x, y, keep, n, p, sr_dropout_scale(p), seed,
                                                                          calls);
        SR_CUDA_LAUNCHED(env, "dropout_fwd_dev_kernel");
    }
    counter_increment_kernel<<<1, 1, 0, s>>>(calls);
    SR_CUDA_LAUNCHED(env, "counter_increment_kernel");
    return SR_OK;
}

sr_status sr_cuda_dropout_bwd(sr_env* env, const float* dy, const uint8_t* keep, float* dx, int64_t n, float p) {
    dropout_bwd_kernel<<<sr_grid_for(n, kBlock), kBlock, 0, sr_cuda(env)->stream>>>(dy, keep, dx, n,
                                                                                     sr_dropout_scale(p));
    SR_CUDA_LAUNCHED(env, "dropout_bwd_kernel");
    return SR_OK;
}

sr_status sr_cuda_axpby(sr_env* env, float a, const float* x, float b, float* y, int64_t n) {
    axpby_kernel<<<sr_grid_for(n, kBlock), kBlock, 0, sr_cuda(env)->stream>>>(a, x, b, y, n);
    SR_CUDA_LAUNCHED(env, "axpby_kernel");
    return SR_OK;
}

sr_status sr_cuda_sum_squares(sr_env* env, int32_t dtype, const void* x, int64_t n, double* out) {
    cudaStream_t s = sr_cuda(env)->stream;
    // The number of first-level blocks depends only on n: a fixed tree per size.
    int64_t blocks = (n + kBlock - 1) / kBlock;
    if (blocks > kMaxPartials) blocks = kMaxPartials;
    void* ws = nullptr;
    void* pinned = nullptr;
    sr_status st = sr_cuda_workspace(env, sizeof(double) * (size_t)(blocks + 1), &ws);
    if (st != SR_OK) return st;
    st = sr_cuda_host_scratch(env, sizeof(double), &pinned);
    if (st != SR_OK) return st;
    double* partial = static_cast<double*>(ws);  // [blocks], then the total
    if (dtype == SR_F32) sum_squares_partial_kernel<SR_F32><<<(unsigned)blocks, kBlock, 0, s>>>(x, n, partial);
    else sum_squares_partial_kernel<SR_BF16><<<(unsigned)blocks, kBlock, 0, s>>>(x, n, partial);
    SR_CUDA_LAUNCHED(env, "sum_squares_partial_kernel");
    sum_partials_kernel<<<1, kBlock, 0, s>>>(partial, blocks, partial + blocks);
    SR_CUDA_LAUNCHED(env, "sum_partials_kernel");
    SR_CUDA_TRY(env, cudaMemcpyAsync(pinned, partial + blocks, sizeof(double), cudaMemcpyDeviceToHost, s));
    SR_CUDA_TRY(env, cudaStreamSynchronize(s));
    *out = *static_cast<const double*>(pinned);
    return SR_OK;
}
