// test_select.cpp — top-k selection (sr_prune_magnitude_* / sr_prune_random_*) through the public
// API: hand-computed cases, random cases against a brute-force sort of (key, tensor, element),
// random-mode determinism, errors that leave masks untouched, and one 1e8-weight host selection that
// checks the exact count and the peak extra memory. The same cases run on a CUDA context when the
// machine has a GPU (skipped, not failed, without one), so CUDA masks are checked bit for bit.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>
#include <tuple>
#include <vector>
#include "common/select.h"
#include "sparseretrain.h"

namespace {

int g_pass = 0, g_fail = 0;
std::string g_last_error;  // message of the last run(): sr_context_last_error before the copies back

#define CHECK(cond, ...)                                                                  \
    do {                                                                                  \
        if (cond) {                                                                       \
            ++g_pass;                                                                     \
            break;                                                                        \
        }                                                                                 \
        ++g_fail;                                                                         \
        std::printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);                       \
        std::printf(__VA_ARGS__);                                                         \
        std::printf("\n");                                                                \
    } while (0)

// Status of a call on `ctx` is SR_OK, else the context's message.
#define CHECK_OK(expr)                                                      \
    do {                                                                    \
        sr_status st_ = (expr);                                             \
        CHECK(st_ == SR_OK, "status %d: %s", st_, g_last_error.c_str());           \
    } while (0)

typedef std::vector<std::vector<float>> Weights;  // [tensor][element], F32
typedef std::vector<std::vector<uint8_t>> Masks;

struct Rng {  // xorshift64*, seeded: tests are reproducible
    uint64_t s;
    explicit Rng(uint64_t seed) : s(seed * 0x9E3779B97F4A7C15ull + 1) {}
    uint64_t next() {
        s ^= s >> 12, s ^= s << 25, s ^= s >> 27;
        return s * 0x2545F4914F6CDD1Dull;
    }
    int64_t below(int64_t n) { return (int64_t)(next() % (uint64_t)n); }
};

// Brute force: sort live (key, t, i) by key desc, t asc, i asc; the first `keep` stay.
// keep_per_tensor != null: the same per tensor. Fills the expected report for the global case.
Masks reference(const Weights& w, const Masks& m, int dtype, bool random, uint64_t seed, int64_t keep,
                const int64_t* keep_per_tensor, sr_select_report* rep) {
    Masks out = m;
    std::vector<std::tuple<uint32_t, int32_t, int64_t>> order;  // (~key, t, i): ascending = rank order
    auto finish = [&](int64_t k) {
        std::sort(order.begin(), order.end());
        for (size_t r = 0; r < order.size(); ++r)
            out[std::get<1>(order[r])][std::get<2>(order[r])] = (int64_t)r < k ? 1 : 0;
        if (rep) {
            rep->live_before = (int64_t)order.size();
            rep->threshold_bits = k > 0 ? ~std::get<0>(order[k - 1]) : 0;
            rep->kept_above = 0;
            for (int64_t r = 0; r < k; ++r) rep->kept_above += ~std::get<0>(order[r]) > rep->threshold_bits;
            rep->kept_ties = k - rep->kept_above;
        }
        order.clear();
    };
    for (size_t t = 0; t < m.size(); ++t) {
        for (size_t i = 0; i < m[t].size(); ++i) {
            if (!m[t][i]) continue;
            uint32_t key = random ? sr_philox_select_key(seed, (int32_t)t, (int64_t)i)
                                  : dtype == SR_BF16 ? sr_abs_key_bf16(sr_float_to_bf16(w[t][i]))
                                                     : sr_abs_key_f32(w[t][i]);
            order.emplace_back(~key, (int32_t)t, (int64_t)i);
        }
        if (keep_per_tensor) finish(keep_per_tensor[t]);
    }
    if (!keep_per_tensor) finish(keep);
    return out;
}

