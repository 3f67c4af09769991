// sparse_gemm.cpp — host reference of the 2:4 sparse GEMM plans (sr_sparse_gemm_*), behind the same
// seam as the cuSPARSELt component (runtime/lt_ops.h), so a host context takes the very same argument
// checks in runtime/api_sparse_gemm.cpp and the same contract: bf16 in/out, fp32 accumulation,
// alpha/beta, pattern check -> SR_ERR_PATTERN, nothing allocated after create.
//
// W [n, k] is compressed into the project's portable 2:4 layout (common/compress24.h) and every product
// is computed FROM the compressed form (values + 2-bit indices), so the host path really exercises the
// compressed operand and a wrong encoding shows up as a wrong product:
//   FORWARD     groups of 4 along k:  W viewed as [outer=n, K=k, inner=1]; values [n, k/2], meta [n, k/4]
//               Y[i,j]   = sum_g x[i, 4g+idx0]*v0 + x[i, 4g+idx1]*v1
//   INPUT_GRAD  groups of 4 along n:  W viewed as [outer=1, K=n, inner=k]; values [n/2, k], meta [n/4, k]
//               dX[i,c]  = sum_g dy[i, 4g+idx0(c)]*v0(c) + dy[i, 4g+idx1(c)]*v1(c)
// The kept positions are W's nonzeros (the pattern cuSPARSELt checks). Accumulation is fp32 in the
// order of the groups; the result is rounded once to bf16. beta = 0 ignores y's old contents (as BLAS).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include "common/bf16.h"
#include "common/compress24.h"
#include "host/host_ops.h"
#include "runtime/lt_ops.h"

