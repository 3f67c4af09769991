// cuda_vs_host.cpp — every op of the public C API on a CUDA context against the host reference
// context, on random data (never all zero), several shapes including odd sizes and multi-tensor
// lists; outputs poisoned before each run. Masks, counts, casts and 2:4 layouts must match bit for
// bit; optimizer steps within a few ulp (nvcc may contract a*b+c into an FMA where g++ does not);
// GEMM (F32 and bf16) exactly on small integers. Prints "N passed, N failed" and exits 1 on any failure; prints
// "skipped: <reason>" and exits 0 where no CUDA context can be created. Links libsparseretrain only.
// The device-resident step scalars and a captured step replayed N times: step_scalars_cases.h.
// The accumulating softmax cross-entropy, uncaptured and replayed from a graph: xent_acc_cases.h.
#include "dropout_dev_cases.h"
#include "harness.h"
#include "step_scalars_cases.h"
#include "xent_acc_cases.h"

using namespace cvh;

namespace {
struct Shape {
    int64_t outer, k, inner;
    int64_t n() const { return outer * k * inner; }
    std::string str() const {
        return "[" + std::to_string(outer) + "," + std::to_string(k) + "," + std::to_string(inner) + "]";
    }
};
// Odd sizes, a conv weight [Cout=16, Cin=8, 3x3] and a long 1-D vector.
const Shape kShapes[] = {{7, 13, 1}, {64, 96, 1}, {16, 8, 9}, {1, 1031, 1}, {33, 64, 1}};
// Reduction dims that are multiples of 16 and outer multiples of 4 (N:M, transposable, 2:4 layout).
const Shape kNmShapes[] = {{8, 16, 1}, {12, 48, 1}, {16, 32, 9}, {4, 16, 1}};
const int32_t kDtypes[] = {SR_F32, SR_BF16};
const char* dname(int32_t d) { return d == SR_F32 ? "F32" : d == SR_BF16 ? "BF16" : "U8"; }

// Weights of dtype d on both sides, from the same random floats (BF16 through sr_cast on each side).
std::unique_ptr<Dual> weights(std::mt19937& r, int32_t d, int64_t n) {
    auto f = dual_of(random_floats(r, (size_t)n));
    if (d == SR_F32) return f;
    auto b = std::make_unique<Dual>((size_t)n * 2);
    for (int s = 0; s < 2; ++s) sr_cast(g_ctx.c[s], SR_F32, f->p[s], SR_BF16, b->p[s], n);
    return b;
}

void test_cast(std::mt19937& r) {
    for (int64_t n : {1, 7, 4099}) {
        std::vector<float> x = random_floats(r, (size_t)n);
        x[0] = NAN;
        if (n > 2) { x[1] = INFINITY; x[2] = 1.00390625f; }  // halfway between two bf16: rounds to even
        auto f = dual_of(x);
        Dual b((size_t)n * 2), back((size_t)n * 4);
        b.poison();
        back.poison();
        std::string w = "cast n=" + std::to_string(n);
        if (!both_ok(w + " F32->BF16", sr_cast(g_ctx.c[0], SR_F32, f->p[0], SR_BF16, b.p[0], n),
                     sr_cast(g_ctx.c[1], SR_F32, f->p[1], SR_BF16, b.p[1], n))) continue;
        same_bytes(w + " F32->BF16", b);
        if (both_ok(w + " BF16->F32", sr_cast(g_ctx.c[0], SR_BF16, b.p[0], SR_F32, back.p[0], n),
                    sr_cast(g_ctx.c[1], SR_BF16, b.p[1], SR_F32, back.p[1], n)))
            same_bytes(w + " BF16->F32", back);
    }
}

void test_apply_and_count(std::mt19937& r) {
    for (int32_t d : kDtypes) {
        for (const Shape& s : kShapes) {
            std::string w = std::string("apply_mask ") + dname(d) + " " + s.str();
            auto wt = weights(r, d, s.n());
            auto m = dual_of(random_mask(r, (size_t)s.n(), 0.6));
            if (!both_ok(w, sr_apply_mask(g_ctx.c[0], d, wt->p[0], (uint8_t*)m->p[0], s.n()),
                         sr_apply_mask(g_ctx.c[1], d, wt->p[1], (uint8_t*)m->p[1], s.n()))) continue;
            same_bytes(w, *wt);
            int64_t ch = -1, cc = -2;
            if (both_ok("count " + w, sr_count_nonzero(g_ctx.c[0], d, wt->p[0], s.n(), &ch),
                        sr_count_nonzero(g_ctx.c[1], d, wt->p[1], s.n(), &cc)))
                same_i64("count_nonzero " + w, ch, cc);
        }
    }
    // a list of 5 masks of different sizes: per-tensor counts and the total
    std::vector<std::unique_ptr<Dual>> ms;
    std::vector<const void*> ptr[2];
    std::vector<int64_t> sizes;
    for (const Shape& s : kShapes) {
        ms.push_back(dual_of(random_mask(r, (size_t)s.n(), 0.3)));
        for (int side = 0; side < 2; ++side) ptr[side].push_back(ms.back()->p[side]);
        sizes.push_back(s.n());
    }
    std::vector<int64_t> per[2] = {std::vector<int64_t>(5, -1), std::vector<int64_t>(5, -2)};
    int64_t tot[2] = {-1, -2};
    if (both_ok("count_nonzero_many", sr_count_nonzero_many(g_ctx.c[0], SR_U8, 5, ptr[0].data(), sizes.data(), per[0].data(), &tot[0]),
                sr_count_nonzero_many(g_ctx.c[1], SR_U8, 5, ptr[1].data(), sizes.data(), per[1].data(), &tot[1]))) {
        for (int t = 0; t < 5; ++t) same_i64("count_nonzero_many tensor " + std::to_string(t), per[0][t], per[1][t]);
        same_i64("count_nonzero_many total", tot[0], tot[1]);
    }
}

// Global and layer-wise selection (magnitude for F32/BF16, random when dtype < 0) on 5 tensors.
void test_select(std::mt19937& r, int32_t d) {
    bool random = d < 0;
    std::string tag = random ? "random" : std::string("magnitude ") + dname(d);
    std::vector<std::unique_ptr<Dual>> ws, ms;
    std::vector<const void*> wp[2];
    std::vector<uint8_t*> mp[2];
    std::vector<int64_t> sizes, keep_per;
    int64_t live = 0;
    for (const Shape& s : kShapes) {
        if (!random) ws.push_back(weights(r, d, s.n()));
        std::vector<uint8_t> m = random_mask(r, (size_t)s.n(), 0.8);
        int64_t l = 0;
        for (uint8_t v : m) l += v;
        live += l;
        keep_per.push_back(l / 3);
        ms.push_back(dual_of(m));
        for (int side = 0; side < 2; ++side) {
            if (!random) wp[side].push_back(ws.back()->p[side]);
            mp[side].push_back((uint8_t*)ms.back()->p[side]);
        }
        sizes.push_back(s.n());
    }
    const int32_t count = (int32_t)sizes.size();
    sr_select_report rep[2];
    std::memset(rep, 0xFF, sizeof rep);
    sr_status st[2];
    for (int side = 0; side < 2; ++side) {
        st[side] = random ? sr_prune_random_global(g_ctx.c[side], count, mp[side].data(), sizes.data(), live / 2, 42, &rep[side])
                          : sr_prune_magnitude_global(g_ctx.c[side], d, count, wp[side].data(), mp[side].data(),
                                                      sizes.data(), live / 2, &rep[side]);
    }
    if (both_ok(tag + " global", st[0], st[1])) {
        same_i64(tag + " global threshold_bits", rep[0].threshold_bits, rep[1].threshold_bits);
        same_i64(tag + " global kept_above", rep[0].kept_above, rep[1].kept_above);
        same_i64(tag + " global kept_ties", rep[0].kept_ties, rep[1].kept_ties);
        same_i64(tag + " global live_before", rep[0].live_before, rep[1].live_before);
        for (int t = 0; t < count; ++t) same_bytes(tag + " global mask " + std::to_string(t), *ms[t]);
    }
    for (int side = 0; side < 2; ++side) {
        st[side] = random ? sr_prune_random_layerwise(g_ctx.c[side], count, mp[side].data(), sizes.data(), keep_per.data(), 7)
                          : sr_prune_magnitude_layerwise(g_ctx.c[side], d, count, wp[side].data(), mp[side].data(),
                                                         sizes.data(), keep_per.data());
    }
    if (both_ok(tag + " layer-wise", st[0], st[1]))
        for (int t = 0; t < count; ++t) same_bytes(tag + " layer-wise mask " + std::to_string(t), *ms[t]);
}

void test_nm_and_24(std::mt19937& r) {
    const int32_t nms[][2] = {{2, 4}, {1, 4}, {4, 8}, {2, 16}};
    for (int32_t d : kDtypes) {
        for (const Shape& s : kNmShapes) {
            std::string tag = std::string(dname(d)) + " " + s.str();
            auto w = weights(r, d, s.n());
            std::vector<uint8_t> m0 = random_mask(r, (size_t)s.n(), 0.85);
            for (auto& nm : nms) {
                std::string t = "mask_nm " + std::to_string(nm[0]) + ":" + std::to_string(nm[1]) + " " + tag;
                auto m = dual_of(m0);
                if (!both_ok(t, sr_mask_nm(g_ctx.c[0], d, w->p[0], (uint8_t*)m->p[0], s.outer, s.k, s.inner, nm[0], nm[1]),
                             sr_mask_nm(g_ctx.c[1], d, w->p[1], (uint8_t*)m->p[1], s.outer, s.k, s.inner, nm[0], nm[1])))
                    continue;
                same_bytes(t, *m);
                int64_t v[2] = {-1, -2};
                if (both_ok("check_nm " + t, sr_check_nm(g_ctx.c[0], SR_U8, m->p[0], s.outer, s.k, s.inner, 2, 4, &v[0]),
                            sr_check_nm(g_ctx.c[1], SR_U8, m->p[1], s.outer, s.k, s.inner, 2, 4, &v[1])))
                    same_i64("check_nm 2:4 of " + t, v[0], v[1]);
            }
            auto m = dual_of(m0);
            std::string t = "transposable_24 " + tag;
            if (both_ok(t, sr_mask_transposable_24(g_ctx.c[0], d, w->p[0], (uint8_t*)m->p[0], s.outer, s.k, s.inner),
                        sr_mask_transposable_24(g_ctx.c[1], d, w->p[1], (uint8_t*)m->p[1], s.outer, s.k, s.inner)))
                same_bytes(t, *m);
            else
                continue;
            size_t es = d == SR_F32 ? 4 : 2;
            Dual values((size_t)s.n() / 2 * es), meta((size_t)s.n() / 4), back((size_t)s.n() * es);
            values.poison();
            meta.poison();
            back.poison();
            t = "compress_24 " + tag;
            if (!both_ok(t, sr_compress_24(g_ctx.c[0], d, w->p[0], (uint8_t*)m->p[0], s.outer, s.k, s.inner, values.p[0], (uint8_t*)meta.p[0]),
                         sr_compress_24(g_ctx.c[1], d, w->p[1], (uint8_t*)m->p[1], s.outer, s.k, s.inner, values.p[1], (uint8_t*)meta.p[1])))
                continue;
            same_bytes(t + " values", values);
            same_bytes(t + " meta", meta);
            t = "decompress_24 " + tag;
            if (both_ok(t, sr_decompress_24(g_ctx.c[0], d, values.p[0], (uint8_t*)meta.p[0], s.outer, s.k, s.inner, back.p[0]),
                        sr_decompress_24(g_ctx.c[1], d, values.p[1], (uint8_t*)meta.p[1], s.outer, s.k, s.inner, back.p[1])))
                same_bytes(t, back);
        }
    }
}

void test_optim(std::mt19937& r) {
    // {momentum, dampening, weight_decay, nesterov, decoupled}
    const float sgd[][5] = {{0, 0, 0, 0, 0}, {0.9f, 0.1f, 5e-4f, 0, 0}, {0.9f, 0, 1e-4f, 1, 0}, {0.8f, 0, 1e-2f, 0, 1}};
    for (int64_t n : {1, 7, 1000, 4099}) {
        for (auto& c : sgd) {
            std::string t = "sgd n=" + std::to_string(n) + " momentum=" + std::to_string(c[0]) + " nesterov=" +
                            std::to_string((int)c[3]) + " decoupled=" + std::to_string((int)c[4]);
            auto w = dual_of(random_floats(r, (size_t)n));
            auto buf = dual_of(random_floats(r, (size_t)n));
            auto m = dual_of(random_mask(r, (size_t)n, 0.7));
            bool ok = true;
            for (int step = 0; step < 3 && ok; ++step) {
                auto g = dual_of(random_floats(r, (size_t)n));
                sr_status st[2];
                for (int s = 0; s < 2; ++s)
                    st[s] = sr_sgd_step(g_ctx.c[s], (float*)w->p[s], (float*)g->p[s], (float*)buf->p[s], (uint8_t*)m->p[s], n,
                                        0.05f, c[0], c[1], c[2], (int)c[3], (int)c[4], step == 0);
                ok = both_ok(t, st[0], st[1]);
            }
            if (!ok) continue;
            close_f32(t + " w", *w, 8);
            if (c[0] != 0) close_f32(t + " momentum", *buf, 8);
        }
        std::string t = "adamw n=" + std::to_string(n);
        auto w = dual_of(random_floats(r, (size_t)n));
        Dual mm((size_t)n * 4), vv((size_t)n * 4);
        for (int s = 0; s < 2; ++s) { sr_memset_zero(g_ctx.c[s], mm.p[s], mm.bytes); sr_memset_zero(g_ctx.c[s], vv.p[s], vv.bytes); }
        auto mask = dual_of(random_mask(r, (size_t)n, 0.6));
        bool ok = true;
        for (int64_t step = 1; step <= 3 && ok; ++step) {
            auto g = dual_of(random_floats(r, (size_t)n));
            sr_status st[2];
            for (int s = 0; s < 2; ++s)
                st[s] = sr_adamw_step(g_ctx.c[s], (float*)w->p[s], (float*)g->p[s], (float*)mm.p[s], (float*)vv.p[s],
                                      (uint8_t*)mask->p[s], n, 1e-3f, 0.9f, 0.999f, 1e-8f, 1e-2f, step);
            ok = both_ok(t, st[0], st[1]);
        }
        if (!ok) continue;
        close_f32(t + " w", *w, 8);
        close_f32(t + " m", mm, 8);
        close_f32(t + " v", vv, 8);
    }
}

void test_gemm(std::mt19937& r) {
    // small integers in [-2, 2]: every product and partial sum is exact in F32, so any order agrees
    std::uniform_int_distribution<int> u(-2, 2);
    const int64_t dims[][3] = {{1, 1, 1}, {7, 5, 3}, {33, 17, 65}, {128, 64, 256}};
    for (auto& d : dims) {
        for (int ta = 0; ta < 2; ++ta) {
            for (int tb = 0; tb < 2; ++tb) {
                std::vector<float> a((size_t)(d[0] * d[2])), b((size_t)(d[2] * d[1])), c((size_t)(d[0] * d[1]));
                for (auto* v : {&a, &b, &c})
                    for (auto& x : *v) x = (float)u(r);
                a[0] = b[0] = 1;
                auto A = dual_of(a), B = dual_of(b), C = dual_of(c);
                std::string t = "gemm M,N,K=" + std::to_string(d[0]) + "," + std::to_string(d[1]) + "," +
                                std::to_string(d[2]) + " ta=" + std::to_string(ta) + " tb=" + std::to_string(tb);
                if (both_ok(t, sr_gemm_f32(g_ctx.c[0], ta, tb, d[0], d[1], d[2], 1.5f, (float*)A->p[0], (float*)B->p[0], 0.5f, (float*)C->p[0]),
                            sr_gemm_f32(g_ctx.c[1], ta, tb, d[0], d[1], d[2], 1.5f, (float*)A->p[1], (float*)B->p[1], 0.5f, (float*)C->p[1])))
                    close_f32(t, *C, 0);
            }
        }
    }
}

// sr_gemm_bf16 (cuBLAS GemmEx, fp32 compute) against the host reference: small integers in [-2, 2] are
// exact in bf16 and every partial sum is exact in F32, so the results must agree bit for bit.
void test_gemm_bf16(std::mt19937& r) {
    std::uniform_int_distribution<int> u(-2, 2);
    const int64_t dims[][3] = {{1, 1, 1}, {7, 5, 3}, {33, 17, 65}, {128, 64, 256}};
    for (auto& d : dims) {
        for (int ta = 0; ta < 2; ++ta) {
            for (int tb = 0; tb < 2; ++tb) {
                std::vector<uint16_t> a((size_t)(d[0] * d[2])), b((size_t)(d[2] * d[1]));
                std::vector<float> c((size_t)(d[0] * d[1]));
                for (auto* v : {&a, &b})
                    for (auto& x : *v) {
                        float f = (float)u(r);
                        sr_cast(g_ctx.c[0], SR_F32, &f, SR_BF16, &x, 1);
                    }
                for (auto& x : c) x = (float)u(r);
                a[0] = b[0] = 0x3f80;  // 1.0: never all zero
                auto A = dual_of(a), B = dual_of(b), C = dual_of(c);
                std::string t = "gemm_bf16 M,N,K=" + std::to_string(d[0]) + "," + std::to_string(d[1]) + "," +
                                std::to_string(d[2]) + " ta=" + std::to_string(ta) + " tb=" + std::to_string(tb);
                if (both_ok(t, sr_gemm_bf16(g_ctx.c[0], ta, tb, d[0], d[1], d[2], 1.5f, A->p[0], B->p[0], 0.5f, (float*)C->p[0]),
                            sr_gemm_bf16(g_ctx.c[1], ta, tb, d[0], d[1], d[2], 1.5f, A->p[1], B->p[1], 0.5f, (float*)C->p[1])))
                    close_f32(t, *C, 0);
            }
        }
    }
}
}  // namespace

