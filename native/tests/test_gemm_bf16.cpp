// test_gemm_bf16.cpp — sr_gemm_bf16 (bf16 operands, F32 C) on a host context against sr_gemm_f32 on the
// same values widened to float: bitwise on every transpose combination and several shapes (both are
// double-accumulating references over exactly the same products), beta 0 ignoring a NaN-filled C,
// beta != 0, and the argument checks. On a GPU, cuda_vs_host compares cuBLAS GemmEx with this.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>
#include "sparseretrain.h"

namespace {

int g_passed = 0, g_failed = 0;
sr_context* g_host = nullptr;

void check(bool ok, const std::string& what) {
    ok ? ++g_passed : ++g_failed;
    if (!ok) std::printf("FAIL: %s\n", what.c_str());
}

// bf16 bits of random reals (or small integers) and the same values widened back to float.
void operand(std::mt19937& r, size_t n, bool ints, std::vector<uint16_t>* bits, std::vector<float>* wide) {
    std::uniform_real_distribution<float> u(-1.f, 1.f);
    std::uniform_int_distribution<int> d(-2, 2);
    std::vector<float> f(n);
    for (float& x : f) x = ints ? (float)d(r) : u(r);
    f[0] = 1.f;  // never all zero
    bits->resize(n);
    wide->resize(n);
    sr_cast(g_host, SR_F32, f.data(), SR_BF16, bits->data(), (int64_t)n);
    sr_cast(g_host, SR_BF16, bits->data(), SR_F32, wide->data(), (int64_t)n);
}

void test_against_f32(std::mt19937& r) {
    const int64_t dims[][3] = {{1, 1, 1}, {7, 5, 3}, {33, 17, 65}, {64, 48, 128}};
    for (auto& d : dims)
        for (int ta = 0; ta < 2; ++ta)
            for (int tb = 0; tb < 2; ++tb)
                for (bool ints : {true, false})
                    for (float beta : {0.f, 0.5f}) {
                        const int64_t m = d[0], n = d[1], k = d[2];
                        std::vector<uint16_t> ab, bb;
                        std::vector<float> af, bf, c0;
                        operand(r, (size_t)(m * k), ints, &ab, &af);
                        operand(r, (size_t)(k * n), ints, &bb, &bf);
                        std::vector<uint16_t> cbits;
                        operand(r, (size_t)(m * n), ints, &cbits, &c0);
                        std::vector<float> want = c0, got = c0;
                        if (beta == 0.f) std::fill(got.begin(), got.end(), NAN);
                        char tag[128];
                        std::snprintf(tag, sizeof tag, "gemm_bf16 M,N,K=%lld,%lld,%lld ta=%d tb=%d %s beta=%g", (long long)m,
                                      (long long)n, (long long)k, ta, tb, ints ? "ints" : "reals", beta);
                        sr_gemm_f32(g_host, ta, tb, m, n, k, 1.5f, af.data(), bf.data(), beta, want.data());
                        sr_status st = sr_gemm_bf16(g_host, ta, tb, m, n, k, 1.5f, ab.data(), bb.data(), beta, got.data());
                        check(st == SR_OK, std::string(tag) + ": " + sr_context_last_error(g_host));
                        size_t bad = 0;
                        for (size_t i = 0; i < want.size(); ++i) bad += std::memcmp(&want[i], &got[i], 4) != 0;
                        check(bad == 0, std::string(tag) + ": " + std::to_string(bad) + " of " + std::to_string(want.size()) +
                                            " differ from sr_gemm_f32 on the widened operands");
                    }
}

void test_checks() {
    float c[4] = {0};
    uint16_t a[4] = {0}, b[4] = {0};
    check(sr_gemm_bf16(g_host, 0, 0, -1, 2, 2, 1.f, a, b, 0.f, c) == SR_ERR_SHAPE &&
              std::strstr(sr_context_last_error(g_host), "M=-1") != nullptr,
          std::string("negative M: ") + sr_context_last_error(g_host));
    check(sr_gemm_bf16(g_host, 0, 0, 2, 2, 2, 1.f, nullptr, b, 0.f, c) == SR_ERR_INVALID_ARGUMENT,
          std::string("NULL A: ") + sr_context_last_error(g_host));
    check(sr_gemm_bf16(g_host, 0, 0, 2, 2, 2, 1.f, a, b, 0.f, nullptr) == SR_ERR_INVALID_ARGUMENT &&
              std::strstr(sr_context_last_error(g_host), "'c'") != nullptr,
          std::string("NULL C: ") + sr_context_last_error(g_host));
    check(sr_gemm_bf16(nullptr, 0, 0, 2, 2, 2, 1.f, a, b, 0.f, c) == SR_ERR_INVALID_ARGUMENT, "NULL context");
    check(sr_gemm_bf16(g_host, 0, 0, 0, 2, 2, 1.f, nullptr, nullptr, 0.f, nullptr) == SR_OK, "M = 0 is a no-op");
}

}  // namespace

int main() {
    if (sr_context_create(SR_DEVICE_HOST, 0, &g_host) != SR_OK) {
        std::printf("FAIL host context: %s\n0 passed, 1 failed\n", sr_thread_last_error());
        return 1;
    }
    std::mt19937 r(20261123);
    test_against_f32(r);
    test_checks();
    sr_context_destroy(g_host);
    std::printf("%d passed, %d failed\n", g_passed, g_failed);
    return g_failed == 0 ? 0 : 1;
}
