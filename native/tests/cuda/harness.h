// harness.h — what cuda_vs_host.cpp needs to run one op on a host and a CUDA context through the
// public C API only: paired buffers with identical contents, poisoning, and pass/fail counting.
#ifndef SR_TESTS_CUDA_HARNESS_H
#define SR_TESTS_CUDA_HARNESS_H

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>
#include "sparseretrain.h"

namespace cvh {

struct Counts {
    int passed = 0, failed = 0, skipped = 0;
};
inline Counts g_counts;

inline void pass() { ++g_counts.passed; }
inline void fail(const std::string& what) {
    ++g_counts.failed;
    std::printf("FAIL %s\n", what.c_str());
}

// Both contexts; side 0 = host reference, side 1 = CUDA.
struct Contexts {
    sr_context* c[2] = {nullptr, nullptr};
};
inline Contexts g_ctx;

// A buffer of `bytes` on each side, freed at scope exit.
struct Dual {
    void* p[2] = {nullptr, nullptr};
    size_t bytes = 0;
    explicit Dual(size_t b) : bytes(b) {
        for (int s = 0; s < 2; ++s) {
            if (sr_malloc(g_ctx.c[s], b ? b : 1, &p[s]) != SR_OK) {
                std::printf("FAIL sr_malloc(%zu) on side %d: %s\n", b, s, sr_context_last_error(g_ctx.c[s]));
                p[s] = nullptr;
            }
        }
    }
    ~Dual() {
        for (int s = 0; s < 2; ++s)
            if (p[s]) sr_free(g_ctx.c[s], p[s]);
    }
    Dual(const Dual&) = delete;
    Dual& operator=(const Dual&) = delete;
    bool ok() const { return p[0] && p[1]; }
    void upload(const void* host) {
        for (int s = 0; s < 2; ++s) sr_memcpy(g_ctx.c[s], p[s], host, bytes, SR_COPY_HOST_TO_DEVICE);
    }
    // Outputs are filled with 0xFF bytes (F32 NaN, mask 255) so an unwritten element cannot match.
    void poison() {
        std::vector<uint8_t> junk(bytes, 0xFF);
        upload(junk.data());
    }
    std::vector<uint8_t> download(int side) const {
        std::vector<uint8_t> out(bytes);
        sr_context_synchronize(g_ctx.c[side]);
        sr_memcpy(g_ctx.c[side], out.data(), p[side], bytes, SR_COPY_DEVICE_TO_HOST);
        return out;
    }
};

template <typename T>
std::unique_ptr<Dual> dual_of(const std::vector<T>& host) {
    auto d = std::make_unique<Dual>(host.size() * sizeof(T));
    if (d->ok()) d->upload(host.data());
    return d;
}

// The statuses of one op on both sides. Host NOT_AVAILABLE: the op is not built yet, counted as
// skipped; CUDA failing where the host succeeded (or the reverse) is a failure naming both messages.
inline bool both_ok(const std::string& what, sr_status host, sr_status cuda) {
    if (host == SR_ERR_NOT_AVAILABLE) {
        ++g_counts.skipped;
        std::printf("skip %s: host reference not available: %s\n", what.c_str(), sr_context_last_error(g_ctx.c[0]));
        return false;
    }
    if (host != cuda) {
        fail(what + ": host " + sr_status_name(host) + " (" + sr_context_last_error(g_ctx.c[0]) + ") but cuda " +
             sr_status_name(cuda) + " (" + sr_context_last_error(g_ctx.c[1]) + ")");
        return false;
    }
    if (host != SR_OK) {
        fail(what + ": both sides failed with " + sr_status_name(host) + ": " + sr_context_last_error(g_ctx.c[0]));
        return false;
    }
    return true;
}

// Byte-for-byte comparison of the two sides.
inline void same_bytes(const std::string& what, const Dual& d) {
    std::vector<uint8_t> h = d.download(0), c = d.download(1);
    for (size_t i = 0; i < h.size(); ++i) {
        if (h[i] != c[i]) {
            char msg[160];
            std::snprintf(msg, sizeof msg, ": byte %zu of %zu differs: host 0x%02x cuda 0x%02x", i, h.size(), h[i], c[i]);
            return fail(what + msg);
        }
    }
    pass();
}

// F32 within max_ulps (0 = bitwise; NaN must meet NaN).
inline void close_f32(const std::string& what, const Dual& d, int max_ulps) {
    std::vector<uint8_t> hb = d.download(0), cb = d.download(1);
    size_t n = hb.size() / 4;
    const float* h = reinterpret_cast<const float*>(hb.data());
    const float* c = reinterpret_cast<const float*>(cb.data());
    bool any_nonzero = false;
    for (size_t i = 0; i < n; ++i) {
        if (h[i] != 0) any_nonzero = true;
        if (std::isnan(h[i]) || std::isnan(c[i])) {
            if (std::isnan(h[i]) && std::isnan(c[i])) continue;
        } else {
            double diff = std::fabs((double)h[i] - c[i]);
            double ulp = std::nextafter(std::fmax(std::fabs(h[i]), 1.17549435e-38f), INFINITY) -
                         std::fmax(std::fabs(h[i]), 1.17549435e-38f);
            if (diff <= max_ulps * ulp) continue;
        }
        char msg[200];
        std::snprintf(msg, sizeof msg, ": element %zu of %zu: host %.9g cuda %.9g (limit %d ulp)", i, n, h[i], c[i],
                      max_ulps);
        return fail(what + msg);
    }
    if (!any_nonzero) return fail(what + ": host output is all zero; the comparison proves nothing");
    pass();
}

inline void same_i64(const std::string& what, int64_t h, int64_t c) {
    if (h == c) return pass();
    fail(what + ": host " + std::to_string(h) + " cuda " + std::to_string(c));
}

// Uniform in [-1, 1) without exact zeros.
inline std::vector<float> random_floats(std::mt19937& r, size_t n) {
    std::uniform_real_distribution<float> u(-1.f, 1.f);
    std::vector<float> x(n);
    for (auto& v : x) do v = u(r); while (v == 0.f);
    return x;
}

inline std::vector<uint8_t> random_mask(std::mt19937& r, size_t n, double live) {
    std::bernoulli_distribution b(live);
    std::vector<uint8_t> m(n);
    for (auto& v : m) v = b(r) ? 1 : 0;
    if (n) m[0] = 1;
    return m;
}

}  // namespace cvh

#endif
