// nm_bench.cpp — validate-then-bench for the N:M ops on CUDA, through the public C API.
// For every op and shape: run the host reference and the CUDA op on the same seeded data and
// require byte-identical outputs (masks, values, meta, counts, and for a live NaN the same status
// with the mask untouched); only then time the CUDA op: 3 warm-ups, 20 repetitions, median wall
// time around op + sr_context_synchronize, and the achieved bandwidth from the bytes each op must
// move (reported beside the GPU's peak by whoever runs it). Skips (exit 0) without a CUDA device.
//
// Build (not part of the CMake build), from the repository root after the CMake build:
//   g++ -O2 -std=c++17 -Inative/include native/dev/nm_bench.cpp -Lbuild/native/native
//       -lsparseretrain -Wl,-rpath,$PWD/build/native/native -o build/nm_bench && build/nm_bench
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <random>
#include <vector>
#include "sparseretrain.h"

namespace {

struct Dev {  // one device buffer, freed with its context
    sr_context* ctx;
    void* p = nullptr;
    Dev(sr_context* c, size_t bytes) : ctx(c) { sr_malloc(ctx, bytes, &p); }
    ~Dev() { sr_free(ctx, p); }
};

int g_bad = 0;

bool same(const char* what, const void* a, const void* b, size_t bytes) {
    if (std::memcmp(a, b, bytes) == 0) return true;
    const uint8_t *x = static_cast<const uint8_t*>(a), *y = static_cast<const uint8_t*>(b);
    size_t e = 0;
    while (x[e] == y[e]) ++e;
    std::printf("MISMATCH %s: first differing byte %zu (host %d, cuda %d)\n", what, e, x[e], y[e]);
    ++g_bad;
    return false;
}

// Median seconds of op() over 20 runs after 3 warm-ups; prep() (untimed) restores in/out state.
double median_seconds(sr_context* ctx, const std::function<void()>& prep, const std::function<sr_status()>& op) {
    std::vector<double> t;
    for (int r = 0; r < 23; ++r) {
        prep();
        sr_context_synchronize(ctx);
        auto t0 = std::chrono::steady_clock::now();
        op();
        sr_context_synchronize(ctx);
        auto t1 = std::chrono::steady_clock::now();
        if (r >= 3) t.push_back(std::chrono::duration<double>(t1 - t0).count());
    }
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];
}

void report(const char* op, const char* shape, double s, double bytes) {
    std::printf("%-28s %-22s %9.1f us  %8.1f GB/s\n", op, shape, s * 1e6, bytes / s / 1e9);
}

