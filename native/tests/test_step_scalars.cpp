// test_step_scalars.cpp — the "device-resident step scalars" calls (sparseretrain/step_scalars.h) on a
// host context: over several steps with a changing LR table, sr_step_scalars_advance + sr_sgd_step_dev /
// sr_adamw_step_dev give BIT-IDENTICAL weights and state to sr_sgd_step / sr_adamw_step called with the
// table's lr and the step number (SGD: plain, momentum + dampening + L2, Nesterov, decoupled wd; AdamW),
// masked entries stay exactly zero, the struct follows the table and holds its last entry past the end,
// and every argument check names the call and the argument. The same comparison on a GPU, and a captured
// "advance + step" replayed N times, live in tests/cuda/ (cuda_vs_host).
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>
#include "sparseretrain.h"
#include "test_check.h"

namespace {


std::vector<float> randoms(std::mt19937& r, size_t n) {
    std::normal_distribution<float> d(0.0f, 1.0f);
    std::vector<float> v(n);
    for (auto& x : v) x = d(r);
    return v;
}
std::vector<uint8_t> mask_of(std::mt19937& r, size_t n) {
    std::bernoulli_distribution live(0.6);
    std::vector<uint8_t> m(n);
    for (auto& x : m) x = live(r) ? 1 : 0;
    return m;
}
bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}
bool zero_where_pruned(const std::vector<float>& x, const std::vector<uint8_t>& m) {
    for (size_t i = 0; i < x.size(); ++i)
        if (!m[i] && (x[i] != 0.0f || std::signbit(x[i]))) return false;
    return true;
}

// A warm-up, then a decay: every step a different lr (the case a frozen capture gets wrong).
const std::vector<float> kTable = {0.01f, 0.05f, 0.1f, 0.08f, 0.06f, 0.03f, 0.01f};
constexpr int kSteps = 9;  // 2 past the table's end: the last entry holds

void test_advance(sr_context* h) {
    sr_step_scalars s{};
    bool ok = true;
    for (int i = 1; i <= kSteps; ++i) {
        sr_step_scalars_advance(h, &s, kTable.data(), (int64_t)kTable.size());
        size_t at = (size_t)i < kTable.size() ? (size_t)i : kTable.size();
        ok = ok && s.step == i && s.lr == kTable[at - 1] && s.cursor == (int32_t)at;
    }
    check(ok, "advance follows the table and holds its last entry past the end");
    // A new cycle's table while AdamW's t goes on: step continues, the cursor restarts.
    sr_step_scalars t{0.0f, 40, 0, 0};
    sr_step_scalars_advance(h, &t, kTable.data(), (int64_t)kTable.size());
    check(t.step == 41 && t.lr == kTable[0] && t.cursor == 1, "advance from {step 40, cursor 0}: step 41, first entry");
}

void test_sgd(sr_context* h, std::mt19937& r) {
    // {momentum, dampening, weight_decay, nesterov, decoupled}
    const float cases[][5] = {{0, 0, 0, 0, 0}, {0.9f, 0.1f, 5e-4f, 0, 0}, {0.9f, 0, 1e-4f, 1, 0}, {0.8f, 0, 1e-2f, 0, 1}};
    for (int64_t n : {1, 7, 4099}) {
        for (auto& c : cases) {
            std::string t = "sgd n=" + std::to_string(n) + " momentum=" + std::to_string(c[0]) +
                            " nesterov=" + std::to_string((int)c[3]) + " decoupled=" + std::to_string((int)c[4]);
            std::vector<float> w0 = randoms(r, n);
            std::vector<uint8_t> m = mask_of(r, n);
            std::vector<float> wa = w0, wb = w0, ba(n, 0.0f), bb(n, 0.0f);
            sr_step_scalars s{};
            bool ok = true;
            for (int i = 0; i < kSteps && ok; ++i) {
                std::vector<float> g = randoms(r, n);
                float lr = kTable[std::min<size_t>(i, kTable.size() - 1)];
                ok = sr_sgd_step(h, wa.data(), g.data(), ba.data(), m.data(), n, lr, c[0], c[1], c[2], (int)c[3],
                                 (int)c[4], i == 0) == SR_OK &&
                     sr_step_scalars_advance(h, &s, kTable.data(), (int64_t)kTable.size()) == SR_OK &&
                     sr_sgd_step_dev(h, wb.data(), g.data(), bb.data(), m.data(), n, &s, c[0], c[1], c[2], (int)c[3],
                                     (int)c[4], i == 0) == SR_OK;
            }
            check(ok, t + ": calls succeed (" + sr_context_last_error(h) + ")");
            check(same_bits(wa, wb), t + ": weights bit-identical to sr_sgd_step");
            check(same_bits(ba, bb), t + ": momentum bit-identical");
            check(zero_where_pruned(wb, m) && zero_where_pruned(bb, m), t + ": pruned entries exactly +0");
            check(!same_bits(wb, w0), t + ": weights moved (the comparison is not vacuous)");
        }
    }
}