// Runs the library: magnitude (dtype F32/BF16) or random; global (keep_per_tensor null) or layer-wise.
// On a CUDA context weights and masks go through device copies (random mode passes w unused).
sr_status run(sr_context* ctx, const Weights& w, Masks& m, int dtype, bool random, uint64_t seed, int64_t keep,
              const int64_t* keep_per_tensor, sr_select_report* rep) {
    const bool cuda = sr_context_device_kind(ctx) == SR_DEVICE_CUDA;
    const int32_t n = (int32_t)m.size();
    std::vector<std::vector<uint16_t>> wb(n);
    std::vector<const void*> wp(n);
    std::vector<uint8_t*> mp(n);
    std::vector<int64_t> sizes(n);
    for (int32_t t = 0; t < n; ++t) {
        sizes[t] = (int64_t)m[t].size();
        if (!random && dtype == SR_BF16)
            for (float x : w[t]) wb[t].push_back(sr_float_to_bf16(x));
        wp[t] = random ? nullptr : dtype == SR_BF16 ? (const void*)wb[t].data() : (const void*)w[t].data();
        mp[t] = m[t].data();
        if (!cuda || sizes[t] == 0) continue;
        void* dw = nullptr;
        void* dm = nullptr;
        const size_t wbytes = random ? 0 : (size_t)sizes[t] * (dtype == SR_BF16 ? 2 : 4);
        if ((wbytes && sr_malloc(ctx, wbytes, &dw) != SR_OK) || sr_malloc(ctx, sizes[t], &dm) != SR_OK)
            return SR_ERR_OUT_OF_MEMORY;  // leaks a few bytes of a failing test run
        if (wbytes) sr_memcpy(ctx, dw, wp[t], wbytes, SR_COPY_HOST_TO_DEVICE);
        sr_memcpy(ctx, dm, mp[t], sizes[t], SR_COPY_HOST_TO_DEVICE);
        wp[t] = dw;
        mp[t] = static_cast<uint8_t*>(dm);
    }
    const void* const* ws = wp.data();
    uint8_t* const* ms = mp.data();
    sr_status st;
    if (random && keep_per_tensor) st = sr_prune_random_layerwise(ctx, n, ms, sizes.data(), keep_per_tensor, seed);
    else if (random) st = sr_prune_random_global(ctx, n, ms, sizes.data(), keep, seed, rep);
    else if (keep_per_tensor) st = sr_prune_magnitude_layerwise(ctx, dtype, n, ws, ms, sizes.data(), keep_per_tensor);
    else st = sr_prune_magnitude_global(ctx, dtype, n, ws, ms, sizes.data(), keep, rep);
    const std::string msg = sr_context_last_error(ctx);  // the copies below would clear it
    for (int32_t t = 0; cuda && t < n; ++t) {
        if (sizes[t] == 0) continue;
        sr_memcpy(ctx, m[t].data(), mp[t], sizes[t], SR_COPY_DEVICE_TO_HOST);
        sr_free(ctx, mp[t]);
        sr_free(ctx, const_cast<void*>(wp[t]));
    }
    g_last_error = msg;
    return st;
}

std::string first_diff(const Masks& a, const Masks& b) {
    for (size_t t = 0; t < a.size(); ++t)
        for (size_t i = 0; i < a[t].size(); ++i)
            if (a[t][i] != b[t][i])
                return "masks[" + std::to_string(t) + "][" + std::to_string(i) + "] = " + std::to_string(a[t][i]) +
                       ", expected " + std::to_string(b[t][i]);
    return "none";
}

void expect(const Masks& got, const Masks& want, const char* what) {
    CHECK(got == want, "%s: first difference %s", what, first_diff(got, want).c_str());
}

bool has(const std::string& msg, const char* part) { return msg.find(part) != std::string::npos; }

