// api_sparse_gemm.cpp — 2:4 sparse GEMM plans of the public C API: the shape/dtype rules and pointer
// checks run here, on any machine; the plan itself lives in libsparseretrain_lt.so (CUDA contexts) or in
// the host reference host/sparse_gemm.cpp (host contexts), both behind runtime/lt_ops.h.
#include <cstdint>
#include <cstring>
#include <new>
#include <string>
#include "host/host_ops.h"
#include "runtime/api_support.h"

// The public handle: what the core checks against, plus the component's plan.
struct sr_sparse_gemm {
    sr_context* ctx = nullptr;
    const sr_lt_ops* lt = nullptr;
    void* impl = nullptr;
    int32_t dtype = SR_BF16, op = SR_SPARSE_GEMM_FORWARD;
    int64_t m = 0, n = 0, k = 0;
};

namespace {

const int64_t kMaxElements = INT32_MAX;  // cuSPARSELt: < 2^31 elements per 16-bit matrix
// cuSPARSELt 0.8.1 also refuses a C/D with more than 2,097,120 (0x1fffe0) rows or columns
// (cusparseLtMatmulDescriptorInit: NOT_SUPPORTED, "matC, matD exceeds the maximum size allowed"). Not in
// its documentation: the constant and the check were read from libcusparseLt.so.0 0.8.1. Our D is
// [output width, m]: without this rule supported() said 1 for m > 2,097,120 (a large im2col batch) and
// create then failed in cuSPARSELt, so a caller could not fall back to dense.
const int64_t kMaxOutputSide = 2097120;

void put(char* buf, size_t cap, const std::string& text) {
    if (buf == nullptr || cap == 0) return;
    size_t len = text.size() < cap - 1 ? text.size() : cap - 1;
    std::memcpy(buf, text.data(), len);
    buf[len] = '\0';
}

// The rules that need no device, in the order a caller would fix them. SR_OK or the status with why.
sr_status check_rules(int32_t dtype, int64_t m, int64_t n, int64_t k, int32_t op, std::string* why) {
    char tmp[512];
    if (dtype == SR_F32) {
        *why = "dtype SR_F32 (0): cuSPARSELt's 50% structured sparsity for float/tf32 is 1:2 (one kept of every "
               "pair), not the 2:4 our masks produce; cast W and the activations to SR_BF16 (1)";
        return SR_ERR_DTYPE;
    }
    if (dtype != SR_BF16) {
        std::snprintf(tmp, sizeof tmp, "dtype %d: only SR_BF16 (1) is supported (fp16 later)", dtype);
        *why = tmp;
        return SR_ERR_DTYPE;
    }
    if (op != SR_SPARSE_GEMM_FORWARD && op != SR_SPARSE_GEMM_INPUT_GRAD) {
        std::snprintf(tmp, sizeof tmp, "op = %d is neither SR_SPARSE_GEMM_FORWARD (0) nor SR_SPARSE_GEMM_INPUT_GRAD (1)",
                      op);
        *why = tmp;
        return SR_ERR_INVALID_ARGUMENT;
    }
    struct Dim { const char* name; const char* role; int64_t value; int64_t multiple; };
    const Dim dims[3] = {{"m", "batch rows, a dense dimension", m, 8},
                         {"n", "out features, a side of the structured W", n, 16},
                         {"k", "in features, a side of the structured W", k, 16}};
    for (const Dim& d : dims) {
        if (d.value <= 0) {
            std::snprintf(tmp, sizeof tmp, "%s = %lld (%s) is too small: it must be positive", d.name,
                          (long long)d.value, d.role);
            *why = tmp;
            return SR_ERR_SHAPE;
        }
        if (d.value % d.multiple != 0) {
            std::snprintf(tmp, sizeof tmp, "%s = %lld (%s) must be a multiple of %lld for bf16 (cuSPARSELt rule); "
                          "pad it to %lld", d.name, (long long)d.value, d.role, (long long)d.multiple,
                          (long long)((d.value + d.multiple - 1) / d.multiple * d.multiple));
            *why = tmp;
            return SR_ERR_SHAPE;
        }
    }
    // Dimensions are positive multiples of 8 here; a quotient test avoids overflowing the products.
    const char* names[3] = {"X/dY [m, k or n]", "W [n, k]", "Y/dX [m, n or k]"};
    int64_t rows[3] = {m, n, m}, cols[3] = {op == SR_SPARSE_GEMM_FORWARD ? k : n, k, op == SR_SPARSE_GEMM_FORWARD ? n : k};
    for (int i = 0; i < 3; ++i)
        if (rows[i] > kMaxElements / cols[i]) {
            std::snprintf(tmp, sizeof tmp, "%s = [%lld, %lld] has 2^31 elements or more (cuSPARSELt's limit for bf16)",
                          names[i], (long long)rows[i], (long long)cols[i]);
            *why = tmp;
            return SR_ERR_SHAPE;
        }
    const bool fwd = op == SR_SPARSE_GEMM_FORWARD;
    const Dim sides[2] = {{"m", "batch rows", m, 0},
                          {fwd ? "n" : "k", fwd ? "out features" : "in features", fwd ? n : k, 0}};
    for (const Dim& d : sides)
        if (d.value > kMaxOutputSide) {
            std::snprintf(tmp, sizeof tmp, "%s = %lld (%s, a side of the output) is above %lld, cuSPARSELt's limit "
                          "on a side of C/D; split it", d.name, (long long)d.value, d.role, (long long)kMaxOutputSide);
            *why = tmp;
            return SR_ERR_SHAPE;
        }
    return SR_OK;
}

// Loads the component (CUDA) or takes the host reference (host/sparse_gemm.cpp, same seam and contract)
// and makes the context's state (handle) once. SR_OK or a message on ctx.
sr_status ensure_lt(sr_context* ctx, const char* call) {
    if (ctx->kind == SR_DEVICE_HOST && ctx->lt == nullptr) ctx->lt = sr_host_lt_ops();
    if (ctx->lt == nullptr) {
        std::string reason;
        const sr_lt_ops* lt = sr_load_lt_ops(&reason);
        if (lt == nullptr)
            return sr_ctx_fail(ctx, SR_ERR_NOT_AVAILABLE, "%s: cuSPARSELt component unavailable: %s", call,
                               reason.c_str());
        ctx->lt = lt;
    }
    if (ctx->lt_state == nullptr) {
        sr_status st = sr_ctx_result(ctx, call, ctx->lt->context_init(&ctx->env, &ctx->lt_state));
        if (st != SR_OK) return st;
    }
    return sr_ctx_result(ctx, call, ctx->lt->device_supported(&ctx->env, ctx->lt_state));
}

bool aligned16(const void* p) { return (reinterpret_cast<uintptr_t>(p) & 15u) == 0; }

#define SR_REQUIRE_ALIGNED(ctx, call, ptr)                                                                  \
    SR_REQUIRE(ctx, aligned16(ptr), SR_ERR_INVALID_ARGUMENT,                                                \
               "%s: argument '%s' = %p is not 16-byte aligned (cuSPARSELt needs 16-byte alignment)", call, #ptr, \
               (const void*)(ptr))

sr_status check_plan(sr_context* ctx, const char* call, const sr_sparse_gemm* plan) {
    SR_REQUIRE_PTR(ctx, call, plan);
    SR_REQUIRE(ctx, plan->ctx == ctx, SR_ERR_INVALID_ARGUMENT,
               "%s: the plan was made on another context (%p, not %p)", call, (const void*)plan->ctx, (const void*)ctx);
    return SR_OK;
}

}  // namespace

