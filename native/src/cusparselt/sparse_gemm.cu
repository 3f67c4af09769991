// sparse_gemm.cu — 2:4 sparse GEMM plans on cuSPARSELt (the component behind sr_sparse_gemm_*).
// Layouts (see sparseretrain.h): everything column-major for cuSPARSELt, W [n, k] row-major seen as
// the structured A, column-major [k, n] with ld = k:
//   forward     D[n,m] = A^T · B,  B = X^T  column-major [k, m] ld k,  D = Y^T  column-major [n, m] ld n
//   input grad  D[k,m] = A   · B,  B = dY^T column-major [n, m] ld n,  D = dX^T column-major [k, m] ld k
// so the 2:4 groups run along the reduction of op(A): k for forward, n for the input gradient.
#include <chrono>
#include <cstdio>
#include <new>
#include "cusparselt/lt_check.cuh"

namespace {

// Per-context state: one cuSPARSELt handle on the context's device.
struct LtState {
    cusparseLtHandle_t handle;
    int ordinal = -1;
    int cc_major = 0, cc_minor = 0;
    int32_t search_iterations = 0;  // sr_sparse_gemm_set_search; 0 = default algorithm
    char last_search[256] = "none"; // sr_sparse_gemm_last_search
};

// Everything a plan needs at run time, made once by plan_create (nothing is allocated later).
struct LtPlan {
    int ordinal = -1;
    int32_t op = 0;
    int64_t m = 0, n = 0, k = 0;
    cusparseOperation_t op_a = CUSPARSE_OPERATION_NON_TRANSPOSE;
    cusparseLtMatDescriptor_t a, b, c;
    bool a_made = false, b_made = false, c_made = false;
    cusparseLtMatmulDescriptor_t matmul;
    cusparseLtMatmulAlgSelection_t alg;
    bool alg_made = false;
    cusparseLtMatmulPlan_t plan;
    bool plan_made = false;
    void* workspace = nullptr;        // cusparseLtMatmulGetWorkspace bytes
    size_t workspace_bytes = 0;
    void* compressed = nullptr;       // the compressed W (values + metadata)
    void* compress_scratch = nullptr; // cusparseLtSpMMACompress2's buffer
    int* d_invalid = nullptr;         // cusparseLtSpMMAPruneCheck2's result: 0 = valid
    bool has_weights = false;
};

LtState* lt_state(void* s) { return static_cast<LtState*>(s); }
LtPlan* lt_plan(void* p) { return static_cast<LtPlan*>(p); }

sr_status context_init(sr_env* env, void** state) {
    SR_LT_CUDA_TRY(env, cudaSetDevice(env->ordinal));
    LtState* st = new (std::nothrow) LtState();
    if (st == nullptr) return sr_fail(env, SR_ERR_OUT_OF_MEMORY, "out of host memory for the cuSPARSELt state");
    st->ordinal = env->ordinal;
    cudaError_t err = cudaDeviceGetAttribute(&st->cc_major, cudaDevAttrComputeCapabilityMajor, env->ordinal);
    if (err == cudaSuccess)
        err = cudaDeviceGetAttribute(&st->cc_minor, cudaDevAttrComputeCapabilityMinor, env->ordinal);
    if (err != cudaSuccess) {
        cudaGetLastError();  // reported here, not again by the next launch (see SR_LT_CUDA_TRY)
        delete st;
        return sr_fail(env, SR_ERR_CUDA, "cudaDeviceGetAttribute(compute capability) failed at %s:%d: %s", __FILE__,
                       __LINE__, cudaGetErrorString(err));
    }
    cusparseStatus_t lst = cusparseLtInit(&st->handle);
    if (lst != CUSPARSE_STATUS_SUCCESS) {
        delete st;
        return sr_fail(env, SR_ERR_CUSPARSELT, "cusparseLtInit(&st->handle) failed at %s:%d: %s (%s)", __FILE__,
                       __LINE__, cusparseLtGetErrorName(lst), cusparseLtGetErrorString(lst));
    }
    *state = st;
    return SR_OK;
}

void context_shutdown(void* state) {
    LtState* st = lt_state(state);
    if (st == nullptr) return;
    cudaSetDevice(st->ordinal);
    cusparseLtDestroy(&st->handle);  // a destructor: nowhere to report a failure
    delete st;
}

sr_status device_supported(sr_env* env, void* state) {
    LtState* st = lt_state(state);
    if (st->cc_major < 8)
        return sr_fail(env, SR_ERR_NOT_AVAILABLE,
                       "device %d has compute capability %d.%d; Sparse Tensor Cores (cuSPARSELt) need 8.0 or newer",
                       st->ordinal, st->cc_major, st->cc_minor);
    return SR_OK;
}

void destroy(LtPlan* p) {
    if (p == nullptr) return;
    cudaSetDevice(p->ordinal);
    // Destroy calls only release; a failure here has nowhere to go (destructor path).
    if (p->plan_made) cusparseLtMatmulPlanDestroy(&p->plan);
    if (p->alg_made) cusparseLtMatmulAlgSelectionDestroy(&p->alg);
    if (p->a_made) cusparseLtMatDescriptorDestroy(&p->a);
    if (p->b_made) cusparseLtMatDescriptorDestroy(&p->b);
    if (p->c_made) cusparseLtMatDescriptorDestroy(&p->c);
    cudaFree(p->workspace);  // cudaFree waits for the work that still reads these buffers
    cudaFree(p->compressed);
    cudaFree(p->compress_scratch);
    cudaFree(p->d_invalid);
    delete p;
}

// Fills p step by step; on failure the caller destroys what was made (the *_made flags say what).
sr_status build(sr_env* env, LtState* st, LtPlan* p) {
    const cusparseLtHandle_t* h = &st->handle;
    const uint32_t align = 16;
    const cudaDataType type = CUDA_R_16BF;
    const cusparseOrder_t col = CUSPARSE_ORDER_COL;
    const bool fwd = p->op == SR_SPARSE_GEMM_FORWARD;
    // op(A) is [n, k] (forward, A^T) or [k, n] (input grad); the reduction length is k or n.
    p->op_a = fwd ? CUSPARSE_OPERATION_TRANSPOSE : CUSPARSE_OPERATION_NON_TRANSPOSE;
    const int64_t red = fwd ? p->k : p->n, out_rows = fwd ? p->n : p->k;
    SR_LT_TRY(env, cusparseLtStructuredDescriptorInit(h, &p->a, p->k, p->n, p->k, align, type, col,
                                                      CUSPARSELT_SPARSITY_50_PERCENT));
    p->a_made = true;
    SR_LT_TRY(env, cusparseLtDenseDescriptorInit(h, &p->b, red, p->m, red, align, type, col));
    p->b_made = true;
    SR_LT_TRY(env, cusparseLtDenseDescriptorInit(h, &p->c, out_rows, p->m, out_rows, align, type, col));
    p->c_made = true;
    SR_LT_TRY(env, cusparseLtMatmulDescriptorInit(h, &p->matmul, p->op_a, CUSPARSE_OPERATION_NON_TRANSPOSE, &p->a,
                                                  &p->b, &p->c, &p->c, CUSPARSE_COMPUTE_32F));
    SR_LT_TRY(env, cusparseLtMatmulAlgSelectionInit(h, &p->alg, &p->matmul, CUSPARSELT_MATMUL_ALG_DEFAULT));
    p->alg_made = true;
    if (st->search_iterations > 0) {  // read by cusparseLtMatmulSearch (search(), after this)
        const int32_t iterations = st->search_iterations;
        SR_LT_TRY(env, cusparseLtMatmulAlgSetAttribute(h, &p->alg, CUSPARSELT_MATMUL_SEARCH_ITERATIONS, &iterations,
                                                       sizeof iterations));
    }
    SR_LT_TRY(env, cusparseLtMatmulPlanInit(h, &p->plan, &p->matmul, &p->alg));
    p->plan_made = true;

    size_t workspace = 0, compressed = 0, scratch = 0;
    SR_LT_TRY(env, cusparseLtMatmulGetWorkspace(h, &p->plan, &workspace));
    SR_LT_TRY(env, cusparseLtSpMMACompressedSize2(h, &p->a, &compressed, &scratch));
    if (workspace > 0) SR_LT_CUDA_TRY(env, cudaMalloc(&p->workspace, workspace));
    p->workspace_bytes = workspace;
    SR_LT_CUDA_TRY(env, cudaMalloc(&p->compressed, compressed));
    if (scratch > 0) SR_LT_CUDA_TRY(env, cudaMalloc(&p->compress_scratch, scratch));
    SR_LT_CUDA_TRY(env, cudaMalloc(reinterpret_cast<void**>(&p->d_invalid), sizeof(int)));
    return SR_OK;
}

// Scratch buffers of one search, freed on every path.
struct SearchScratch {
    void* x = nullptr;
    void* y = nullptr;
    void* w = nullptr;
    void* workspace = nullptr;
    ~SearchScratch() {
        cudaFree(x);
        cudaFree(y);
        cudaFree(w);
        cudaFree(workspace);
    }
};

// cusparseLtMatmulSearch once on scratch data (X, Y = 0x3c3c bf16 ~ 0.0115, W = 0: a valid 2:4 weight),
// timing every configuration st->search_iterations times; the plan keeps the fastest. Blocking. The
// compressed buffer holds the zero W afterwards: has_weights stays false until the caller compresses.
sr_status search(sr_env* env, LtState* st, LtPlan* p) {
    const cusparseLtHandle_t* h = &st->handle;
    const bool fwd = p->op == SR_SPARSE_GEMM_FORWARD;
    const int64_t red = fwd ? p->k : p->n, out_rows = fwd ? p->n : p->k;
    const size_t kSearchWorkspace = 64u << 20;  // room for split-k configurations during the search
    cudaStream_t stream = static_cast<cudaStream_t>(env->stream);
    SearchScratch s;
    SR_LT_CUDA_TRY(env, cudaMalloc(&s.x, (size_t)(red * p->m) * 2));
    SR_LT_CUDA_TRY(env, cudaMalloc(&s.y, (size_t)(out_rows * p->m) * 2));
    SR_LT_CUDA_TRY(env, cudaMalloc(&s.w, (size_t)(p->n * p->k) * 2));
    const size_t ws = p->workspace_bytes > kSearchWorkspace ? p->workspace_bytes : kSearchWorkspace;
    SR_LT_CUDA_TRY(env, cudaMalloc(&s.workspace, ws));
    SR_LT_CUDA_TRY(env, cudaMemsetAsync(s.x, 0x3c, (size_t)(red * p->m) * 2, stream));
    SR_LT_CUDA_TRY(env, cudaMemsetAsync(s.y, 0x3c, (size_t)(out_rows * p->m) * 2, stream));
    SR_LT_CUDA_TRY(env, cudaMemsetAsync(s.w, 0, (size_t)(p->n * p->k) * 2, stream));
    SR_LT_TRY(env, cusparseLtSpMMACompress2(h, &p->a, 1, p->op_a, s.w, p->compressed, p->compress_scratch, stream));
    const int32_t iterations = st->search_iterations;
    SR_LT_CUDA_TRY(env, cudaStreamSynchronize(stream));
    const float alpha = 1.0f, beta = 0.0f;
    const auto t0 = std::chrono::steady_clock::now();
    SR_LT_TRY(env, cusparseLtMatmulSearch(h, &p->plan, &alpha, p->compressed, s.x, &beta, s.y, s.y, s.workspace,
                                          &stream, 1));
    SR_LT_CUDA_TRY(env, cudaStreamSynchronize(stream));
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    int alg = -1, alg_max = -1, split_k = -1, split_k_buffers = -1;
    cusparseLtSplitKMode_t mode = CUSPARSELT_INVALID_MODE;
    SR_LT_TRY(env, cusparseLtMatmulAlgGetAttribute(h, &p->alg, CUSPARSELT_MATMUL_ALG_CONFIG_ID, &alg, sizeof alg));
    SR_LT_TRY(env, cusparseLtMatmulAlgGetAttribute(h, &p->alg, CUSPARSELT_MATMUL_ALG_CONFIG_MAX_ID, &alg_max,
                                                   sizeof alg_max));
    SR_LT_TRY(env, cusparseLtMatmulAlgGetAttribute(h, &p->alg, CUSPARSELT_MATMUL_SPLIT_K, &split_k, sizeof split_k));
    SR_LT_TRY(env, cusparseLtMatmulAlgGetAttribute(h, &p->alg, CUSPARSELT_MATMUL_SPLIT_K_MODE, &mode, sizeof mode));
    SR_LT_TRY(env, cusparseLtMatmulAlgGetAttribute(h, &p->alg, CUSPARSELT_MATMUL_SPLIT_K_BUFFERS, &split_k_buffers,
                                                   sizeof split_k_buffers));
    // The chosen configuration may need more workspace than the default one.
    size_t need = 0;
    SR_LT_TRY(env, cusparseLtMatmulGetWorkspace(h, &p->plan, &need));
    if (need > p->workspace_bytes) {
        SR_LT_CUDA_TRY(env, cudaFree(p->workspace));
        p->workspace = nullptr;
        p->workspace_bytes = 0;
        SR_LT_CUDA_TRY(env, cudaMalloc(&p->workspace, need));
        p->workspace_bytes = need;
    }
    std::snprintf(st->last_search, sizeof st->last_search,
                  "alg=%d/%d split_k=%d mode=%d buffers=%d workspace=%zu search_ms=%.1f (m=%lld n=%lld k=%lld %s, "
                  "%d iterations)", alg, alg_max, split_k, (int)mode, split_k_buffers, p->workspace_bytes, ms,
                  (long long)p->m, (long long)p->n, (long long)p->k, fwd ? "forward" : "input_grad", iterations);
    return SR_OK;
}

sr_status plan_create(sr_env* env, void* state, int32_t /*dtype: SR_BF16, checked*/, int64_t m, int64_t n, int64_t k,
                      int32_t op, void** out) {
    SR_LT_CUDA_TRY(env, cudaSetDevice(env->ordinal));
    LtPlan* p = new (std::nothrow) LtPlan();
    if (p == nullptr) return sr_fail(env, SR_ERR_OUT_OF_MEMORY, "out of host memory for a cuSPARSELt plan");
    p->ordinal = env->ordinal;
    p->op = op;
    p->m = m;
    p->n = n;
    p->k = k;
    sr_status st = build(env, lt_state(state), p);
    if (st == SR_OK && lt_state(state)->search_iterations > 0) st = search(env, lt_state(state), p);
    if (st != SR_OK) {
        destroy(p);
        return st;
    }
    *out = p;
    return SR_OK;
}

sr_status plan_compress(sr_env* env, void* state, void* plan, const void* w, int32_t check_pattern) {
    LtState* st = lt_state(state);
    LtPlan* p = lt_plan(plan);
    cudaStream_t stream = static_cast<cudaStream_t>(env->stream);
    SR_LT_CUDA_TRY(env, cudaSetDevice(p->ordinal));
    if (check_pattern) {
        int invalid = 0;
        SR_LT_TRY(env, cusparseLtSpMMAPruneCheck2(&st->handle, &p->a, 1, p->op_a, w, p->d_invalid, stream));
        SR_LT_CUDA_TRY(env, cudaMemcpyAsync(&invalid, p->d_invalid, sizeof(int), cudaMemcpyDeviceToHost, stream));
        SR_LT_CUDA_TRY(env, cudaStreamSynchronize(stream));
        if (invalid != 0)
            return sr_fail(env, SR_ERR_PATTERN,
                           "W [n=%lld, k=%lld] is not 2:4 along %s (the reduction of this plan's op%s); nothing "
                           "compressed", (long long)p->n, (long long)p->k, p->op == SR_SPARSE_GEMM_FORWARD ? "k" : "n",
                           p->op == SR_SPARSE_GEMM_FORWARD ? "" : ": use a transposable 2:4 mask");
    }
    SR_LT_TRY(env, cusparseLtSpMMACompress2(&st->handle, &p->a, 1, p->op_a, w, p->compressed, p->compress_scratch,
                                            stream));
    p->has_weights = true;
    return SR_OK;
}

sr_status plan_run(sr_env* env, void* state, void* plan, const void* x, void* y, float alpha, float beta) {
    LtState* st = lt_state(state);
    LtPlan* p = lt_plan(plan);
    if (!p->has_weights)
        return sr_fail(env, SR_ERR_INVALID_ARGUMENT, "the plan has no weights yet: call sr_sparse_gemm_compress first");
    cudaStream_t stream = static_cast<cudaStream_t>(env->stream);
    SR_LT_CUDA_TRY(env, cudaSetDevice(p->ordinal));
    SR_LT_TRY(env, cusparseLtMatmul(&st->handle, &p->plan, &alpha, p->compressed, x, &beta, y, y, p->workspace,
                                    &stream, 1));
    return SR_OK;
}

void plan_destroy(void* plan) { destroy(lt_plan(plan)); }

void set_search(void* state, int32_t iterations) { lt_state(state)->search_iterations = iterations; }

void last_search(void* state, char* buf, size_t cap) { std::snprintf(buf, cap, "%s", lt_state(state)->last_search); }

const sr_lt_ops kTable = {SR_LT_OPS_ABI, context_init,  context_shutdown, device_supported, plan_create,
                          plan_compress, plan_run,      plan_destroy,     set_search,       last_search};

}  // namespace

extern "C" __attribute__((visibility("default"))) const sr_lt_ops* sr_lt_ops_table(void) { return &kTable; }