void expect_report(const sr_select_report& r, uint32_t threshold, int64_t above, int64_t ties, int64_t live,
                   const char* what) {
    CHECK(r.threshold_bits == threshold && r.kept_above == above && r.kept_ties == ties && r.live_before == live,
          "%s: report T=%08x above=%lld ties=%lld live=%lld, expected %08x %lld %lld %lld", what, r.threshold_bits,
          (long long)r.kept_above, (long long)r.kept_ties, (long long)r.live_before, threshold, (long long)above,
          (long long)ties, (long long)live);
}

// Library vs brute force on one case; `what` names it in a failure.
void compare(sr_context* ctx, const char* what, const Weights& w, const Masks& m, int dtype, bool random,
             uint64_t seed, int64_t keep, const int64_t* kpt) {
    Masks got = m;
    sr_select_report rep{}, want_rep{};
    sr_status st = run(ctx, w, got, dtype, random, seed, keep, kpt, kpt ? nullptr : &rep);
    Masks want = reference(w, m, dtype, random, seed, keep, kpt, &want_rep);
    CHECK(st == SR_OK, "%s: status %d (%s)", what, st, g_last_error.c_str());
    expect(got, want, what);
    if (!kpt)
        expect_report(rep, want_rep.threshold_bits, want_rep.kept_above, want_rep.kept_ties, want_rep.live_before,
                      what);
}

void hand_cases(sr_context* ctx) {
    // Ties across tensors: |3| at (0,1), (0,3), (1,0), (1,1); keep 3 drops the last one in order.
    Weights w = {{1, 3, 2, 3}, {3, -3, 0.5f}};
    Masks m = {{1, 1, 1, 1}, {1, 1, 1}};
    Masks got = m;
    sr_select_report rep{};
    CHECK_OK(run(ctx, w, got, SR_F32, false, 0, 3, nullptr, &rep));
    expect(got, {{0, 1, 0, 1}, {1, 0, 0}}, "ties across tensors");
    expect_report(rep, sr_abs_key_f32(3.0f), 0, 3, 7, "ties across tensors");
    // Same in BF16 (3.0 and 0.5 are exact in bf16); threshold bits are bf16 widened to float.
    got = m;
    CHECK_OK(run(ctx, w, got, SR_BF16, false, 0, 5, nullptr, &rep));
    expect(got, Masks{{0, 1, 1, 1}, {1, 1, 0}}, "bf16");
    expect_report(rep, 0x40000000u, 4, 1, 7, "bf16");

    // A live weight of exactly 0 (and -0.0) ranks by the tie rule; the pruned entry is never revived.
    Weights wz = {{0, 5, 9, -0.0f}};
    Masks mz = {{1, 1, 0, 1}};
    got = mz;
    CHECK_OK(run(ctx, wz, got, SR_F32, false, 0, 2, nullptr, &rep));
    expect(got, Masks{{1, 1, 0, 0}}, "live zero");
    expect_report(rep, 0, 1, 1, 3, "live zero");
    got = mz;
    CHECK_OK(run(ctx, wz, got, SR_F32, false, 0, 3, nullptr, &rep));
    expect(got, mz, "keep = live changes nothing");
    expect_report(rep, 0, 1, 2, 3, "keep = live");

    // k = 0 clears every mask; threshold 0. A mask value of 2 counts as live.
    Masks m2 = {{2, 1, 0, 1}, {1, 1, 1}};
    got = m2;
    CHECK_OK(run(ctx, w, got, SR_F32, false, 0, 0, nullptr, &rep));
    expect(got, Masks{{0, 0, 0, 0}, {0, 0, 0}}, "k = 0");
    expect_report(rep, 0, 0, 0, 6, "k = 0");
    // Already masked large weights stay pruned: |9| and |-7| are pruned, keep 2 of the live {1, 2, 3}.
    Weights wm = {{9, 1, 2}, {-7, 3}};
    Masks mm = {{0, 1, 1}, {0, 1}};
    got = mm;
    CHECK_OK(run(ctx, wm, got, SR_F32, false, 0, 2, nullptr, &rep));
    expect(got, Masks{{0, 0, 1}, {0, 1}}, "no revival");

    // Layer-wise: tensor 0 keeps 2 (the ties |3| at 1 and 3), tensor 1 keeps 1 (|3| at 0 before |-3|).
    const int64_t kpt[2] = {2, 1};
    got = m;
    CHECK_OK(run(ctx, w, got, SR_F32, false, 0, 0, kpt, nullptr));
    expect(got, {{0, 1, 0, 1}, {1, 0, 0}}, "layer-wise");
}