void run_shape(sr_context* host, sr_context* cuda, int64_t outer, int64_t k, int64_t inner, std::mt19937& rng) {
    const int64_t n = outer * k * inner;
    char shape[64];
    std::snprintf(shape, sizeof shape, "[%lld,%lld,%lld]", (long long)outer, (long long)k, (long long)inner);
    std::vector<float> w(n);
    std::vector<uint16_t> wb(n);
    std::uniform_real_distribution<float> uni(-1, 1);
    std::bernoulli_distribution dead(0.1);
    std::vector<uint8_t> mask0(n);
    for (int64_t e = 0; e < n; ++e) w[e] = std::round(uni(rng) * 64) / 64;  // coarse: many ties
    for (int64_t e = 0; e < n; ++e) mask0[e] = dead(rng) ? 0 : 1;
    sr_cast(host, SR_F32, w.data(), SR_BF16, wb.data(), n);
    Dev dw(cuda, n * 4), dwb(cuda, n * 2), dm(cuda, n), dm0(cuda, n), dv(cuda, n * 2), dmeta(cuda, n / 4);
    sr_memcpy(cuda, dw.p, w.data(), n * 4, SR_COPY_HOST_TO_DEVICE);
    sr_memcpy(cuda, dwb.p, wb.data(), n * 2, SR_COPY_HOST_TO_DEVICE);
    sr_memcpy(cuda, dm0.p, mask0.data(), n, SR_COPY_HOST_TO_DEVICE);
    auto restore = [&] { sr_memcpy(cuda, dm.p, dm0.p, n, SR_COPY_DEVICE_TO_DEVICE); };
    std::vector<uint8_t> hm(n), cm(n);

    const int nm[][2] = {{2, 4}, {1, 4}, {2, 8}, {4, 16}, {3, 6}};
    for (const auto& p : nm) {
        if (k % p[1]) continue;
        for (int dt : {SR_F32, SR_BF16}) {
            const void* hw = dt == SR_F32 ? (const void*)w.data() : (const void*)wb.data();
            const void* cw = dt == SR_F32 ? dw.p : dwb.p;
            hm = mask0;
            sr_mask_nm(host, dt, hw, hm.data(), outer, k, inner, p[0], p[1]);
            restore();
            sr_status st = sr_mask_nm(cuda, dt, cw, static_cast<uint8_t*>(dm.p), outer, k, inner, p[0], p[1]);
            sr_memcpy(cuda, cm.data(), dm.p, n, SR_COPY_DEVICE_TO_HOST);
            char op[48];
            std::snprintf(op, sizeof op, "mask_nm %d:%d %s", p[0], p[1], dt == SR_F32 ? "f32" : "bf16");
            if (st != SR_OK || !same(op, hm.data(), cm.data(), n)) continue;
            double s = median_seconds(cuda, restore, [&] {
                return sr_mask_nm(cuda, dt, cw, static_cast<uint8_t*>(dm.p), outer, k, inner, p[0], p[1]);
            });
            report(op, shape, s, (double)n * (2.0 * sr_dtype_size(dt) + 3.0));  // NaN pass + mask pass
        }
    }
    if (outer % 4 == 0 && k % 4 == 0) {
        hm = mask0;
        sr_mask_transposable_24(host, SR_F32, w.data(), hm.data(), outer, k, inner);
        restore();
        sr_status st = sr_mask_transposable_24(cuda, SR_F32, dw.p, static_cast<uint8_t*>(dm.p), outer, k, inner);
        sr_memcpy(cuda, cm.data(), dm.p, n, SR_COPY_DEVICE_TO_HOST);
        if (st == SR_OK && same("mask_transposable_24", hm.data(), cm.data(), n)) {
            double s = median_seconds(cuda, restore, [&] {
                return sr_mask_transposable_24(cuda, SR_F32, dw.p, static_cast<uint8_t*>(dm.p), outer, k, inner);
            });
            report("mask_transposable_24 f32", shape, s, (double)n * 11.0);
        }
    }
    // 2:4 mask (host result) -> check_nm, compress, decompress
    hm = mask0;
    sr_mask_nm(host, SR_F32, w.data(), hm.data(), outer, k, inner, 2, 4);
    std::vector<float> wm = w;
    sr_apply_mask(host, SR_F32, wm.data(), hm.data(), n);
    sr_memcpy(cuda, dm.p, hm.data(), n, SR_COPY_HOST_TO_DEVICE);
    int64_t hv = -1, cv = -2;
    sr_check_nm(host, SR_F32, w.data(), outer, k, inner, 2, 4, &hv);
    sr_memcpy(cuda, dw.p, w.data(), n * 4, SR_COPY_HOST_TO_DEVICE);
    sr_check_nm(cuda, SR_F32, dw.p, outer, k, inner, 2, 4, &cv);
    if (same("check_nm dense", &hv, &cv, sizeof hv)) {
        double s = median_seconds(cuda, [] {}, [&] { return sr_check_nm(cuda, SR_F32, dw.p, outer, k, inner, 2, 4, &cv); });
        report("check_nm 2:4 f32", shape, s, (double)n * 4);
    }
    sr_memcpy(cuda, dw.p, wm.data(), n * 4, SR_COPY_HOST_TO_DEVICE);
    std::vector<float> hvals(n / 2), cvals(n / 2);
    std::vector<uint8_t> hmeta(n / 4), cmeta(n / 4);
    sr_compress_24(host, SR_F32, wm.data(), hm.data(), outer, k, inner, hvals.data(), hmeta.data());
    sr_status st = sr_compress_24(cuda, SR_F32, dw.p, static_cast<uint8_t*>(dm.p), outer, k, inner, dv.p,
                                  static_cast<uint8_t*>(dmeta.p));
    sr_memcpy(cuda, cvals.data(), dv.p, n * 2, SR_COPY_DEVICE_TO_HOST);
    sr_memcpy(cuda, cmeta.data(), dmeta.p, n / 4, SR_COPY_DEVICE_TO_HOST);
    if (st == SR_OK && same("compress values", hvals.data(), cvals.data(), n * 2) &&
        same("compress meta", hmeta.data(), cmeta.data(), n / 4)) {
        double s = median_seconds(cuda, [] {}, [&] {
            return sr_compress_24(cuda, SR_F32, dw.p, static_cast<uint8_t*>(dm.p), outer, k, inner, dv.p,
                                  static_cast<uint8_t*>(dmeta.p));
        });
        report("compress_24 f32", shape, s, (double)n * (4 + 2 + 2) + n / 4.0);
        Dev dback(cuda, n * 4);
        std::vector<float> back(n);
        st = sr_decompress_24(cuda, SR_F32, dv.p, static_cast<uint8_t*>(dmeta.p), outer, k, inner, dback.p);
        sr_memcpy(cuda, back.data(), dback.p, n * 4, SR_COPY_DEVICE_TO_HOST);
        if (st == SR_OK && same("decompress", wm.data(), back.data(), n * 4)) {
            s = median_seconds(cuda, [] {}, [&] {
                return sr_decompress_24(cuda, SR_F32, dv.p, static_cast<uint8_t*>(dmeta.p), outer, k, inner, dback.p);
            });
            report("decompress_24 f32", shape, s, (double)n * (2 + 4) + n / 2.0);
        }
    }
    // error path: live NaN -> same status on both, device mask untouched
    w[n / 3] = NAN;
    mask0[n / 3] = 1;
    sr_memcpy(cuda, dw.p, w.data(), n * 4, SR_COPY_HOST_TO_DEVICE);
    sr_memcpy(cuda, dm.p, mask0.data(), n, SR_COPY_HOST_TO_DEVICE);
    hm = mask0;
    sr_status hs = sr_mask_nm(host, SR_F32, w.data(), hm.data(), outer, k, inner, 2, 4);
    sr_status cs = sr_mask_nm(cuda, SR_F32, dw.p, static_cast<uint8_t*>(dm.p), outer, k, inner, 2, 4);
    sr_memcpy(cuda, cm.data(), dm.p, n, SR_COPY_DEVICE_TO_HOST);
    if (hs != SR_ERR_NONFINITE || cs != hs || std::strcmp(sr_context_last_error(host), sr_context_last_error(cuda))) {
        std::printf("MISMATCH NaN error: host %d '%s', cuda %d '%s'\n", hs, sr_context_last_error(host), cs,
                    sr_context_last_error(cuda));
        ++g_bad;
    }
    same("NaN error leaves the mask untouched", mask0.data(), cm.data(), n);
}

}  // namespace

int main() {
    sr_context *host = nullptr, *cuda = nullptr;
    if (sr_context_create(SR_DEVICE_HOST, 0, &host) != SR_OK) return 1;
    if (sr_context_create(SR_DEVICE_CUDA, 0, &cuda) != SR_OK) {
        std::printf("SKIP: no CUDA context: %s\n", sr_thread_last_error());
        sr_context_destroy(host);
        return 0;
    }
    char info[512];
    sr_runtime_info(info, sizeof info);
    std::printf("%s\n", info);
    std::mt19937 rng(7);
    run_shape(host, cuda, 4096, 4096, 1, rng);  // Linear 4096x4096 (64 MiB f32)
    run_shape(host, cuda, 256, 256, 9, rng);    // Conv 256x256x3x3
    run_shape(host, cuda, 12, 48, 25, rng);     // Conv 5x5, odd sizes
    sr_context_destroy(cuda);
    sr_context_destroy(host);
    std::printf("%s (%d mismatches)\n", g_bad ? "FAILED" : "all CUDA results match the host reference", g_bad);
    return g_bad ? 1 : 0;
}
