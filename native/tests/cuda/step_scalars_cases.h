// step_scalars_cases.h — cuda_vs_host's cases for the device-resident step scalars
// (sparseretrain/step_scalars.h), kept beside the harness so cuda_vs_host.cpp stays a list of ops.
//  test_optim_dev: host-scalar steps on the host reference vs advance + *_step_dev on the CUDA side over a
//    changing LR table (within 8 ulp, as test_optim: FMA contraction), and on the CUDA side alone the
//    device-scalar kernels vs the host-scalar ones bit for bit (same update code, lr from memory).
//  test_graph_step: on the CUDA side, "advance + SGD step" captured once after an uncaptured warm-up step
//    and replayed N times (a new gradient uploaded before each replay) equals N uncaptured steps bit for
//    bit, and the host reference within 8 ulp: the replays follow the LR table. Host contexts cannot
//    capture (--host-vs-host): that case prints "skipped: <reason>".
#ifndef SR_TESTS_STEP_SCALARS_CASES_H
#define SR_TESTS_STEP_SCALARS_CASES_H

#include <algorithm>
#include "harness.h"

namespace cvh {

inline const std::vector<float> kLrTable = {0.01f, 0.05f, 0.1f, 0.08f, 0.06f, 0.03f, 0.01f, 0.005f};

// Device scalars and the LR table on both sides (each side's own memory), struct zeroed.
struct DualScalars {
    std::unique_ptr<Dual> table = dual_of(kLrTable);
    Dual s{sizeof(sr_step_scalars)};
    DualScalars() {
        for (int i = 0; i < 2; ++i) sr_memset_zero(g_ctx.c[i], s.p[i], s.bytes);
    }
    sr_status advance(int side) {
        return sr_step_scalars_advance(g_ctx.c[side], (sr_step_scalars*)s.p[side], (const float*)table->p[side],
                                       (int64_t)kLrTable.size());
    }
    const sr_step_scalars* at(int side) const { return (const sr_step_scalars*)s.p[side]; }
};

inline float lr_at(int i) { return kLrTable[std::min<size_t>((size_t)i, kLrTable.size() - 1)]; }

inline void test_optim_dev(std::mt19937& r) {
    const float sgd[][5] = {{0, 0, 0, 0, 0}, {0.9f, 0.1f, 5e-4f, 0, 0}, {0.9f, 0, 1e-4f, 1, 0}, {0.8f, 0, 1e-2f, 0, 1}};
    for (int64_t n : {7, 4099}) {
        for (auto& c : sgd) {
            std::string t = "sgd_dev n=" + std::to_string(n) + " momentum=" + std::to_string(c[0]) +
                            " nesterov=" + std::to_string((int)c[3]) + " decoupled=" + std::to_string((int)c[4]);
            auto w0 = random_floats(r, (size_t)n);
            auto w = dual_of(w0), wref = dual_of(w0);  // wref: the CUDA side's host-scalar twin
            auto buf = dual_of(std::vector<float>((size_t)n, 0.0f)), bref = dual_of(std::vector<float>((size_t)n, 0.0f));
            auto m = dual_of(random_mask(r, (size_t)n, 0.7));
            DualScalars sc;
            bool ok = true;
            for (int i = 0; i < 10 && ok; ++i) {
                auto g = dual_of(random_floats(r, (size_t)n));
                sr_status st[2];
                st[0] = sr_sgd_step(g_ctx.c[0], (float*)w->p[0], (float*)g->p[0], (float*)buf->p[0], (uint8_t*)m->p[0],
                                    n, lr_at(i), c[0], c[1], c[2], (int)c[3], (int)c[4], i == 0);
                st[1] = sc.advance(1);
                if (st[1] == SR_OK)
                    st[1] = sr_sgd_step_dev(g_ctx.c[1], (float*)w->p[1], (float*)g->p[1], (float*)buf->p[1],
                                            (uint8_t*)m->p[1], n, sc.at(1), c[0], c[1], c[2], (int)c[3], (int)c[4], i == 0);
                if (st[1] == SR_OK)
                    st[1] = sr_sgd_step(g_ctx.c[1], (float*)wref->p[1], (float*)g->p[1], (float*)bref->p[1],
                                        (uint8_t*)m->p[1], n, lr_at(i), c[0], c[1], c[2], (int)c[3], (int)c[4], i == 0);
                ok = both_ok(t, st[0], st[1]);
            }
            if (!ok) continue;
            close_f32(t + " w vs host", *w, 8);
            if (c[0] != 0) close_f32(t + " momentum vs host", *buf, 8);
            auto a = w->download(1), b = wref->download(1);
            a == b ? pass() : fail(t + ": device-scalar kernel differs from the host-scalar kernel on the same device");
        }
    }
    for (int64_t n : {7, 4099}) {
        std::string t = "adamw_dev n=" + std::to_string(n);
        auto w0 = random_floats(r, (size_t)n);
        auto w = dual_of(w0), wref = dual_of(w0);
        std::vector<float> zeros((size_t)n, 0.0f);
        auto mm = dual_of(zeros), vv = dual_of(zeros), mref = dual_of(zeros), vref = dual_of(zeros);
        auto mask = dual_of(random_mask(r, (size_t)n, 0.6));
        DualScalars sc;
        bool ok = true;
        for (int i = 0; i < 10 && ok; ++i) {
            auto g = dual_of(random_floats(r, (size_t)n));
            sr_status st[2];
            st[0] = sr_adamw_step(g_ctx.c[0], (float*)w->p[0], (float*)g->p[0], (float*)mm.get()->p[0],
                                  (float*)vv->p[0], (uint8_t*)mask->p[0], n, lr_at(i), 0.9f, 0.999f, 1e-8f, 1e-2f, i + 1);
            st[1] = sc.advance(1);
            if (st[1] == SR_OK)
                st[1] = sr_adamw_step_dev(g_ctx.c[1], (float*)w->p[1], (float*)g->p[1], (float*)mm->p[1],
                                          (float*)vv->p[1], (uint8_t*)mask->p[1], n, sc.at(1), 0.9f, 0.999f, 1e-8f, 1e-2f);
            if (st[1] == SR_OK)
                st[1] = sr_adamw_step(g_ctx.c[1], (float*)wref->p[1], (float*)g->p[1], (float*)mref->p[1],
                                      (float*)vref->p[1], (uint8_t*)mask->p[1], n, lr_at(i), 0.9f, 0.999f, 1e-8f, 1e-2f,
                                      i + 1);
            ok = both_ok(t, st[0], st[1]);
        }
        if (!ok) continue;
        close_f32(t + " w vs host", *w, 8);
        close_f32(t + " m vs host", *mm, 8);
        close_f32(t + " v vs host", *vv, 8);
        // Bias corrections from CUDA's double pow on the device vs glibc's on the host: equal after
        // rounding to float for these steps (checked here rather than assumed).
        auto a = w->download(1), b = wref->download(1);
        a == b ? pass() : fail(t + ": device-scalar kernel differs from the host-scalar kernel on the same device");
    }
}

inline void test_graph_step(std::mt19937& r) {
    const int64_t n = 4099;
    const int kReplays = 12;  // past the table's end: the last entry holds
    const float mom = 0.9f, wd = 1e-4f;
    std::string t = "captured advance + sgd_step_dev";
    auto w0 = random_floats(r, (size_t)n);
    auto mask = dual_of(random_mask(r, (size_t)n, 0.7));
    auto wa = dual_of(w0), wb = dual_of(w0);  // side 1: a = uncaptured, b = captured; side 0 of b: host reference
    std::vector<float> zeros((size_t)n, 0.0f);
    auto ba = dual_of(zeros), bb = dual_of(zeros);
    auto g = dual_of(zeros);
    DualScalars sa, sb;
    sr_context* c = g_ctx.c[1];
    auto step = [&](Dual& w, Dual& b, DualScalars& s, int side, int first) {
        sr_status st = s.advance(side);
        if (st != SR_OK) return st;
        return sr_sgd_step_dev(g_ctx.c[side], (float*)w.p[side], (float*)g->p[side], (float*)b.p[side],
                               (uint8_t*)mask->p[side], n, s.at(side), mom, 0, wd, 1, 0, first);
    };
    // Warm-up step, uncaptured, on every path (first_step = 1 for the momentum buffer).
    g->upload(random_floats(r, (size_t)n).data());
    if (step(*wa, *ba, sa, 1, 1) != SR_OK || step(*wb, *bb, sb, 1, 1) != SR_OK || step(*wb, *bb, sb, 0, 1) != SR_OK)
        return fail(t + ": warm-up: " + sr_context_last_error(c));
    sr_status st = sr_graph_begin(c);
    if (st == SR_ERR_NOT_AVAILABLE) {
        std::printf("skipped: %s: %s\n", t.c_str(), sr_context_last_error(c));
        return;
    }
    if (st != SR_OK) return fail(t + ": sr_graph_begin: " + sr_context_last_error(c));
    sr_status rec = step(*wb, *bb, sb, 1, 0);
    sr_graph* graph = nullptr;
    st = sr_graph_end(c, &graph);
    if (rec != SR_OK || st != SR_OK) return fail(t + ": capture: " + sr_context_last_error(c));
    bool ok = true;
    for (int i = 0; i < kReplays && ok; ++i) {
        g->upload(random_floats(r, (size_t)n).data());  // both sides' gradient; replays read the current one
        ok = step(*wa, *ba, sa, 1, 0) == SR_OK && sr_graph_launch(c, graph) == SR_OK && step(*wb, *bb, sb, 0, 0) == SR_OK;
    }
    sr_graph_destroy(graph);
    if (!ok) return fail(t + ": replay: " + sr_context_last_error(c));
    wa->download(1) == wb->download(1) ? pass() : fail(t + ": captured weights differ from uncaptured");
    ba->download(1) == bb->download(1) ? pass() : fail(t + ": captured momentum differs from uncaptured");
    close_f32(t + " w vs host reference", *wb, 8);
    sr_step_scalars s{};
    sr_context_synchronize(c);
    sr_memcpy(c, &s, sb.s.p[1], sizeof s, SR_COPY_DEVICE_TO_HOST);
    s.step == kReplays + 1 && s.lr == lr_at(kReplays) ? pass()
                                                      : fail(t + ": scalars after the replays: step " +
                                                             std::to_string(s.step) + " lr " + std::to_string(s.lr));
}

}  // namespace cvh

#endif