// --host-vs-host: both sides on host contexts, a self-test of this harness on machines without a GPU.
int main(int argc, char** argv) {
    const bool self_test = argc > 1 && std::strcmp(argv[1], "--host-vs-host") == 0;
    if (sr_context_create(SR_DEVICE_HOST, 0, &g_ctx.c[0]) != SR_OK) {
        std::printf("FAIL host context: %s\n0 passed, 1 failed\n", sr_thread_last_error());
        return 1;
    }
    if (sr_context_create(self_test ? SR_DEVICE_HOST : SR_DEVICE_CUDA, 0, &g_ctx.c[1]) != SR_OK) {
        std::printf("skipped: %s\n", sr_thread_last_error());
        sr_context_destroy(g_ctx.c[0]);
        return 0;
    }
    char info[4096];
    sr_build_info(info, sizeof info);
    std::printf("build: %s\n", info);
    sr_runtime_info(info, sizeof info);
    std::printf("runtime: %s\n", info);
    std::mt19937 r(20261123);
    test_cast(r);
    test_apply_and_count(r);
    for (int32_t d : kDtypes) test_select(r, d);
    test_select(r, -1);
    test_nm_and_24(r);
    test_optim(r);
    test_optim_dev(r);
    test_graph_step(r);
    test_xent_acc(r);
    test_xent_acc_graph(r);
    test_dropout_dev(r);
    test_dropout_dev_graph(r);
    test_gemm(r);
    test_gemm_bf16(r);
    sr_status sync = sr_context_synchronize(g_ctx.c[1]);
    if (sync != SR_OK) fail(std::string("final synchronize: ") + sr_context_last_error(g_ctx.c[1]));
    sr_context_destroy(g_ctx.c[1]);
    sr_context_destroy(g_ctx.c[0]);
    std::printf("%d passed, %d failed (%d ops skipped: host reference not built)\n", g_counts.passed, g_counts.failed,
                g_counts.skipped);
    return g_counts.failed == 0 ? 0 : 1;
}