SR_EXPORT int32_t sr_sparse_gemm_supported(sr_context* ctx, int32_t dtype, int64_t m, int64_t n, int64_t k,
                                           int32_t op, char* reason, size_t cap) {
    const char* call = "sr_sparse_gemm_supported";
    put(reason, cap, "");
    if (ctx == nullptr) {
        put(reason, cap, std::string(call) + ": context is NULL");
        return 0;
    }
    std::string why;
    if (check_rules(dtype, m, n, k, op, &why) != SR_OK) {
        put(reason, cap, why);
        return 0;
    }
    // Keep the caller's last error: a query is not a failure of the context.
    std::string saved = ctx->last_error;
    sr_status st = ensure_lt(ctx, call);
    if (st != SR_OK) put(reason, cap, ctx->last_error);
    ctx->last_error = saved;
    return st == SR_OK ? 1 : 0;
}

SR_EXPORT sr_status sr_sparse_gemm_create(sr_context* ctx, int32_t dtype, int64_t m, int64_t n, int64_t k, int32_t op,
                                          sr_sparse_gemm** out) {
    const char* call = "sr_sparse_gemm_create";
    SR_CHECK_CTX(ctx, call);
    SR_REQUIRE_PTR(ctx, call, out);
    *out = nullptr;
    std::string why;
    sr_status st = check_rules(dtype, m, n, k, op, &why);
    if (st != SR_OK) return sr_ctx_fail(ctx, st, "%s: %s", call, why.c_str());
    st = ensure_lt(ctx, call);
    if (st != SR_OK) return st;
    sr_sparse_gemm* plan = new (std::nothrow) sr_sparse_gemm();
    if (plan == nullptr) return sr_ctx_fail(ctx, SR_ERR_OUT_OF_MEMORY, "%s: out of host memory", call);
    plan->ctx = ctx;
    plan->lt = ctx->lt;
    plan->dtype = dtype;
    plan->op = op;
    plan->m = m;
    plan->n = n;
    plan->k = k;
    st = sr_ctx_result(ctx, call, ctx->lt->plan_create(&ctx->env, ctx->lt_state, dtype, m, n, k, op, &plan->impl));
    if (st != SR_OK) {
        delete plan;
        return st;
    }
    *out = plan;
    return SR_OK;
}

