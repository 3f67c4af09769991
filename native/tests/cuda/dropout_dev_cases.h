// dropout_dev_cases.h — cuda_vs_host's cases for dropout with a device call counter (sparseretrain.h,
// "dropout with a device call counter").
//  test_dropout_dev: three calls on both sides, the counter starting at 2^32 - 2 so that it wraps: the
//    keep masks and outputs byte-identical (the philox counter and the scaling are the same integer and
//    float operations on both devices), the counters equal (1 after the wrap).
//  test_dropout_dev_graph: on the CUDA side, one call captured and replayed 4 times draws the masks of
//    4 consecutive uncaptured host calls (the last replay's mask compared) and leaves the counter at 4.
//    Host contexts cannot capture (--host-vs-host): that case prints "skipped: <reason>".
#ifndef SR_TESTS_DROPOUT_DEV_CASES_H
#define SR_TESTS_DROPOUT_DEV_CASES_H

#include "harness.h"

namespace cvh {

inline uint32_t read_counter(int side, const Dual& d) {
    uint32_t v = 0;
    auto b = d.download(side);
    std::memcpy(&v, b.data(), sizeof v);
    return v;
}

inline void test_dropout_dev(std::mt19937& r) {
    const int64_t n = 100003;
    const float p = 0.3f;
    const std::string t = "dropout_fwd_dev";
    auto dx = dual_of(random_floats(r, (size_t)n));
    Dual counter(sizeof(uint32_t)), y((size_t)n * sizeof(float)), keep((size_t)n);
    const uint32_t start = 0xFFFFFFFEu;
    counter.upload(&start);
    for (int call = 0; call < 3; ++call) {
        y.poison();
        keep.poison();
        sr_status st[2];
        for (int s = 0; s < 2; ++s)
            st[s] = sr_dropout_fwd_dev(g_ctx.c[s], (const float*)dx->p[s], (float*)y.p[s], (uint8_t*)keep.p[s], n, p,
                                       77, (uint32_t*)counter.p[s]);
        if (!both_ok(t, st[0], st[1])) return;
        same_bytes(t + " keep, call " + std::to_string(call), keep);
        same_bytes(t + " y, call " + std::to_string(call), y);
    }
    same_i64(t + " counter after the wrap", read_counter(0, counter), read_counter(1, counter));
    same_i64(t + " counter = 1", 1, read_counter(1, counter));
}

inline void test_dropout_dev_graph(std::mt19937& r) {
    const int64_t n = 4099;
    const float p = 0.5f;
    const int kReplays = 4;
    const std::string t = "dropout_fwd_dev graph replay";
    sr_context* c = g_ctx.c[1];
    auto dx = dual_of(random_floats(r, (size_t)n));
    Dual counter(sizeof(uint32_t)), y((size_t)n * sizeof(float)), keep((size_t)n);
    const uint32_t zero = 0;
    counter.upload(&zero);
    sr_status st = sr_graph_begin(c);
    if (st == SR_ERR_NOT_AVAILABLE) {
        std::printf("skipped: %s: %s\n", t.c_str(), sr_context_last_error(c));
        return;
    }
    if (st != SR_OK) return fail(t + ": sr_graph_begin: " + sr_context_last_error(c));
    sr_status rec = sr_dropout_fwd_dev(c, (const float*)dx->p[1], (float*)y.p[1], (uint8_t*)keep.p[1], n, p, 5,
                                       (uint32_t*)counter.p[1]);
    sr_graph* graph = nullptr;
    st = sr_graph_end(c, &graph);
    if (rec != SR_OK || st != SR_OK) return fail(t + ": capture: " + sr_context_last_error(c));
    bool ok = true;
    for (int i = 0; i < kReplays && ok; ++i) ok = sr_graph_launch(c, graph) == SR_OK;
    sr_graph_destroy(graph);
    if (!ok) return fail(t + ": replay: " + sr_context_last_error(c));
    same_i64(t + " counter", kReplays, read_counter(1, counter));
    // the host side draws the last replay's mask with the host-offset op
    if (sr_dropout_fwd(g_ctx.c[0], (const float*)dx->p[0], (float*)y.p[0], (uint8_t*)keep.p[0], n, p, 5,
                       (uint64_t)(kReplays - 1) << 32) != SR_OK)
        return fail(t + ": host sr_dropout_fwd: " + sr_context_last_error(g_ctx.c[0]));
    same_bytes(t + " keep of the last replay", keep);
    same_bytes(t + " y of the last replay", y);
}

}  // namespace cvh

#endif