namespace {

struct HostPlan {
    int32_t op = SR_SPARSE_GEMM_FORWARD;
    int64_t m = 0, n = 0, k = 0;
    int64_t outer = 0, kdim = 0, inner = 0;  // the [outer, K, inner] view of W for this op
    uint16_t* values = nullptr;              // bf16 [outer, K/2, inner]
    uint8_t* meta = nullptr;                 // [outer, K/4, inner]
    float* row_in = nullptr;                 // one row of x widened to float (k or n)
    float* row_out = nullptr;                // one row of the fp32 accumulator (n or k)
    bool has_weights = false;
};

// One byte of state makes lt_state non-null (the core asks for it once per context); nothing to own.
char g_state_tag;

sr_status context_init(sr_env*, void** state) {
    *state = &g_state_tag;
    return SR_OK;
}
void context_shutdown(void*) {}
sr_status device_supported(sr_env*, void*) { return SR_OK; }

void destroy(HostPlan* p) {
    if (p == nullptr) return;
    std::free(p->values);
    std::free(p->meta);
    std::free(p->row_in);
    std::free(p->row_out);
    delete p;
}

sr_status plan_create(sr_env* env, void*, int32_t, int64_t m, int64_t n, int64_t k, int32_t op, void** out) {
    HostPlan* p = new (std::nothrow) HostPlan();
    if (p == nullptr) return sr_fail(env, SR_ERR_OUT_OF_MEMORY, "out of host memory for a sparse GEMM plan");
    p->op = op;
    p->m = m;
    p->n = n;
    p->k = k;
    const bool fwd = op == SR_SPARSE_GEMM_FORWARD;
    p->outer = fwd ? n : 1;
    p->kdim = fwd ? k : n;
    p->inner = fwd ? 1 : k;
    // Every buffer a step needs is made here: compress and run only read and write them.
    p->values = static_cast<uint16_t*>(std::malloc((size_t)(n * k / 2) * sizeof(uint16_t)));
    p->meta = static_cast<uint8_t*>(std::malloc((size_t)(n * k / 4)));
    p->row_in = static_cast<float*>(std::malloc((size_t)(fwd ? k : n) * sizeof(float)));
    p->row_out = static_cast<float*>(std::malloc((size_t)(fwd ? n : k) * sizeof(float)));
    if (p->values == nullptr || p->meta == nullptr || p->row_in == nullptr || p->row_out == nullptr) {
        destroy(p);
        return sr_fail(env, SR_ERR_OUT_OF_MEMORY, "out of host memory for a sparse GEMM plan [m=%lld, n=%lld, k=%lld]",
                       (long long)m, (long long)n, (long long)k);
    }
    *out = p;
    return SR_OK;
}

// Kept bits of group g: positions holding a nonzero bf16 (+0 and -0 are both zero, as in the pattern check).
uint32_t kept_nonzero(const uint16_t* w, int64_t wb, int64_t inner) {
    uint32_t kept = 0;
    for (int j = 0; j < 4; ++j) kept |= ((w[wb + j * inner] & 0x7fffu) != 0 ? 1u : 0u) << j;
    return kept;
}

sr_status plan_compress(sr_env* env, void*, void* plan, const void* w_dense, int32_t check_pattern) {
    HostPlan* p = static_cast<HostPlan*>(plan);
    const uint16_t* w = static_cast<const uint16_t*>(w_dense);
    const int64_t groups = p->outer * (p->kdim / 4) * p->inner;
    if (check_pattern) {
        for (int64_t g = 0; g < groups; ++g) {
            if (sr_c24_count(kept_nonzero(w, sr_c24_w_base(g, p->inner), p->inner)) <= 2) continue;
            const bool fwd = p->op == SR_SPARSE_GEMM_FORWARD;
            // Group g at (row, column) of W: forward groups run along k in row g/(k/4); input-grad groups
            // run along n in column g % k.
            const long long row = fwd ? g / (p->k / 4) : (g / p->k) * 4, col = fwd ? (g % (p->k / 4)) * 4 : g % p->k;
            return sr_fail(env, SR_ERR_PATTERN,
                           "W [n=%lld, k=%lld] is not 2:4 along %s (the reduction of this plan's op%s): the group "
                           "of 4 at W[%lld, %lld] along %s has more than 2 nonzeros; nothing compressed",
                           (long long)p->n, (long long)p->k, fwd ? "k" : "n",
                           fwd ? "" : ": use a transposable 2:4 mask", row, col, fwd ? "k" : "n");
        }
    }
    // Unchecked input that breaks the pattern has no defined result on cuSPARSELt; here the first two
    // nonzeros of such a group are kept (deterministic, and never reads past the group).
    for (int64_t g = 0; g < groups; ++g) {
        const int64_t wb = sr_c24_w_base(g, p->inner), vb = sr_c24_v_base(g, p->inner);
        uint32_t kept = kept_nonzero(w, wb, p->inner);
        while (sr_c24_count(kept) > 2) kept &= ~(1u << (31 - __builtin_clz(kept)));  // drop the highest
        uint32_t real = 0;
        const int code = sr_c24_encode(kept, &real);
        const int idx0 = code & 3, idx1 = (code >> 2) & 3;
        p->values[vb] = (real & 1u) ? w[wb + idx0 * p->inner] : 0;
        p->values[vb + p->inner] = (real & 2u) ? w[wb + idx1 * p->inner] : 0;
        p->meta[g] = (uint8_t)code;
    }
    p->has_weights = true;
    return SR_OK;
}

// y_row[j] = alpha * acc[j] + beta * y_row[j], rounded once to bf16.
void store_row(uint16_t* y, const float* acc, int64_t cols, float alpha, float beta) {
    for (int64_t j = 0; j < cols; ++j) {
        const float prior = beta == 0.0f ? 0.0f : beta * sr_bf16_to_float(y[j]);
        y[j] = sr_float_to_bf16(alpha * acc[j] + prior);
    }
}

// Y[m,n] = X[m,k] · W^T: row j of W has k/4 groups along k.
void run_forward(HostPlan* p, const uint16_t* x, uint16_t* y, float alpha, float beta) {
    const int64_t groups = p->k / 4;
    for (int64_t i = 0; i < p->m; ++i) {
        for (int64_t c = 0; c < p->k; ++c) p->row_in[c] = sr_bf16_to_float(x[i * p->k + c]);
        for (int64_t j = 0; j < p->n; ++j) {
            const uint16_t* v = p->values + j * (p->k / 2);
            const uint8_t* meta = p->meta + j * groups;
            float acc = 0.0f;
            for (int64_t g = 0; g < groups; ++g) {
                const float* xg = p->row_in + 4 * g;
                acc += xg[meta[g] & 3] * sr_bf16_to_float(v[2 * g]);
                acc += xg[(meta[g] >> 2) & 3] * sr_bf16_to_float(v[2 * g + 1]);
            }
            p->row_out[j] = acc;
        }
        store_row(y + i * p->n, p->row_out, p->n, alpha, beta);
    }
}

// dX[m,k] = dY[m,n] · W: column c of W has n/4 groups along n (values [n/2, k], meta [n/4, k]).
void run_input_grad(HostPlan* p, const uint16_t* dy, uint16_t* dx, float alpha, float beta) {
    const int64_t groups = p->n / 4, k = p->k;
    for (int64_t i = 0; i < p->m; ++i) {
        for (int64_t j = 0; j < p->n; ++j) p->row_in[j] = sr_bf16_to_float(dy[i * p->n + j]);
        for (int64_t c = 0; c < k; ++c) p->row_out[c] = 0.0f;
        for (int64_t g = 0; g < groups; ++g) {
            const float* dyg = p->row_in + 4 * g;
            const uint16_t* v0 = p->values + (2 * g) * k;
            const uint16_t* v1 = v0 + k;
            const uint8_t* meta = p->meta + g * k;
            for (int64_t c = 0; c < k; ++c) {
                p->row_out[c] += dyg[meta[c] & 3] * sr_bf16_to_float(v0[c]);
                p->row_out[c] += dyg[(meta[c] >> 2) & 3] * sr_bf16_to_float(v1[c]);
            }
        }
        store_row(dx + i * k, p->row_out, k, alpha, beta);
    }
}

sr_status plan_run(sr_env* env, void*, void* plan, const void* x, void* y, float alpha, float beta) {
    HostPlan* p = static_cast<HostPlan*>(plan);
    if (!p->has_weights)
        return sr_fail(env, SR_ERR_INVALID_ARGUMENT, "the plan has no weights yet: call sr_sparse_gemm_compress first");
    if (p->op == SR_SPARSE_GEMM_FORWARD)
        run_forward(p, static_cast<const uint16_t*>(x), static_cast<uint16_t*>(y), alpha, beta);
    else
        run_input_grad(p, static_cast<const uint16_t*>(x), static_cast<uint16_t*>(y), alpha, beta);
    return SR_OK;
}

void plan_destroy(void* plan) { destroy(static_cast<HostPlan*>(plan)); }

// The host has one way to run a plan: nothing to search (the core refuses searches on host contexts
// before reaching these; they are filled so that no entry of the table is NULL).
void set_search(void*, int32_t) {}
void last_search(void*, char* buf, size_t cap) {
    if (buf != nullptr && cap > 0) std::snprintf(buf, cap, "none (host reference: one algorithm)");
}

sr_lt_ops make_table() {
    sr_lt_ops t{};  // value-initialised: an entry added to the seam later stays NULL here until implemented
    t.abi = SR_LT_OPS_ABI;
    t.context_init = context_init;
    t.context_shutdown = context_shutdown;
    t.device_supported = device_supported;
    t.plan_create = plan_create;
    t.plan_compress = plan_compress;
    t.plan_run = plan_run;
    t.plan_destroy = plan_destroy;
    t.set_search = set_search;
    t.last_search = last_search;
    return t;
}

}  // namespace

const sr_lt_ops* sr_host_lt_ops(void) {
    static const sr_lt_ops table = make_table();
    return &table;
}