void test_adamw(sr_context* h, std::mt19937& r) {
    for (int64_t n : {1, 7, 4099}) {
        std::string t = "adamw n=" + std::to_string(n);
        std::vector<float> w0 = randoms(r, n);
        std::vector<uint8_t> m = mask_of(r, n);
        std::vector<float> wa = w0, wb = w0, ma(n, 0.0f), mb(n, 0.0f), va(n, 0.0f), vb(n, 0.0f);
        sr_step_scalars s{};
        bool ok = true;
        for (int i = 0; i < kSteps && ok; ++i) {
            std::vector<float> g = randoms(r, n);
            float lr = kTable[std::min<size_t>(i, kTable.size() - 1)];
            ok = sr_adamw_step(h, wa.data(), g.data(), ma.data(), va.data(), m.data(), n, lr, 0.9f, 0.999f, 1e-8f,
                               1e-2f, i + 1) == SR_OK &&
                 sr_step_scalars_advance(h, &s, kTable.data(), (int64_t)kTable.size()) == SR_OK &&
                 sr_adamw_step_dev(h, wb.data(), g.data(), mb.data(), vb.data(), m.data(), n, &s, 0.9f, 0.999f, 1e-8f,
                                   1e-2f) == SR_OK;
        }
        check(ok, t + ": calls succeed (" + sr_context_last_error(h) + ")");
        check(same_bits(wa, wb) && same_bits(ma, mb) && same_bits(va, vb),
              t + ": w, m, v bit-identical to sr_adamw_step over a changing lr");
        check(zero_where_pruned(wb, m) && zero_where_pruned(mb, m) && zero_where_pruned(vb, m),
              t + ": pruned entries exactly +0");
    }
    // A zeroed struct (step 0) computes as step 1, as documented.
    std::vector<float> wa = {0.5f, -1.0f}, wb = wa, g = {0.25f, 2.0f}, ma(2, 0), mb(2, 0), va(2, 0), vb(2, 0);
    sr_step_scalars s{0.01f, 0, 0, 0};
    sr_adamw_step(h, wa.data(), g.data(), ma.data(), va.data(), nullptr, 2, 0.01f, 0.9f, 0.999f, 1e-8f, 0, 1);
    sr_adamw_step_dev(h, wb.data(), g.data(), mb.data(), vb.data(), nullptr, 2, &s, 0.9f, 0.999f, 1e-8f, 0);
    check(same_bits(wa, wb), "adamw: step 0 in the struct computes as step 1");
}

