// host_ab_bench.cpp — A/B check of two builds of libsparseretrain (e.g. main vs a branch) on the
// host ops of bench/ (JMH shapes): first validates that B's outputs equal A's bit for bit on the same
// inputs, then times A and B interleaved (A B A B ...) and prints the median of each, so machine
// load hits both alike. GB/s counts the minimum bytes each op must touch (as bench/jmh_report.py).
//
// Build and run (not part of the default build), from the repository root:
//   g++ -O2 -std=c++17 -Inative/include native/dev/host_ab_bench.cpp -ldl -o build/host_ab_bench
//   ./build/host_ab_bench /path/to/A/libsparseretrain.so build/native/native/libsparseretrain.so [rounds] [op]
#include <dlfcn.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>
#include "sparseretrain.h"

namespace {

struct Lib {
    void* h = nullptr;
    sr_context* ctx = nullptr;
    decltype(&sr_sgd_step) sgd;
    decltype(&sr_adamw_step) adamw;
    decltype(&sr_prune_magnitude_global) select;
    decltype(&sr_mask_nm) nm;
    decltype(&sr_mask_transposable_24) tr24;
    decltype(&sr_compress_24) compress;
    template <typename F>
    void get(F& f, const char* name) {
        f = reinterpret_cast<F>(dlsym(h, name));
        if (!f) { std::fprintf(stderr, "%s: no %s\n", dlerror(), name); std::exit(2); }
    }
    explicit Lib(const char* path) {
        h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
        if (!h) { std::fprintf(stderr, "%s\n", dlerror()); std::exit(2); }
        decltype(&sr_context_create) create;
        get(create, "sr_context_create");
        get(sgd, "sr_sgd_step"); get(adamw, "sr_adamw_step"); get(select, "sr_prune_magnitude_global");
        get(nm, "sr_mask_nm"); get(tr24, "sr_mask_transposable_24"); get(compress, "sr_compress_24");
        if (create(SR_DEVICE_HOST, 0, &ctx) != SR_OK) std::exit(2);
    }
};

void check(int st, const char* what) {
    if (st != SR_OK) { std::fprintf(stderr, "%s failed: %d\n", what, st); std::exit(1); }
}

template <typename T>
void expect_same(const std::vector<T>& a, const std::vector<T>& b, const char* what) {
    if (std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0) return;
    size_t i = 0;
    while (std::memcmp(&a[i], &b[i], sizeof(T)) == 0) ++i;
    std::fprintf(stderr, "MISMATCH %s at %zu\n", what, i);
    std::exit(1);
}

double now_ms() {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

std::vector<float> gaussian(size_t n, float sd, unsigned seed) {
    std::mt19937 r(seed);
    std::normal_distribution<float> d(0.0f, sd);
    std::vector<float> x(n);
    for (auto& e : x) e = d(r);
    return x;
}

std::vector<uint8_t> random_mask(size_t n, double live, unsigned seed) {
    std::mt19937 r(seed);
    std::uniform_real_distribution<double> u(0, 1);
    std::vector<uint8_t> m(n);
    for (auto& e : m) e = u(r) < live;
    return m;
}

// One op on one library: reset (untimed) then run (timed); out() = bytes to compare.
struct Op {
    virtual ~Op() = default;
    virtual void reset() = 0;
    virtual void run(Lib& L) = 0;
    virtual std::vector<uint8_t> out() = 0;
};

template <typename... V>
std::vector<uint8_t> concat(const V&... v) {
    std::vector<uint8_t> r;
    auto add = [&](const auto& x) {
        const uint8_t* p = reinterpret_cast<const uint8_t*>(x.data());
        r.insert(r.end(), p, p + x.size() * sizeof(x[0]));
    };
    (add(v), ...);
    return r;
}

constexpr int64_t N = 10000000;
constexpr int64_t OUTER = 2500, K = 4000;

struct Sgd : Op {
    std::vector<float> w = gaussian(N, 1, 1), g = gaussian(N, 1, 2), b = gaussian(N, 1, 3);
    std::vector<uint8_t> m = random_mask(N, 0.5, 10);
    void reset() override {}
    void run(Lib& L) override { check(L.sgd(L.ctx, w.data(), g.data(), b.data(), m.data(), N, 0.01f, 0.9f, 0, 1e-4f, 1, 0, 0), "sgd"); }
    std::vector<uint8_t> out() override { return concat(w, b); }
};

struct Adamw : Op {
    std::vector<float> w = gaussian(N, 1, 1), g = gaussian(N, 1, 2), m = gaussian(N, 1, 3), v = gaussian(N, 1, 4);
    std::vector<uint8_t> mask = random_mask(N, 0.5, 10);
    Adamw() { for (auto& e : v) e = e * e; }
    void reset() override {}
    void run(Lib& L) override { check(L.adamw(L.ctx, w.data(), g.data(), m.data(), v.data(), mask.data(), N, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, 10), "adamw"); }
    std::vector<uint8_t> out() override { return concat(w, m, v); }
};

// sparse: a second prune of a model already pruned to 50 % (dead weights are 0, as after
// sr_apply_mask), keeping half of the live entries.
struct Select : Op {
    int64_t n, keep;
    std::vector<std::vector<float>> w;
    std::vector<std::vector<uint8_t>> m, m0;
    explicit Select(int64_t n_, bool sparse = false) : n(n_), keep(n_ / 2) {
        const double split[4] = {0.1, 0.2, 0.3, 0.4};
        int64_t assigned = 0;
        for (int t = 0; t < 4; ++t) {
            int64_t size = t == 3 ? n - assigned : (int64_t)(split[t] * n);
            assigned += size;
            w.push_back(gaussian(size, 0.02f, 1000 + t));
            m0.push_back(random_mask(size, sparse ? 0.5 : 1.0, 2000 + t));
            m.push_back(m0.back());
        }
        if (!sparse) return;
        keep = 0;
        for (int t = 0; t < 4; ++t)
            for (size_t i = 0; i < m0[t].size(); ++i) {
                if (!m0[t][i]) w[t][i] = 0.0f;
                keep += m0[t][i];
            }
        keep /= 2;
    }
    void reset() override { for (int t = 0; t < 4; ++t) m[t] = m0[t]; }
    void run(Lib& L) override {
        const void* ws[4]; uint8_t* ms[4]; int64_t sizes[4];
        for (int t = 0; t < 4; ++t) { ws[t] = w[t].data(); ms[t] = m[t].data(); sizes[t] = (int64_t)w[t].size(); }
        sr_select_report rep;
        check(L.select(L.ctx, SR_F32, 4, ws, ms, sizes, keep, &rep), "select");
    }
    std::vector<uint8_t> out() override { return concat(m[0], m[1], m[2], m[3]); }
};

struct Nm : Op {
    bool transposable;
    std::vector<float> w = gaussian(N, 1, 5);
    std::vector<uint8_t> m = std::vector<uint8_t>(N);
    explicit Nm(bool t) : transposable(t) {}
    void reset() override { std::fill(m.begin(), m.end(), 1); }
    void run(Lib& L) override {
        if (transposable) check(L.tr24(L.ctx, SR_F32, w.data(), m.data(), OUTER, K, 1), "tr24");
        else check(L.nm(L.ctx, SR_F32, w.data(), m.data(), OUTER, K, 1, 2, 4), "nm");
    }
    std::vector<uint8_t> out() override { return m; }
};

struct Compress : Op {
    std::vector<float> w = gaussian(N, 1, 6), values = std::vector<float>(N / 2);
    std::vector<uint8_t> m = random_mask(N, 1.0, 0), meta = std::vector<uint8_t>(N / 4);
    explicit Compress(Lib& L) { check(L.nm(L.ctx, SR_F32, w.data(), m.data(), OUTER, K, 1, 2, 4), "nm"); }
    void reset() override {}
    void run(Lib& L) override { check(L.compress(L.ctx, SR_F32, w.data(), m.data(), OUTER, K, 1, values.data(), meta.data()), "compress"); }
    std::vector<uint8_t> out() override { return concat(values, meta); }
};

Op* make(const std::string& name, Lib& a) {
    if (name == "sgd") return new Sgd;
    if (name == "adamw") return new Adamw;
    if (name == "select") return new Select(N);
    if (name == "select1e8") return new Select(10 * N);
    if (name == "select_sparse") return new Select(N, true);
    if (name == "nm24") return new Nm(false);
    if (name == "tr24") return new Nm(true);
    if (name == "compress24") return new Compress(a);
    return nullptr;
}

double min_bytes(const std::string& name) {  // per element, as bench/jmh_report.py
    if (name == "sgd") return 21;
    if (name == "adamw") return 29;
    if (name == "compress24") return 7.25;
    return name == "select1e8" ? 60 : 6;  // 6 B per weight; select1e8 has 10 x N weights
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) { std::fprintf(stderr, "usage: %s libA.so libB.so [rounds] [op]\n", argv[0]); return 2; }
    Lib a(argv[1]), b(argv[2]);
    const int rounds = argc > 3 ? std::atoi(argv[3]) : 7;
    std::vector<std::string> ops = {"sgd", "adamw", "select", "select_sparse", "nm24", "tr24", "compress24"};
    if (argc > 4) ops = {argv[4]};
    std::printf("%-13s %10s %10s %8s %8s %8s\n", "op", "A ms", "B ms", "A GB/s", "B GB/s", "B/A");
    for (const auto& name : ops) {
        Op* x = make(name, a);
        Op* y = make(name, a);
        x->reset(); y->reset();
        x->run(a); y->run(b);
        expect_same(x->out(), y->out(), name.c_str());
        std::vector<double> ta, tb;
        for (int r = 0; r < rounds; ++r) {
            for (int s = 0; s < 2; ++s) {
                Op* o = s == 0 ? x : y;
                Lib& L = s == 0 ? a : b;
                o->reset();
                double t0 = now_ms();
                o->run(L);
                (s == 0 ? ta : tb).push_back(now_ms() - t0);
            }
        }
        const double ma = median(ta), mb = median(tb), bytes = min_bytes(name) * N;
        std::printf("%-13s %10.2f %10.2f %8.2f %8.2f %8.2f\n", name.c_str(), ma, mb, bytes / ma / 1e6, bytes / mb / 1e6, ma / mb);
        delete x; delete y;
    }
    return 0;
}
