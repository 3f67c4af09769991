// test_xent_acc.cpp — the accumulating softmax cross-entropy (sparseretrain.h, "accumulating softmax
// cross-entropy") on a host context: over several batches accumulated into one sr_xent_acc, the dlogits
// are BIT-IDENTICAL to sr_softmax_xent's and loss_sum / correct / rows EQUAL what the per-batch calls give
// when summed in double by the caller; a bad label and a NaN / Inf logit set the sticky flags, add
// nothing and zero that row's dlogits while the other rows match sr_softmax_xent on the valid rows; every
// argument check names the call and the argument. The same op on a GPU (tolerance, graph capture and
// replay) lives in tests/cuda/ (cuda_vs_host).
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>
#include "sparseretrain.h"
#include "test_check.h"

namespace {


bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

struct Batch {
    std::vector<float> z;
    std::vector<int32_t> y;
};

// Logits with spread (confident and unsure rows), some exact ties (the first maximum rule).
Batch batch(std::mt19937& r, int64_t rows, int64_t classes) {
    std::normal_distribution<float> d(0.0f, 3.0f);
    std::uniform_int_distribution<int32_t> lab(0, (int32_t)classes - 1);
    Batch b{std::vector<float>((size_t)(rows * classes)), std::vector<int32_t>((size_t)rows)};
    for (auto& x : b.z) x = d(r);
    for (int64_t i = 0; i < rows; ++i) {
        b.y[(size_t)i] = lab(r);
        if (i % 5 == 0) b.z[(size_t)(i * classes + b.y[(size_t)i])] = 40.0f;  // confident and right
        if (i % 7 == 0 && classes > 1) b.z[(size_t)(i * classes)] = b.z[(size_t)(i * classes + 1)] = 50.0f;  // tie
    }
    return b;
}

// Several batches (different row counts, classes 10 and 37) into one accumulator vs per-batch calls.
void test_matches_per_batch(sr_context* h, std::mt19937& r) {
    for (int64_t classes : {10, 37}) {
        const std::string t = "classes=" + std::to_string(classes);
        sr_xent_acc acc;
        check(sr_memset_zero(h, &acc, sizeof acc) == SR_OK, t + ": memset_zero");
        double loss = 0.0;
        int64_t correct = 0, rows_total = 0;
        bool grads_same = true;
        for (int64_t rows : {1, 17, 64, 3, 128}) {
            Batch b = batch(r, rows, classes);
            const float scale = 1.0f / (float)rows;
            std::vector<float> d1(b.z.size(), -7.0f), d2(b.z.size(), 9.0f);
            double l = 0;
            int64_t c = 0;
            check(sr_softmax_xent(h, b.z.data(), b.y.data(), rows, classes, scale, d1.data(), &l, &c) == SR_OK,
                  t + ": sr_softmax_xent");
            check(sr_softmax_xent_acc(h, b.z.data(), b.y.data(), rows, classes, scale, d2.data(), &acc) == SR_OK,
                  t + ": sr_softmax_xent_acc");
            grads_same = grads_same && same_bits(d1, d2);
            loss += l;
            correct += c;
            rows_total += rows;
        }
        check(grads_same, t + ": dlogits bit-identical to sr_softmax_xent");
        check(acc.loss_sum == loss, t + ": loss_sum " + std::to_string(acc.loss_sum) + " != " + std::to_string(loss));
        check(acc.correct == correct && correct > 0, t + ": correct " + std::to_string(acc.correct) + " != " +
                                                         std::to_string(correct));
        check(acc.rows == rows_total, t + ": rows " + std::to_string(acc.rows));
        check(acc.error == 0 && acc.reserved == 0, t + ": no error flag");
        // dlogits NULL: loss / accuracy only (evaluation).
        Batch b = batch(r, 9, classes);
        sr_xent_acc e{};
        double l = 0;
        int64_t c = 0;
        sr_softmax_xent(h, b.z.data(), b.y.data(), 9, classes, 1.0f, nullptr, &l, &c);
        check(sr_softmax_xent_acc(h, b.z.data(), b.y.data(), 9, classes, 1.0f, nullptr, &e) == SR_OK &&
                  e.loss_sum == l && e.correct == c && e.rows == 9,
              t + ": without dlogits");
    }
    // The hand-computed 2x3 case of test_layers_pointwise: loss 1.2696007685026311, one correct.
    const std::vector<float> z = {1, 2, 3, 1, 1, 0};
    const std::vector<int32_t> y = {2, 1};
    sr_xent_acc acc{};
    std::vector<float> dz(6);
    check(sr_softmax_xent_acc(h, z.data(), y.data(), 2, 3, 0.5f, dz.data(), &acc) == SR_OK &&
              std::fabs(acc.loss_sum - 1.2696007685026311) < 1e-6 && acc.correct == 1 && acc.rows == 2,
          "2x3 hand case (tie goes to the first maximum)");
}

// Bad rows: sticky flags, nothing added, zero dlogits there; the valid rows as sr_softmax_xent on them.
void test_sticky_errors(sr_context* h, std::mt19937& r) {
    const int64_t rows = 6, classes = 5;
    Batch b = batch(r, rows, classes);
    Batch bad = b;
    bad.y[1] = (int32_t)classes;  // label out of range
    bad.y[3] = -1;
    bad.z[(size_t)(4 * classes + 2)] = NAN;  // non-finite logit
    std::vector<float> dz(b.z.size(), 3.0f);
    sr_xent_acc acc{};
    check(sr_softmax_xent_acc(h, bad.z.data(), bad.y.data(), rows, classes, 0.25f, dz.data(), &acc) == SR_OK,
          "bad rows: the call itself succeeds (a kernel cannot fail mid-graph)");
    check(acc.error == (SR_XENT_ACC_BAD_LABEL | SR_XENT_ACC_NONFINITE), "bad rows: both flags set, got " +
                                                                             std::to_string(acc.error));
    check(acc.rows == 3, "bad rows: only the 3 valid rows counted, got " + std::to_string(acc.rows));
    // The valid rows {0, 2, 5} one by one through sr_softmax_xent.
    double loss = 0;
    int64_t correct = 0;
    bool grads = true;
    for (int64_t i : {0, 2, 5}) {
        std::vector<float> d1((size_t)classes);
        double l = 0;
        int64_t c = 0;
        sr_softmax_xent(h, b.z.data() + i * classes, b.y.data() + i, 1, classes, 0.25f, d1.data(), &l, &c);
        loss += l;
        correct += c;
        grads = grads && std::memcmp(d1.data(), dz.data() + i * classes, sizeof(float) * (size_t)classes) == 0;
    }
    check(grads, "bad rows: valid rows' dlogits bit-identical to sr_softmax_xent");
    check(acc.loss_sum == loss && acc.correct == correct, "bad rows: loss / correct of the valid rows only");
    bool zeros = true;
    for (int64_t i : {1, 3, 4})
        for (int64_t j = 0; j < classes; ++j) zeros = zeros && dz[(size_t)(i * classes + j)] == 0.0f;
    check(zeros, "bad rows: their dlogits rows are zero");
    // Sticky: a clean batch afterwards keeps the flags; Inf alone sets only NONFINITE.
    sr_softmax_xent_acc(h, b.z.data(), b.y.data(), rows, classes, 0.25f, dz.data(), &acc);
    check(acc.error == (SR_XENT_ACC_BAD_LABEL | SR_XENT_ACC_NONFINITE) && acc.rows == 3 + rows,
          "flags stay set across a clean batch");
    Batch inf = b;
    inf.z[0] = -INFINITY;
    sr_xent_acc a2{};
    sr_softmax_xent_acc(h, inf.z.data(), inf.y.data(), rows, classes, 0.25f, nullptr, &a2);
    check(a2.error == SR_XENT_ACC_NONFINITE && a2.rows == rows - 1, "-Inf logit: NONFINITE only");
    // The uncaptured op fails on the same inputs (the semantics the flags stand in for).
    double l;
    int64_t c;
    expect(h, sr_softmax_xent(h, bad.z.data(), bad.y.data(), rows, classes, 0.25f, nullptr, &l, &c),
           SR_ERR_OUT_OF_RANGE, "sr_softmax_xent on the bad batch", {"row 1"});
}

void test_arguments(sr_context* h) {
    const char* c = "sr_softmax_xent_acc";
    const std::vector<float> z = {1, 2, 3, 4};
    const std::vector<int32_t> y = {0, 1};
    std::vector<float> dz(4);
    alignas(16) unsigned char raw[sizeof(sr_xent_acc) + 16] = {0};
    sr_xent_acc* acc = reinterpret_cast<sr_xent_acc*>(raw);
    expect(h, sr_softmax_xent_acc(h, z.data(), y.data(), 2, 2, 1.0f, dz.data(), nullptr), SR_ERR_INVALID_ARGUMENT,
           "null acc", {c, "acc"});
    expect(h, sr_softmax_xent_acc(h, z.data(), y.data(), 2, 2, 1.0f, dz.data(), reinterpret_cast<sr_xent_acc*>(raw + 4)),
           SR_ERR_INVALID_ARGUMENT, "misaligned acc", {c, "aligned"});
    expect(h, sr_softmax_xent_acc(h, z.data(), y.data(), -1, 2, 1.0f, dz.data(), acc), SR_ERR_INVALID_ARGUMENT,
           "negative rows", {c, "rows"});
    expect(h, sr_softmax_xent_acc(h, z.data(), y.data(), 2, 0, 1.0f, dz.data(), acc), SR_ERR_SHAPE, "zero classes",
           {c, "classes"});
    expect(h, sr_softmax_xent_acc(h, z.data(), y.data(), 2, 2, NAN, dz.data(), acc), SR_ERR_INVALID_ARGUMENT,
           "NaN grad_scale", {c, "grad_scale"});
    expect(h, sr_softmax_xent_acc(h, nullptr, y.data(), 2, 2, 1.0f, dz.data(), acc), SR_ERR_INVALID_ARGUMENT,
           "null logits", {c, "logits"});
    expect(h, sr_softmax_xent_acc(h, z.data(), nullptr, 2, 2, 1.0f, dz.data(), acc), SR_ERR_INVALID_ARGUMENT,
           "null labels", {c, "labels"});
    check(sr_softmax_xent_acc(nullptr, z.data(), y.data(), 2, 2, 1.0f, dz.data(), acc) != SR_OK, "null context");
    check(sr_softmax_xent_acc(h, nullptr, nullptr, 0, 2, 1.0f, nullptr, acc) == SR_OK && acc->rows == 0 &&
              acc->loss_sum == 0.0,
          "rows == 0 is a no-op");
    check(sizeof(sr_xent_acc) == 32 && alignof(sr_xent_acc) == 8, "sr_xent_acc is 32 bytes, 8-aligned");
}

}  // namespace

int main() {
    sr_context* h = nullptr;
    if (sr_context_create(SR_DEVICE_HOST, 0, &h) != SR_OK) {
        std::printf("FAIL host context: %s\n", sr_thread_last_error());
        return 1;
    }
    std::mt19937 r(20261123);
    test_matches_per_batch(h, r);
    test_sticky_errors(h, r);
    test_arguments(h);
    sr_context_destroy(h);
    std::printf("%d passed, %d failed\n", g_passed, g_failed);
    return g_failed == 0 ? 0 : 1;
}
