// test_graph_runtime.cpp — the core's side of CUDA Graphs (runtime/api_graph.cpp) on a CUDA context made
// with a mock device library (tests/mock/mock_cuda_ops.cpp via SPARSERETRAIN_CUDA_LIBRARY), so the state
// checks run without a GPU: begin twice refused, end without begin refused, a failed end reported with the
// call's name and the capture closed anyway (the next begin works), launch of a graph from another context
// or during a capture refused, destroy hands the graph back exactly once, and the extension table is found
// in the device library. The real capture is test_step_ext's CUDA part.
#include <dlfcn.h>
#include <cstdio>
#include <cstdlib>
#include <string>
#include "sparseretrain.h"

#ifndef SR_MOCK_CUDA_PATH
#error "SR_MOCK_CUDA_PATH (the mock device library) must be defined by the build"
#endif

namespace {

int g_passed = 0, g_failed = 0;
void check(bool ok, const std::string& what) {
    ok ? ++g_passed : ++g_failed;
    if (!ok) std::printf("FAIL: %s\n", what.c_str());
}
bool has(const std::string& text, const char* part) { return text.find(part) != std::string::npos; }

void (*mock_set_fail)(int, int) = nullptr;
void (*mock_counts)(int*) = nullptr;

int count(int i) {
    int c[5];
    mock_counts(c);
    return c[i];
}
enum { kBegins, kEnds, kLaunches, kDestroys, kOpen };

void expect(sr_context* ctx, sr_status st, sr_status want, const std::string& tag, const char* part) {
    std::string msg = sr_context_last_error(ctx);
    check(st == want, tag + ": status " + sr_status_name(st) + ", want " + sr_status_name(want) + " (" + msg + ")");
    check(has(msg, part), tag + ": message lacks '" + part + "': " + msg);
}

}  // namespace

int main() {
    setenv("SPARSERETRAIN_CUDA_LIBRARY", SR_MOCK_CUDA_PATH, 1);
    sr_context *c = nullptr, *c2 = nullptr;
    if (sr_context_create(SR_DEVICE_CUDA, 0, &c) != SR_OK) {
        // a build without the CUDA library refuses any CUDA library, the mock too
        std::printf("skipped: mock CUDA context: %s\ntest_graph_runtime: 0 passed, 0 failed\n", sr_thread_last_error());
        return 0;
    }
    void* mock = dlopen(SR_MOCK_CUDA_PATH, RTLD_NOW | RTLD_NOLOAD);
    mock_set_fail = mock ? reinterpret_cast<void (*)(int, int)>(dlsym(mock, "sr_mock_set_fail")) : nullptr;
    mock_counts = mock ? reinterpret_cast<void (*)(int*)>(dlsym(mock, "sr_mock_counts")) : nullptr;
    if (!mock_set_fail || !mock_counts) {
        std::printf("FAIL: the mock library is not the one the core loaded (%s)\n", dlerror());
        return 1;
    }
    check(sr_context_create(SR_DEVICE_CUDA, 0, &c2) == SR_OK, "second mock context");

    // begin / end / launch / destroy, the normal path
    check(sr_graph_begin(c) == SR_OK, std::string("begin: ") + sr_context_last_error(c));
    check(count(kOpen) == 1 && count(kBegins) == 1, "begin did not reach the device library");
    expect(c, sr_graph_begin(c), SR_ERR_INVALID_ARGUMENT, "begin twice", "already open");
    check(count(kBegins) == 1, "a refused begin reached the device library");
    sr_graph* g = nullptr;
    check(sr_graph_end(c, &g) == SR_OK && g != nullptr, std::string("end: ") + sr_context_last_error(c));
    sr_graph* none = reinterpret_cast<sr_graph*>(&none);
    expect(c, sr_graph_end(c, &none), SR_ERR_INVALID_ARGUMENT, "end without begin", "no capture is open");
    check(none == nullptr, "end without begin: *out not reset to NULL");
    check(count(kEnds) == 1, "a refused end reached the device library");
    check(sr_graph_launch(c, g) == SR_OK && sr_graph_launch(c, g) == SR_OK && count(kLaunches) == 2, "two launches");
    expect(c2, sr_graph_launch(c2, g), SR_ERR_INVALID_ARGUMENT, "launch on another context", "another context");
    check(count(kLaunches) == 2, "a refused launch reached the device library");

    // launching while a capture is open is refused; the capture stays open and ends normally
    check(sr_graph_begin(c) == SR_OK, "begin (second capture)");
    expect(c, sr_graph_launch(c, g), SR_ERR_INVALID_ARGUMENT, "launch during a capture", "capture is open");
    sr_graph* g2 = nullptr;
    check(sr_graph_end(c, &g2) == SR_OK && g2 != nullptr, "end (second capture)");

    // a failed end: reported naming the call, nothing returned, the capture closed (begin works again)
    mock_set_fail(0, 1);
    check(sr_graph_begin(c) == SR_OK, "begin (failing end)");
    sr_graph* bad = reinterpret_cast<sr_graph*>(&bad);
    expect(c, sr_graph_end(c, &bad), SR_ERR_CUDA, "failed end", "sr_graph_end: mock: cudaStreamEndCapture failed");
    check(bad == nullptr, "failed end returned a graph");
    mock_set_fail(0, 0);
    check(sr_graph_begin(c) == SR_OK, std::string("begin after a failed end: ") + sr_context_last_error(c));
    sr_graph* g3 = nullptr;
    check(sr_graph_end(c, &g3) == SR_OK, "end after a failed end");
    // a failed begin leaves no capture open
    mock_set_fail(1, 0);
    expect(c, sr_graph_begin(c), SR_ERR_CUDA, "failed begin", "sr_graph_begin: mock: cudaStreamBeginCapture");
    mock_set_fail(0, 0);
    sr_graph* g4 = reinterpret_cast<sr_graph*>(&g4);
    expect(c, sr_graph_end(c, &g4), SR_ERR_INVALID_ARGUMENT, "end after a failed begin", "no capture is open");

    // destroy: each graph handed back exactly once; NULL is a no-op
    const int before = count(kDestroys);
    sr_graph_destroy(g);
    sr_graph_destroy(g2);
    sr_graph_destroy(g3);
    sr_graph_destroy(nullptr);
    check(count(kDestroys) == before + 3, "destroy did not hand each graph back exactly once");

    // the search setting and bf16 activations on a CUDA context whose device library has no such entries
    // are not this test's business; graphs on host contexts are test_step_ext's
    sr_context_destroy(c2);
    sr_context_destroy(c);
    std::printf("test_graph_runtime: %d passed, %d failed\n", g_passed, g_failed);
    return g_failed == 0 ? 0 : 1;
}