void error_cases(sr_context* ctx) {
    const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
    Weights w = {{1, 2, 3}, {4, 5, nan, 6}};
    Masks m = {{1, 1, 1}, {1, 1, 1, 0}};
    for (int dtype : {SR_F32, SR_BF16}) {
        Masks got = m;
        sr_status st = run(ctx, w, got, dtype, false, 0, 2, nullptr, nullptr);
        CHECK(st == SR_ERR_NONFINITE, "NaN in live weight: status %d", st);
        expect(got, m, "NaN in live weight leaves masks");
        CHECK(has(g_last_error, "weights[1][2]") && has(g_last_error, "nan"), "message: %s", g_last_error.c_str());
        const int64_t kpt[2] = {1, 1};
        st = run(ctx, w, got, dtype, false, 0, 0, kpt, nullptr);
        CHECK(st == SR_ERR_NONFINITE && got == m, "NaN layer-wise: status %d", st);
    }
    Weights wi = {{1, -inf}};
    Masks mi = {{1, 1}};
    Masks got = mi;
    CHECK(run(ctx, wi, got, SR_F32, false, 0, 1, nullptr, nullptr) == SR_ERR_NONFINITE, "Inf in live weight");
    expect(got, mi, "Inf in live weight leaves masks");
    CHECK(has(g_last_error, "weights[0][1] = -inf"), "message: %s", g_last_error.c_str());
    // NaN in a pruned entry is ignored.
    Masks mp = {{1, 1, 1}, {1, 1, 0, 1}};
    got = mp;
    CHECK_OK(run(ctx, w, got, SR_F32, false, 0, 2, nullptr, nullptr));
    expect(got, {{0, 0, 0}, {0, 1, 0, 1}}, "NaN in pruned entry");
    // keep > live: global names keep and the live count; layer-wise names the tensor.
    Weights wk = {{1, 2, 3}, {4, 5, 6, 7}};
    got = mp;
    sr_status st = run(ctx, wk, got, SR_F32, false, 0, 7, nullptr, nullptr);
    CHECK(st == SR_ERR_OUT_OF_RANGE && got == mp, "keep > live: status %d", st);
    CHECK(has(g_last_error, "keep = 7") && has(g_last_error, "live count 6"), "message: %s", g_last_error.c_str());
    const int64_t kpt[2] = {2, 4};
    st = run(ctx, wk, got, SR_F32, false, 0, 0, kpt, nullptr);
    CHECK(st == SR_ERR_OUT_OF_RANGE && got == mp, "layer-wise keep > live: status %d", st);
    CHECK(has(g_last_error, "keep_per_tensor[1] = 4") && has(g_last_error, "live count 3"), "message: %s",
          g_last_error.c_str());
    st = run(ctx, wk, got, SR_F32, true, 5, 7, nullptr, nullptr);
    CHECK(st == SR_ERR_OUT_OF_RANGE && got == mp, "random keep > live: status %d", st);
}

