// xent_acc_cases.h — cuda_vs_host's cases for the accumulating softmax cross-entropy (sparseretrain.h,
// "accumulating softmax cross-entropy"), kept beside the harness so cuda_vs_host.cpp stays a list of ops.
//  test_xent_acc: several batches accumulated on both sides. Tolerance (expf and the order of the row's
//    sum differ: warp-strided on the GPU, sequential on the host): dlogits |cuda - host| <= 1e-5 * |host|
//    + 1e-6 * grad_scale; loss_sum |cuda - host| <= 1e-6 * (|host| + rows) (per-row float sum_exp, then
//    double atomics in no fixed order); correct, rows and the error flags exactly. One batch has a bad
//    label and a NaN logit: same flags, zero dlogits rows on both sides.
//  test_xent_acc_graph: on the CUDA side, the op captured once and replayed N times (new logits uploaded
//    before each replay) accumulates what N uncaptured calls do (correct / rows exactly, loss_sum within
//    1e-12 relative: atomics), with the last replay's dlogits bit-identical to the uncaptured call's.
//    Host contexts cannot capture (--host-vs-host): that case prints "skipped: <reason>".
#ifndef SR_TESTS_XENT_ACC_CASES_H
#define SR_TESTS_XENT_ACC_CASES_H

#include <cmath>
#include "harness.h"

