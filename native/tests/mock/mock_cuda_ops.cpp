// mock_cuda_ops.cpp — a stand-in for libsparseretrain_cuda.so, loaded through SPARSERETRAIN_CUDA_LIBRARY by
// test_graph_runtime, so the core's CUDA-context paths (graph state checks, error propagation, the
// extension-table lookup) run on machines without a GPU. Memory is host memory; the graph entries record
// what they were asked and fail on demand (sr_mock_*). Not a device implementation of anything else: the
// other table entries are null and the test never calls them.
#include <cstdlib>
#include <cstring>
#include "runtime/device_ops.h"

namespace {

int g_fail_begin = 0, g_fail_end = 0, g_begins = 0, g_ends = 0, g_launches = 0, g_destroys = 0;
int g_open = 0;  // a capture is open on the (single) mock stream
char g_stream_token;

struct Exec {
    int id;
};

sr_status init(sr_env* env, int32_t ordinal) {
    if (ordinal != 0) return sr_fail(env, SR_ERR_INVALID_ARGUMENT, "mock: only ordinal 0");
    env->ordinal = ordinal;
    env->stream = &g_stream_token;
    return SR_OK;
}
void shutdown(sr_env* env) { env->stream = nullptr; }
sr_status synchronize(sr_env*) { return SR_OK; }
sr_status malloc_(sr_env*, size_t bytes, void** out) {
    *out = std::malloc(bytes ? bytes : 1);
    return SR_OK;
}
sr_status free_(sr_env*, void* p) {
    std::free(p);
    return SR_OK;
}
sr_status memcpy_(sr_env*, void* dst, const void* src, size_t bytes, int32_t) {
    std::memcpy(dst, src, bytes);
    return SR_OK;
}

sr_status graph_begin(sr_env* env) {
    ++g_begins;
    if (g_fail_begin) return sr_fail(env, SR_ERR_CUDA, "mock: cudaStreamBeginCapture failed");
    g_open = 1;
    return SR_OK;
}
sr_status graph_end(sr_env* env, void** exec) {
    ++g_ends;
    g_open = 0;
    if (g_fail_end) return sr_fail(env, SR_ERR_CUDA, "mock: cudaStreamEndCapture failed: capture invalidated");
    *exec = new Exec{g_ends};
    return SR_OK;
}
sr_status graph_launch(sr_env*, void*) {
    ++g_launches;
    return SR_OK;
}
void graph_destroy(void* exec) {
    ++g_destroys;
    delete static_cast<Exec*>(exec);
}

}  // namespace

extern "C" __attribute__((visibility("default"))) const sr_device_ops* sr_cuda_device_ops(void) {
    static sr_device_ops ops{};
    ops.abi = SR_DEVICE_OPS_ABI;
    ops.name = "mock-cuda";
    ops.init = init;
    ops.shutdown = shutdown;
    ops.synchronize = synchronize;
    ops.malloc_ = malloc_;
    ops.free_ = free_;
    ops.memcpy_ = memcpy_;
    return &ops;
}

extern "C" __attribute__((visibility("default"))) const sr_device_ext_ops* sr_cuda_device_ext_ops(void) {
    static sr_device_ext_ops ops{};
    ops.abi = SR_DEVICE_OPS_ABI;
    ops.graph_begin = graph_begin;
    ops.graph_end = graph_end;
    ops.graph_launch = graph_launch;
    ops.graph_destroy = graph_destroy;
    return &ops;
}

// What the test steers and reads: fail flags, and counters {begins, ends, launches, destroys, open}.
extern "C" __attribute__((visibility("default"))) void sr_mock_set_fail(int begin, int end) {
    g_fail_begin = begin;
    g_fail_end = end;
}
extern "C" __attribute__((visibility("default"))) void sr_mock_counts(int* out5) {
    out5[0] = g_begins, out5[1] = g_ends, out5[2] = g_launches, out5[3] = g_destroys, out5[4] = g_open;
}
