// test_nm.cpp — N:M masks, transposable 2:4 masks, N:M check and the portable 2:4 layout through
// the public C API on a host context: hand-computed cases with ties, then seeded random tensors
// (Linear inner = 1 and Conv inner = kh*kw) against brute-force references written here, then
// error cases that must leave every output untouched. Prints "N passed, M failed"; exit 1 on failure.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>
#include "common/bf16.h"
#include "common/transposable.h"
#include "sparseretrain.h"

namespace {

int g_passed = 0, g_failed = 0;

void check(bool ok, const char* what, const char* detail = "") {
    ok ? ++g_passed : ++g_failed;
    if (!ok) std::printf("FAIL: %s %s\n", what, detail);
}

using Bytes = std::vector<uint8_t>; using Floats = std::vector<float>; using Halves = std::vector<uint16_t>;

Halves to_bf16(const Floats& f) {
    Halves h(f.size());
    for (size_t i = 0; i < f.size(); ++i) h[i] = sr_float_to_bf16(f[i]);
    return h;
}
float absval(float x) { return std::fabs(x); }
float absval(uint16_t h) { return std::fabs(sr_bf16_to_float(h)); }

// First differing index of two masks as text, for failure messages.
const char* diff(const Bytes& got, const Bytes& want) {
    static char buf[128];
    for (size_t e = 0; e < got.size(); ++e)
        if (got[e] != want[e]) {
            std::snprintf(buf, sizeof buf, "(first difference at %zu: got %d, want %d)", e, got[e], want[e]);
            return buf;
        }
    return "";
}

// Brute force N:M: per group sort live j by (|w| desc, j asc), keep the first min(N, live).
template <typename T>
Bytes ref_nm(const std::vector<T>& w, const Bytes& mask, int64_t outer, int64_t k, int64_t inner, int n, int m) {
    Bytes out(mask.size(), 0);
    for (int64_t o = 0; o < outer; ++o)
        for (int64_t kg = 0; kg < k / m; ++kg)
            for (int64_t i = 0; i < inner; ++i) {
                std::vector<int64_t> live;
                for (int j = 0; j < m; ++j) {
                    int64_t e = (o * k + kg * m + j) * inner + i;
                    if (mask[e]) live.push_back(e);
                }
                std::stable_sort(live.begin(), live.end(),
                                 [&](int64_t a, int64_t b) { return absval(w[a]) > absval(w[b]); });
                for (size_t t = 0; t < live.size() && t < (size_t)n; ++t) out[live[t]] = 1;
            }
    return out;
}

int64_t ref_violations(const Bytes& nonzero, int64_t outer, int64_t k, int64_t inner, int n, int m) {
    int64_t v = 0;
    for (int64_t o = 0; o < outer; ++o)
        for (int64_t kg = 0; kg < k / m; ++kg)
            for (int64_t i = 0; i < inner; ++i) {
                int nz = 0;
                for (int j = 0; j < m; ++j) nz += nonzero[(o * k + kg * m + j) * inner + i];
                v += nz > n;
            }
    return v;
}

// Random weights: small integers * 0.5 (many exact ties) or uniform floats; ~dead_frac pre-pruned.
Floats random_w(std::mt19937& rng, size_t n, bool coarse) {
    std::uniform_int_distribution<int> small(-4, 4);
    std::uniform_real_distribution<float> uni(-1.0f, 1.0f);
    Floats w(n);
    for (auto& x : w) x = coarse ? 0.5f * small(rng) : uni(rng);
    return w;
}
Bytes random_mask(std::mt19937& rng, size_t n, double dead_frac) {
    std::bernoulli_distribution dead(dead_frac);
    Bytes m(n);
    for (auto& x : m) x = dead(rng) ? 0 : 1;
    return m;
}

void test_nm_hand(sr_context* ctx) {
    struct Case { int n, m; Floats w; Bytes mask, want; const char* name; };
    const Case cases[] = {
        // 2:4: plain; all equal (lower k wins); |-2| == |2|; all zero but live (zeros are kept)
        {2, 4, {0.1f, -0.9f, 0.5f, 0.3f, 1, 1, 1, 1, -2, 2, 0, 0, 0, 0, 0, 0}, Bytes(16, 1),
         {0, 1, 1, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0}, "2:4 hand"},
        {1, 4, {3, -3, 1, 2, 0.5f, 0.7f, -0.7f, 0.1f}, Bytes(8, 1), {1, 0, 0, 0, 0, 1, 0, 0}, "1:4 hand"},
        // 2:8: 7 first, then three 5s tie for the second place: the lowest k (1) wins
        {2, 8, {1, 5, -5, 2, 7, 0, 5, -3}, Bytes(8, 1), {0, 1, 0, 0, 1, 0, 0, 0}, "2:8 hand"},
        // 4:16: five 8s tie for four places: k = 1, 2, 4, 6 win
        {4, 16, {2, 8, -8, 1, 8, 3, 8, 0, 0, 8, 5, 5, 5, 5, 5, 5}, Bytes(16, 1),
         {0, 1, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0}, "4:16 hand"},
        // dead never revived (the 9); a group with 1 live keeps just it; a group with none keeps none;
        // a live mask byte 7 counts as live and comes back as 1
        {2, 4, {9, 1, 2, 3, 9, 8, 7, 6, 9, 9, 9, 9, 1, 2, 3, 4}, {0, 1, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 7, 1, 0, 0},
         {0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0}, "2:4 pre-masked"},
    };
    for (const Case& c : cases) {
        Bytes mask = c.mask;
        sr_status st = sr_mask_nm(ctx, SR_F32, c.w.data(), mask.data(), 1, (int64_t)c.w.size(), 1, c.n, c.m);
        check(st == SR_OK && mask == c.want, c.name, diff(mask, c.want));
        Halves h = to_bf16(c.w);  // all values exact in bf16
        mask = c.mask;
        st = sr_mask_nm(ctx, SR_BF16, h.data(), mask.data(), 1, (int64_t)c.w.size(), 1, c.n, c.m);
        check(st == SR_OK && mask == c.want, c.name, "(bf16)");
    }
}

void test_nm_random(sr_context* ctx, std::mt19937& rng) {
    struct Shape { int64_t outer, k, inner; int n, m; };
    const Shape shapes[] = {{16, 32, 1, 2, 4},  {8, 16, 9, 2, 4},  {6, 16, 9, 2, 8}, {4, 32, 9, 4, 16},
                            {5, 24, 1, 1, 4},   {3, 14, 4, 3, 7},  {7, 32, 1, 5, 16}, {2, 12, 25, 1, 2},
                            {33, 64, 1, 2, 4},  {4, 48, 3, 8, 16}};
    int cases = 0, ok_cases = 0;
    for (const Shape& s : shapes) for (int variant = 0; variant < 4; ++variant) {
            const bool coarse = variant & 1, bf16 = variant & 2;
            const size_t n = (size_t)(s.outer * s.k * s.inner);
            Floats w = random_w(rng, n, coarse);
            Bytes mask = random_mask(rng, n, 0.3), before = mask;
            Halves h = to_bf16(w);
            sr_status st = bf16 ? sr_mask_nm(ctx, SR_BF16, h.data(), mask.data(), s.outer, s.k, s.inner, s.n, s.m)
                                : sr_mask_nm(ctx, SR_F32, w.data(), mask.data(), s.outer, s.k, s.inner, s.n, s.m);
            Bytes want = bf16 ? ref_nm(h, before, s.outer, s.k, s.inner, s.n, s.m)
                              : ref_nm(w, before, s.outer, s.k, s.inner, s.n, s.m);
            ++cases;
            char what[160];
            std::snprintf(what, sizeof what, "random %d:%d [%lld,%lld,%lld] coarse=%d bf16=%d", s.n, s.m,
                          (long long)s.outer, (long long)s.k, (long long)s.inner, coarse, bf16);
            const bool ok = st == SR_OK && mask == want;
            check(ok, what, diff(mask, want));
            // the output satisfies N:M, as U8 and as masked weights with -0.0 where pruned
            int64_t viol = -1;
            st = sr_check_nm(ctx, SR_U8, mask.data(), s.outer, s.k, s.inner, s.n, s.m, &viol);
            check(st == SR_OK && viol == 0, what, "(check_nm of the mask)");
            Floats masked(n);
            for (size_t e = 0; e < n; ++e) masked[e] = mask[e] ? w[e] : -0.0f;
            st = sr_check_nm(ctx, SR_F32, masked.data(), s.outer, s.k, s.inner, s.n, s.m, &viol);
            check(st == SR_OK && viol == 0, what, "(check_nm of masked weights, -0.0 pruned)");
            // dense random data: violation count against brute force, F32 and BF16
            Bytes nz(n);
            for (size_t e = 0; e < n; ++e) nz[e] = (h[e] & 0x7fffu) != 0;
            st = sr_check_nm(ctx, SR_BF16, h.data(), s.outer, s.k, s.inner, s.n, s.m, &viol);
            check(st == SR_OK && viol == ref_violations(nz, s.outer, s.k, s.inner, s.n, s.m), what, "(check_nm dense)");
            ok_cases += ok;
        }
    std::printf("mask_nm random: %d/%d cases match the brute-force reference\n", ok_cases, cases);
}

void test_check_hand(sr_context* ctx) {
    const Floats x = {-0.0f, -0.0f, 1, 1, -0.0f, 1e-30f, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1};
    int64_t v = -1;
    sr_status st = sr_check_nm(ctx, SR_F32, x.data(), 1, 16, 1, 2, 4, &v);
    check(st == SR_OK && v == 2, "check_nm hand: -0.0 is zero, 1e-30 is not");
    Halves h = to_bf16(x);
    st = sr_check_nm(ctx, SR_BF16, h.data(), 1, 16, 1, 2, 4, &v);
    check(st == SR_OK && v == 2, "check_nm hand bf16: 1e-30 is a normal bf16 too");
}

int popcount16(uint32_t x) { return __builtin_popcount(x); }
bool two_per_row_col(uint32_t p) {
    for (int r = 0; r < 4; ++r) if (popcount16((p >> (4 * r)) & 0xF) != 2) return false;
    for (int c = 0; c < 4; ++c) if (popcount16(p & (0x1111u << c)) != 2) return false;
    return true;
}

void test_t24_table() {
    const sr_t24_table t = sr_t24_make_table();
    std::vector<uint16_t> all;  // independent enumeration over all 2^16 masks, ascending
    for (uint32_t p = 0; p < 65536; ++p) if (two_per_row_col(p)) all.push_back((uint16_t)p);
    bool same = all.size() == SR_T24_PATTERNS;
    for (int p = 0; same && p < SR_T24_PATTERNS; ++p) same = t.mask[p] == all[p] && two_per_row_col(t.mask[p]);
    check(same, "transposable table: the 90 masks with 2 per row and column, ascending");
}

// Brute force over the table: score in double (exact for the half-integer data used with exact=1).
template <typename T>
Bytes ref_t24(const std::vector<T>& w, const Bytes& mask, int64_t outer, int64_t k, int64_t inner) {
    const sr_t24_table t = sr_t24_make_table();
    Bytes out(mask.size(), 0);
    for (int64_t ob = 0; ob < outer / 4; ++ob)
        for (int64_t kb = 0; kb < k / 4; ++kb)
            for (int64_t i = 0; i < inner; ++i) {
                auto at = [&](int b) { return ((4 * ob + b / 4) * k + 4 * kb + b % 4) * inner + i; };
                int best = 0;
                double best_score = -1;
                for (int p = 0; p < SR_T24_PATTERNS; ++p) {
                    double s = 0;
                    for (int b = 0; b < 16; ++b) if ((t.mask[p] >> b) & 1) s += mask[at(b)] ? absval(w[at(b)]) : 0.0;
                    if (s > best_score) { best = p; best_score = s; }
                }
                for (int b = 0; b < 16; ++b) out[at(b)] = ((t.mask[best] >> b) & 1) && mask[at(b)];
            }
    return out;
}

void test_t24_hand(sr_context* ctx) {
    // every row is [4, 3, 1, 0]: row-wise 2:4 would keep columns 0,1 four times. 16 is the best
    // score and many patterns reach it; the lowest index, 0x33CC, wins: rows 0,1 keep columns 2,3
    // and rows 2,3 keep columns 0,1.
    Floats w = {4, 3, 1, 0, 4, 3, 1, 0, 4, -3, 1, 0, 4, 3, -1, 0};
    Bytes mask(16, 1);
    sr_status st = sr_mask_transposable_24(ctx, SR_F32, w.data(), mask.data(), 4, 4, 1);
    const Bytes tie = {0, 0, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 0, 0};
    check(st == SR_OK && mask == tie, "transposable hand: tie -> lowest pattern index", diff(mask, tie));
    // 10 on the bits of 0x5AA5, 1 elsewhere: the unique best (score 80); Conv layout, inner = 2,
    // with the second inner slice all zero (tie of everything -> 0x33CC)
    Floats wc(32, 0.0f);
    for (int b = 0; b < 16; ++b) wc[(size_t)b * 2] = ((0x5AA5 >> b) & 1) ? 10.0f : -1.0f;
    Bytes mc(32, 1);
    st = sr_mask_transposable_24(ctx, SR_F32, wc.data(), mc.data(), 4, 4, 2);
    bool ok = st == SR_OK;
    for (int b = 0; b < 16; ++b)
        ok = ok && mc[(size_t)b * 2] == ((0x5AA5 >> b) & 1) && mc[(size_t)b * 2 + 1] == ((0x33CC >> b) & 1);
    check(ok, "transposable hand: unique best 0x5AA5 at inner 0, 0x33CC for the all-zero inner 1");
}

void test_t24(sr_context* ctx, std::mt19937& rng) {
    struct Shape { int64_t outer, k, inner; };
    const Shape shapes[] = {{4, 4, 1}, {8, 12, 1}, {8, 8, 9}, {16, 32, 1}, {12, 16, 4}};
    for (const Shape& s : shapes) for (int variant = 0; variant < 4; ++variant) {
            const bool premasked = variant & 1, bf16 = variant & 2;
            const size_t n = (size_t)(s.outer * s.k * s.inner);
            Floats w = random_w(rng, n, true);  // half-integers: float sums exact, many ties
            Bytes mask = random_mask(rng, n, premasked ? 0.25 : 0.0), before = mask;
            Halves h = to_bf16(w);
            sr_status st = bf16 ? sr_mask_transposable_24(ctx, SR_BF16, h.data(), mask.data(), s.outer, s.k, s.inner)
                                : sr_mask_transposable_24(ctx, SR_F32, w.data(), mask.data(), s.outer, s.k, s.inner);
            Bytes want = ref_t24(w, before, s.outer, s.k, s.inner);
            char what[128];
            std::snprintf(what, sizeof what, "transposable [%lld,%lld,%lld] premasked=%d bf16=%d", (long long)s.outer,
                          (long long)s.k, (long long)s.inner, premasked, bf16);
            check(st == SR_OK && mask == want, what, diff(mask, want));
            if (!premasked) {  // fully live input: 2 per row (2:4 along K) and 2 per column in every block
                int64_t v = -1;
                sr_check_nm(ctx, SR_U8, mask.data(), s.outer, s.k, s.inner, 2, 4, &v);
                bool cols = true;
                for (int64_t o = 0; o < s.outer; o += 4)
                    for (int64_t kk = 0; kk < s.k; ++kk)
                        for (int64_t i = 0; i < s.inner; ++i) {
                            int c = 0;
                            for (int r = 0; r < 4; ++r) c += mask[((o + r) * s.k + kk) * s.inner + i];
                            cols = cols && c == 2;
                        }
                check(v == 0 && cols, what, "(2 per row and column)");
            }
        }
    // uniform floats: the chosen pattern's score must be the maximum (float vs double sums may
    // differ only in the last bits, so compare scores, not patterns)
    const int64_t outer = 32, k = 32, inner = 1;
    Floats w = random_w(rng, outer * k, false);
    Bytes mask(w.size(), 1);
    sr_mask_transposable_24(ctx, SR_F32, w.data(), mask.data(), outer, k, inner);
    Bytes want = ref_t24(w, Bytes(w.size(), 1), outer, k, inner);
    double got_sum = 0, want_sum = 0;
    for (size_t e = 0; e < w.size(); ++e) {
        got_sum += mask[e] ? std::fabs(w[e]) : 0.0;
        want_sum += want[e] ? std::fabs(w[e]) : 0.0;
    }
    check(std::fabs(got_sum - want_sum) <= 1e-5 * want_sum && want_sum > 0, "transposable uniform: max kept |w|");
}

void test_compress_hand(sr_context* ctx) {
    // one row, K = 16: kept {2} -> (0, w2) meta 0|2<<2; kept {} -> (0, 0) meta 0|1<<2;
    // kept {1,3} -> (w1, w3) meta 1|3<<2; kept {0,1} -> (w0, w1) meta 0|1<<2
    const Floats w = {5, 6, 7, 8, 1, 2, 3, 4, -1, -2, -3, -4, 9, -9, 0, 0};
    const Bytes mask = {0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 1, 1, 0, 0};
    Floats values(8, 99);
    Bytes meta(4, 99);
    sr_status st = sr_compress_24(ctx, SR_F32, w.data(), mask.data(), 1, 16, 1, values.data(), meta.data());
    check(st == SR_OK && meta == Bytes({0x8, 0x4, 0xD, 0x4}), "compress hand: meta (fill with lowest unused)");
    check(values == Floats({0, 7, 0, 0, -2, -4, 9, -9}), "compress hand: values (filled slots hold 0)");
    Floats back(16, 99);
    st = sr_decompress_24(ctx, SR_F32, values.data(), meta.data(), 1, 16, 1, back.data());
    check(st == SR_OK && back == Floats({0, 0, 7, 0, 0, 0, 0, 0, 0, -2, 0, -4, 9, -9, 0, 0}), "decompress hand");
}

template <typename T>
void roundtrip(sr_context* ctx, int32_t dtype, const std::vector<T>& w0, int64_t outer, int64_t k, int64_t inner,
               std::mt19937& rng, const char* what) {
    const size_t n = w0.size();
    Bytes mask = random_mask(rng, n, 0.2);  // some groups end with < 2 kept
    sr_mask_nm(ctx, dtype, w0.data(), mask.data(), outer, k, inner, 2, 4);
    std::vector<T> w = w0;
    sr_apply_mask(ctx, dtype, w.data(), mask.data(), (int64_t)n);
    std::vector<T> values(n / 2, (T)0x7777);
    Bytes meta(n / 4, 0xEE);
    sr_status st = sr_compress_24(ctx, dtype, w.data(), mask.data(), outer, k, inner, values.data(), meta.data());
    bool meta_ok = true;
    for (uint8_t b : meta) meta_ok = meta_ok && (b & 0xF0) == 0 && (b & 3) < ((b >> 2) & 3);
    std::vector<T> back(n, (T)0x7777);
    sr_status st2 = sr_decompress_24(ctx, dtype, values.data(), meta.data(), outer, k, inner, back.data());
    check(st == SR_OK && st2 == SR_OK && meta_ok && std::memcmp(back.data(), w.data(), n * sizeof(T)) == 0, what);
}

void test_compress_random(sr_context* ctx, std::mt19937& rng) {
    const int64_t shapes[][3] = {{8, 32, 1}, {6, 16, 9}, {3, 8, 5}, {64, 128, 1}};
    for (const auto& s : shapes) {
        Floats w = random_w(rng, (size_t)(s[0] * s[1] * s[2]), false);
        char what[96];
        std::snprintf(what, sizeof what, "compress->decompress identity F32 [%lld,%lld,%lld]", (long long)s[0],
                      (long long)s[1], (long long)s[2]);
        roundtrip(ctx, SR_F32, w, s[0], s[1], s[2], rng, what);
        std::snprintf(what, sizeof what, "compress->decompress identity BF16 [%lld,%lld,%lld]", (long long)s[0],
                      (long long)s[1], (long long)s[2]);
        roundtrip(ctx, SR_BF16, to_bf16(w), s[0], s[1], s[2], rng, what);
    }
}

// --- errors: status, message, and outputs poisoned with a sentinel before the call are unchanged
bool has(sr_context* ctx, const char* text) { return std::strstr(sr_context_last_error(ctx), text) != nullptr; }

void test_errors(sr_context* ctx) {
    const int64_t outer = 2, k = 16, inner = 3, n = outer * k * inner;
    Floats w(n, 1.0f);
    for (int64_t e = 0; e < n; ++e) w[e] = (float)((e * 7) % 11) - 5.0f;
    // live NaN at (o 1, k 5, i 2): mask_nm and transposable refuse, mask unchanged
    const int64_t bad = (1 * k + 5) * inner + 2;
    w[bad] = NAN;
    Bytes mask(n, 1);
    sr_status st = sr_mask_nm(ctx, SR_F32, w.data(), mask.data(), outer, k, inner, 2, 4);
    check(st == SR_ERR_NONFINITE && mask == Bytes(n, 1) && has(ctx, "outer 1, k 5, inner 2"),
          "mask_nm: live NaN refused, mask untouched", sr_context_last_error(ctx));
    Halves h = to_bf16(w);
    st = sr_mask_nm(ctx, SR_BF16, h.data(), mask.data(), outer, k, inner, 2, 4);
    check(st == SR_ERR_NONFINITE && mask == Bytes(n, 1), "mask_nm bf16: live NaN refused, mask untouched");
    Floats w4(16 * 4 * 1, 1.0f);
    w4[37] = NAN;
    Bytes mask4(w4.size(), 1);
    st = sr_mask_transposable_24(ctx, SR_F32, w4.data(), mask4.data(), 16, 4, 1);
    check(st == SR_ERR_NONFINITE && mask4 == Bytes(w4.size(), 1), "transposable: live NaN refused, mask untouched");
    // a dead NaN is fine
    mask[bad] = 0;
    st = sr_mask_nm(ctx, SR_F32, w.data(), mask.data(), outer, k, inner, 2, 4);
    check(st == SR_OK, "mask_nm: dead NaN ignored", sr_context_last_error(ctx));
    // shapes / N:M
    Bytes m2(n, 1);
    st = sr_mask_nm(ctx, SR_F32, w.data(), m2.data(), outer, k, inner, 2, 5);
    check(st == SR_ERR_SHAPE && m2 == Bytes(n, 1), "mask_nm: K % M != 0 is SR_ERR_SHAPE");
    st = sr_mask_nm(ctx, SR_F32, w.data(), m2.data(), outer, k, inner, 4, 4);
    check(st == SR_ERR_INVALID_ARGUMENT && m2 == Bytes(n, 1), "mask_nm: N == M refused");
    st = sr_mask_transposable_24(ctx, SR_F32, w.data(), m2.data(), 2, k, inner);
    check(st == SR_ERR_SHAPE && m2 == Bytes(n, 1), "transposable: outer % 4 != 0 is SR_ERR_SHAPE");
    // compress: 3 kept in group (o 1, k-group 2, i 1); values and meta keep their sentinels
    Bytes cm(n, 0);
    for (int j = 0; j < 3; ++j) cm[(1 * k + 8 + j) * inner + 1] = 1;
    Floats values(n / 2, 123.0f);
    Bytes meta(n / 4, 0xEE);
    w[bad] = 0;
    st = sr_compress_24(ctx, SR_F32, w.data(), cm.data(), outer, k, inner, values.data(), meta.data());
    check(st == SR_ERR_PATTERN && values == Floats(n / 2, 123.0f) && meta == Bytes(n / 4, 0xEE) &&
              has(ctx, "outer 1, k-group 2") && has(ctx, "inner 1"),
          "compress: 3 kept refused, outputs untouched", sr_context_last_error(ctx));
    // decompress: idx0 == idx1 (0x5) and bits 4-7 set (0x14) refused, w untouched
    const uint8_t invalid[] = {0x5, 0x14, 0x3};
    for (uint8_t b : invalid) {
        Bytes dm(n / 4, 0x4);
        dm[(0 * (k / 4) + 3) * inner + 2] = b;
        Floats out(n, 321.0f);
        st = sr_decompress_24(ctx, SR_F32, values.data(), dm.data(), outer, k, inner, out.data());
        char what[64];
        std::snprintf(what, sizeof what, "decompress: meta 0x%02x refused, w untouched", b);
        check(st == SR_ERR_PATTERN && out == Floats(n, 321.0f) && has(ctx, "outer 0, k-group 3") &&
                  has(ctx, "inner 2"),
              what, sr_context_last_error(ctx));
    }
}

}  // namespace

int main() {
    sr_context* ctx = nullptr;
    if (sr_context_create(SR_DEVICE_HOST, 0, &ctx) != SR_OK) {
        std::printf("cannot create a host context: %s\n", sr_thread_last_error());
        return 1;
    }
    std::mt19937 rng(20261123);
    test_nm_hand(ctx);
    test_nm_random(ctx, rng);
    test_check_hand(ctx);
    test_t24_table();
    test_t24_hand(ctx);
    test_t24(ctx, rng);
    test_compress_hand(ctx);
    test_compress_random(ctx, rng);
    test_errors(ctx);
    sr_context_destroy(ctx);
    std::printf("%d passed, %d failed\n", g_passed, g_failed);
    return g_failed == 0 ? 0 : 1;
}