// Random shapes, masks and small-integer weights (many exact ties) against the brute force.
void random_cases(sr_context* ctx) {
    Rng rng(42);
    char what[128];
    for (int c = 0; c < 200; ++c) {
        const int32_t count = 1 + (int32_t)rng.below(4);
        Weights w(count);
        Masks m(count);
        int64_t live = 0;
        std::vector<int64_t> live_t(count), kpt(count);
        const int range = c % 3 == 0 ? 3 : c % 3 == 1 ? 50 : 1 << 20;  // few ties .. many ties
        for (int32_t t = 0; t < count; ++t) {
            const int64_t n = rng.below(c % 10 == 0 ? 5000 : 300);
            for (int64_t i = 0; i < n; ++i) {
                // mixes magnitudes across level-1 bins with exact ties inside them
                w[t].push_back((float)(rng.below(2 * range + 1) - range) * (c % 2 ? 1.0f : 1e-3f));
                m[t].push_back(rng.below(4) != 0 ? 1 : 0);
                live_t[t] += m[t].back();
            }
            live += live_t[t];
            kpt[t] = rng.below(live_t[t] + 1);
        }
        const int64_t keep = c % 17 == 0 ? live : c % 13 == 0 ? 0 : rng.below(live + 1);
        const int dtype = c % 4 == 3 ? SR_BF16 : SR_F32;
        const uint64_t seed = rng.next();
        std::snprintf(what, sizeof what, "case %d (%d tensors, live %lld, keep %lld, dtype %d)", c, count,
                      (long long)live, (long long)keep, dtype);
        compare(ctx, what, w, m, dtype, false, 0, keep, nullptr);
        compare(ctx, what, w, m, dtype, false, 0, 0, kpt.data());
        compare(ctx, what, w, m, SR_F32, true, seed, keep, nullptr);
        compare(ctx, what, w, m, SR_F32, true, seed, 0, kpt.data());
    }
}

void random_mode(sr_context* ctx) {
    const Weights w(3);
    Masks m = {std::vector<uint8_t>(1000, 1), std::vector<uint8_t>(2000, 1), std::vector<uint8_t>(500, 1)};
    for (size_t i = 0; i < m[1].size(); i += 3) m[1][i] = 0;
    Masks a = m, b = m, c = m;
    CHECK_OK(run(ctx, w, a, SR_F32, true, 0x123456789abcull, 1000, nullptr, nullptr));
    CHECK_OK(run(ctx, w, b, SR_F32, true, 0x123456789abcull, 1000, nullptr, nullptr));
    CHECK_OK(run(ctx, w, c, SR_F32, true, 0x123456789abdull, 1000, nullptr, nullptr));
    int64_t kept = 0, revived = 0;
    for (size_t t = 0; t < a.size(); ++t)
        for (size_t i = 0; i < a[t].size(); ++i) kept += a[t][i], revived += a[t][i] && !m[t][i];
    CHECK(a == b, "same seed, different masks: %s", first_diff(a, b).c_str());
    CHECK(a != c, "different seeds, identical masks");
    CHECK(kept == 1000 && revived == 0, "kept %lld (expected 1000), revived %lld", (long long)kept, (long long)revived);
    // The philox4x32-10 known-answer vector (Random123 kat_vectors): counter 0, key 0.
    sr_philox4x32 zero = {{0, 0, 0, 0}};
    sr_philox4x32 r = sr_philox4x32_10(zero, 0, 0);
    CHECK(r.v[0] == 0x6627e8d5u && r.v[1] == 0xe169c58du && r.v[2] == 0xbc57ac4cu && r.v[3] == 0x9b00dbd8u,
          "philox KAT: %08x %08x %08x %08x", r.v[0], r.v[1], r.v[2], r.v[3]);
}

// A field of /proc/self/status in KiB ("VmRSS", "VmHWM"), -1 when absent.
long status_kib(const char* field) {
    FILE* f = std::fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;
    while (f && std::fgets(line, sizeof line, f))
        if (std::strncmp(line, field, std::strlen(field)) == 0) std::sscanf(line + std::strlen(field), ": %ld", &kib);
    if (f) std::fclose(f);
    return kib;
}

// Resets VmHWM to the current VmRSS (Linux >= 4.0), so the next peak is the selection's own.
bool reset_peak_rss() {
    FILE* f = std::fopen("/proc/self/clear_refs", "w");
    if (!f) return false;
    const bool ok = std::fputs("5", f) >= 0;
    return std::fclose(f) == 0 && ok;
}