SR_EXPORT sr_status sr_sparse_gemm_compress(sr_context* ctx, sr_sparse_gemm* plan, const void* w_dense,
                                            int32_t check_pattern) {
    const char* call = "sr_sparse_gemm_compress";
    SR_CHECK_CTX(ctx, call);
    sr_status st = check_plan(ctx, call, plan);
    if (st != SR_OK) return st;
    SR_REQUIRE_PTR(ctx, call, w_dense);
    SR_REQUIRE_ALIGNED(ctx, call, w_dense);
    return sr_ctx_result(ctx, call,
                         ctx->lt->plan_compress(&ctx->env, ctx->lt_state, plan->impl, w_dense, check_pattern != 0));
}

SR_EXPORT sr_status sr_sparse_gemm_run(sr_context* ctx, sr_sparse_gemm* plan, const void* x, void* y, float alpha,
                                       float beta) {
    const char* call = "sr_sparse_gemm_run";
    SR_CHECK_CTX(ctx, call);
    sr_status st = check_plan(ctx, call, plan);
    if (st != SR_OK) return st;
    SR_REQUIRE_PTR(ctx, call, x);
    SR_REQUIRE_PTR(ctx, call, y);
    SR_REQUIRE_ALIGNED(ctx, call, x);
    SR_REQUIRE_ALIGNED(ctx, call, y);
    return sr_ctx_result(ctx, call, ctx->lt->plan_run(&ctx->env, ctx->lt_state, plan->impl, x, y, alpha, beta));
}

SR_EXPORT void sr_sparse_gemm_destroy(sr_sparse_gemm* plan) {
    if (plan == nullptr) return;
    if (plan->impl != nullptr) plan->lt->plan_destroy(plan->impl);
    delete plan;
}