namespace cvh {

inline std::vector<float> xent_logits(std::mt19937& r, int64_t rows, int64_t classes) {
    std::vector<float> z = random_floats(r, (size_t)(rows * classes));
    for (auto& x : z) x *= 6.0f;
    return z;
}

inline std::vector<int32_t> xent_labels(std::mt19937& r, int64_t rows, int64_t classes) {
    std::uniform_int_distribution<int32_t> d(0, (int32_t)classes - 1);
    std::vector<int32_t> y((size_t)rows);
    for (auto& v : y) v = d(r);
    return y;
}

inline sr_xent_acc read_acc(int side, const Dual& acc) {
    sr_xent_acc a{};
    auto b = acc.download(side);
    std::memcpy(&a, b.data(), sizeof a);
    return a;
}

inline void close_dlogits(const std::string& t, const Dual& d, float scale) {
    auto hb = d.download(0), cb = d.download(1);
    const float* h = reinterpret_cast<const float*>(hb.data());
    const float* c = reinterpret_cast<const float*>(cb.data());
    for (size_t i = 0; i < d.bytes / sizeof(float); ++i) {
        if (!(std::fabs((double)h[i] - c[i]) <= 1e-5 * std::fabs(h[i]) + 1e-6 * scale)) {
            char msg[160];
            std::snprintf(msg, sizeof msg, ": element %zu: host %.9g cuda %.9g", i, h[i], c[i]);
            return fail(t + msg);
        }
    }
    pass();
}

inline void test_xent_acc(std::mt19937& r) {
    for (int64_t classes : {10, 100, 1000}) {
        const std::string t = "xent_acc classes=" + std::to_string(classes);
        Dual acc(sizeof(sr_xent_acc));
        for (int s = 0; s < 2; ++s) sr_memset_zero(g_ctx.c[s], acc.p[s], acc.bytes);
        int64_t total = 0;
        bool ok = true;
        for (int64_t rows : {1, 33, 256, 1031}) {
            auto z = xent_logits(r, rows, classes);
            auto y = xent_labels(r, rows, classes);
            if (rows == 33) {  // the error flags: a bad label and a NaN logit
                y[3] = (int32_t)classes;
                z[(size_t)(7 * classes + classes / 2)] = NAN;
            }
            auto dz = dual_of(z), dy = dual_of(y);
            Dual dd((size_t)(rows * classes) * sizeof(float));
            dd.poison();
            const float scale = 1.0f / (float)rows;
            sr_status st[2];
            for (int s = 0; s < 2; ++s)
                st[s] = sr_softmax_xent_acc(g_ctx.c[s], (const float*)dz->p[s], (const int32_t*)dy->p[s], rows, classes,
                                            scale, (float*)dd.p[s], (sr_xent_acc*)acc.p[s]);
            if (!(ok = both_ok(t, st[0], st[1]))) break;
            close_dlogits(t + " rows=" + std::to_string(rows) + " dlogits", dd, scale);
            total += rows;
        }
        if (!ok) continue;
        const sr_xent_acc h = read_acc(0, acc), c = read_acc(1, acc);
        std::fabs(h.loss_sum - c.loss_sum) <= 1e-6 * (std::fabs(h.loss_sum) + (double)h.rows)
            ? pass()
            : fail(t + ": loss_sum host " + std::to_string(h.loss_sum) + " cuda " + std::to_string(c.loss_sum));
        same_i64(t + " correct", h.correct, c.correct);
        same_i64(t + " rows", h.rows, c.rows);
        same_i64(t + " rows = valid rows", total - 2, h.rows);
        same_i64(t + " error flags", h.error, c.error);
        same_i64(t + " both flags", SR_XENT_ACC_BAD_LABEL | SR_XENT_ACC_NONFINITE, c.error);
    }
}

inline void test_xent_acc_graph(std::mt19937& r) {
    const int64_t rows = 128, classes = 37;
    const int kReplays = 5;
    const std::string t = "xent_acc graph replay";
    sr_context* c = g_ctx.c[1];
    auto z0 = xent_logits(r, rows, classes);
    auto dz = dual_of(z0), dy = dual_of(xent_labels(r, rows, classes));
    Dual da((size_t)(rows * classes) * sizeof(float)), db((size_t)(rows * classes) * sizeof(float));
    Dual acc_a(sizeof(sr_xent_acc)), acc_b(sizeof(sr_xent_acc));
    for (Dual* d : {&acc_a, &acc_b}) sr_memset_zero(c, d->p[1], d->bytes);
    auto call = [&](Dual& d, Dual& acc) {
        return sr_softmax_xent_acc(c, (const float*)dz->p[1], (const int32_t*)dy->p[1], rows, classes, 1.0f / rows,
                                   (float*)d.p[1], (sr_xent_acc*)acc.p[1]);
    };
    sr_status st = sr_graph_begin(c);
    if (st == SR_ERR_NOT_AVAILABLE) {
        std::printf("skipped: %s: %s\n", t.c_str(), sr_context_last_error(c));
        return;
    }
    if (st != SR_OK) return fail(t + ": sr_graph_begin: " + sr_context_last_error(c));
    sr_status rec = call(db, acc_b);
    sr_graph* graph = nullptr;
    st = sr_graph_end(c, &graph);
    if (rec != SR_OK || st != SR_OK) return fail(t + ": capture: " + sr_context_last_error(c));
    bool ok = true;
    for (int i = 0; i < kReplays && ok; ++i) {
        dz->upload(xent_logits(r, rows, classes).data());  // replays read the current logits
        ok = call(da, acc_a) == SR_OK && sr_graph_launch(c, graph) == SR_OK;
    }
    sr_graph_destroy(graph);
    if (!ok) return fail(t + ": replay: " + sr_context_last_error(c));
    da.download(1) == db.download(1) ? pass() : fail(t + ": captured dlogits differ from uncaptured");
    const sr_xent_acc a = read_acc(1, acc_a), b = read_acc(1, acc_b);
    same_i64(t + " rows", (int64_t)kReplays * rows, b.rows);
    same_i64(t + " correct", a.correct, b.correct);
    same_i64(t + " error", 0, b.error);
    std::fabs(a.loss_sum - b.loss_sum) <= 1e-12 * std::fabs(a.loss_sum)
        ? pass()
        : fail(t + ": loss_sum uncaptured " + std::to_string(a.loss_sum) + " captured " + std::to_string(b.loss_sum));
}

}  // namespace cvh

#endif