// 4 tensors x 2.5e7 F32 weights (400 MB + 100 MB of masks): exact count, threshold order, and the
// peak-memory increase of the selection itself.
void large_case(sr_context* ctx) {
    const int32_t count = 4;
    const int64_t n = 25000000;
    Weights w(count);
    Masks m(count);
    Rng rng(7);
    int64_t live = 0;
    for (int32_t t = 0; t < count; ++t) {
        w[t].resize(n), m[t].resize(n);  // resized one by one: the peak is the inputs, not a copy of them
        for (int64_t i = 0; i < n; ++i) {
            const uint64_t r = rng.next();
            w[t][i] = (float)((int64_t)(r >> 40) - (1 << 23)) * 1e-7f;  // 2^24 values: ties, never all distinct
            m[t][i] = (r & 7) != 0;                                      // 7/8 live
            live += m[t][i];
        }
    }
    const void* wp[count] = {w[0].data(), w[1].data(), w[2].data(), w[3].data()};
    uint8_t* mp[count] = {m[0].data(), m[1].data(), m[2].data(), m[3].data()};
    const int64_t sizes[count] = {n, n, n, n};
    const int64_t keep = live / 10;
    sr_select_report rep{};
    // Without clear_refs the peak so far (inputs) stands in: the check is then weaker, never wrong.
    const bool reset = reset_peak_rss();
    const long before = reset ? status_kib("VmRSS") : status_kib("VmHWM");
    const auto t0 = std::chrono::steady_clock::now();
    sr_status st = sr_prune_magnitude_global(ctx, SR_F32, count, wp, mp, sizes, keep, &rep);
    const double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const long after = status_kib("VmHWM");
    CHECK(st == SR_OK, "%s", sr_context_last_error(ctx));
    int64_t kept = 0, order_violations = 0;  // a kept entry below T
    for (int32_t t = 0; t < count; ++t)
        for (int64_t i = 0; i < n; ++i)
            kept += m[t][i], order_violations += m[t][i] && sr_abs_key_f32(w[t][i]) < rep.threshold_bits;
    CHECK(kept == keep && rep.kept_above + rep.kept_ties == keep && rep.live_before == live,
          "kept %lld, report %lld + %lld, expected %lld of live %lld", (long long)kept, (long long)rep.kept_above,
          (long long)rep.kept_ties, (long long)keep, (long long)live);
    CHECK(order_violations == 0, "%lld kept entries below the threshold", (long long)order_violations);
    CHECK(before > 0 && after - before < 16 * 1024, "peak memory grew by %ld KiB during selection", after - before);
    std::printf("large: 1e8 F32 weights (live %lld, keep %lld): %.3f s, peak RSS +%ld KiB%s (inputs %lld MiB)\n",
                (long long)live, (long long)keep, sec, after - before, reset ? "" : " (VmHWM not resettable)",
                (long long)(count * n * 5 >> 20));
}

}  // namespace

int main() {
    sr_context* host = nullptr;
    sr_context* gpu = nullptr;
    CHECK(sr_context_create(SR_DEVICE_HOST, 0, &host) == SR_OK, "host context: %s", sr_thread_last_error());
    int32_t devices = 0;
    if (sr_cuda_device_count(&devices) == SR_OK && devices > 0)
        CHECK(sr_context_create(SR_DEVICE_CUDA, 0, &gpu) == SR_OK, "CUDA context: %s", sr_thread_last_error());
    else
        std::printf("CUDA: skipped (no device)\n");
    for (sr_context* ctx : {host, gpu}) {
        if (!ctx) continue;
        hand_cases(ctx);
        error_cases(ctx);
        random_cases(ctx);
        random_mode(ctx);
    }
    if (host) large_case(host);
    sr_context_destroy(gpu);
    sr_context_destroy(host);
    std::printf("%d passed, %d failed\n", g_pass, g_fail);
    return g_fail == 0 ? 0 : 1;
}