void test_errors(sr_context* h) {
    float w[4] = {1, 2, 3, 4}, g[4] = {1, 1, 1, 1}, table[1] = {0.1f};
    sr_step_scalars s{};
    expect(h, sr_step_scalars_advance(h, nullptr, table, 1), SR_ERR_INVALID_ARGUMENT, "advance s NULL",
           {"sr_step_scalars_advance", "'s'", "NULL"});
    expect(h, sr_step_scalars_advance(h, &s, nullptr, 1), SR_ERR_INVALID_ARGUMENT, "advance table NULL",
           {"sr_step_scalars_advance", "lr_table"});
    expect(h, sr_step_scalars_advance(h, &s, table, 0), SR_ERR_INVALID_ARGUMENT, "advance empty table",
           {"sr_step_scalars_advance", "table_len = 0"});
    alignas(8) char raw[16] = {0};
    auto* misaligned = reinterpret_cast<sr_step_scalars*>(raw + 1);
    expect(h, sr_step_scalars_advance(h, misaligned, table, 1), SR_ERR_INVALID_ARGUMENT, "advance misaligned",
           {"sr_step_scalars_advance", "aligned"});
    expect(h, sr_sgd_step_dev(h, w, g, nullptr, nullptr, 4, nullptr, 0, 0, 0, 0, 0, 0), SR_ERR_INVALID_ARGUMENT,
           "sgd_dev s NULL", {"sr_sgd_step_dev", "'s'"});
    expect(h, sr_sgd_step_dev(h, w, g, nullptr, nullptr, 4, &s, 0.9f, 0, 0, 0, 0, 0), SR_ERR_INVALID_ARGUMENT,
           "sgd_dev momentum without buffer", {"sr_sgd_step_dev", "momentum buffer"});
    expect(h, sr_sgd_step_dev(h, w, g, w, nullptr, 4, &s, 0.9f, 0.1f, 0, 1, 0, 0), SR_ERR_INVALID_ARGUMENT,
           "sgd_dev nesterov with dampening", {"sr_sgd_step_dev", "Nesterov"});
    expect(h, sr_sgd_step_dev(h, w, g, nullptr, nullptr, -1, &s, 0, 0, 0, 0, 0, 0), SR_ERR_INVALID_ARGUMENT,
           "sgd_dev n < 0", {"sr_sgd_step_dev", "'n'"});
    expect(h, sr_sgd_step_dev(h, nullptr, g, nullptr, nullptr, 4, &s, 0, 0, 0, 0, 0, 0), SR_ERR_INVALID_ARGUMENT,
           "sgd_dev w NULL", {"sr_sgd_step_dev", "'w'"});
    expect(h, sr_adamw_step_dev(h, w, g, w, w, nullptr, 4, &s, 1.0f, 0.999f, 1e-8f, 0), SR_ERR_INVALID_ARGUMENT,
           "adamw_dev beta1", {"sr_adamw_step_dev", "beta1"});
    expect(h, sr_adamw_step_dev(h, w, g, nullptr, w, nullptr, 4, &s, 0.9f, 0.999f, 1e-8f, 0),
           SR_ERR_INVALID_ARGUMENT, "adamw_dev m NULL", {"sr_adamw_step_dev", "'m'"});
    expect(h, sr_adamw_step_dev(h, w, g, w, w, nullptr, 4, nullptr, 0.9f, 0.999f, 1e-8f, 0),
           SR_ERR_INVALID_ARGUMENT, "adamw_dev s NULL", {"sr_adamw_step_dev", "'s'"});
    check(sr_sgd_step_dev(h, nullptr, nullptr, nullptr, nullptr, 0, &s, 0, 0, 0, 0, 0, 0) == SR_OK,
          "sgd_dev n = 0 with NULL tensors is a no-op");
    check(sr_step_scalars_advance(nullptr, &s, table, 1) == SR_ERR_INVALID_ARGUMENT, "advance NULL context");
}

}  // namespace

int main() {
    sr_context* h = nullptr;
    if (sr_context_create(SR_DEVICE_HOST, 0, &h) != SR_OK) {
        std::printf("FAIL host context: %s\n", sr_thread_last_error());
        return 1;
    }
    std::mt19937 r(20261123);
    test_advance(h);
    test_sgd(h, r);
    test_adamw(h, r);
    test_errors(h);
    sr_context_destroy(h);
    std::printf("%d passed, %d failed\n", g_passed, g_failed);
    return g_failed == 0 ? 0 : 1;
}
