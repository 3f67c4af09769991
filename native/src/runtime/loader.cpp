// loader.cpp — finds and dlopens the optional device libraries. They sit beside this library (the
// Maven build and JavaCPP's cache put them there); an environment variable can name another file.
// A missing CUDA driver or runtime is a reason, never a crash.
#include <dlfcn.h>
#include <cstdlib>
#include <mutex>
#include "runtime/context.h"

namespace {

std::string own_directory() {
    Dl_info info;
    if (dladdr(reinterpret_cast<void*>(&sr_version), &info) == 0 || info.dli_fname == nullptr) return "";
    std::string path = info.dli_fname;
    size_t slash = path.rfind('/');
    return slash == std::string::npos ? std::string(".") : path.substr(0, slash);
}

struct Loaded {
    void* handle = nullptr;
    std::string reason;
};

Loaded open_library(const char* env_var, const char* file_name) {
    Loaded out;
    const char* override_path = std::getenv(env_var);
    std::string path = override_path && *override_path ? std::string(override_path)
                                                        : own_directory() + "/" + file_name;
    out.handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (out.handle == nullptr) {
        const char* err = dlerror();
        out.reason = std::string("cannot load ") + path + ": " + (err ? err : "unknown dlopen error");
    }
    return out;
}

const Loaded& cuda_library() {
    static std::once_flag once;
    static Loaded lib;
    std::call_once(once, [] { lib = open_library("SPARSERETRAIN_CUDA_LIBRARY", "libsparseretrain_cuda.so"); });
    return lib;
}

const Loaded& lt_library() {
    static std::once_flag once;
    static Loaded lib;
    std::call_once(once, [] { lib = open_library("SPARSERETRAIN_LT_LIBRARY", "libsparseretrain_lt.so"); });
    return lib;
}

template <typename Fn>
Fn symbol(const Loaded& lib, const char* name, std::string* reason) {
    if (lib.handle == nullptr) {
        if (reason) *reason = lib.reason;
        return nullptr;
    }
    void* sym = dlsym(lib.handle, name);
    if (sym == nullptr && reason) *reason = std::string("symbol ") + name + " missing";
    return reinterpret_cast<Fn>(sym);
}

}  // namespace

const sr_device_ops* sr_load_cuda_ops(std::string* reason) {
    if (std::string(SR_BUILT_CUDA) == "absent") {
        if (reason) *reason = "this build has no CUDA library (nvcc was not found at build time)";
        return nullptr;
    }
    using GetOps = const sr_device_ops* (*)();
    GetOps get = symbol<GetOps>(cuda_library(), "sr_cuda_device_ops", reason);
    if (get == nullptr) return nullptr;
    const sr_device_ops* ops = get();
    if (ops == nullptr || ops->abi != SR_DEVICE_OPS_ABI) {
        if (reason) *reason = "libsparseretrain_cuda.so was built for another device-ops ABI";
        return nullptr;
    }
    return ops;
}

const sr_device_ext_ops* sr_load_cuda_ext_ops(std::string* reason) {
    if (std::string(SR_BUILT_CUDA) == "absent") {
        if (reason) *reason = "this build has no CUDA library (nvcc was not found at build time)";
        return nullptr;
    }
    using GetOps = const sr_device_ext_ops* (*)();
    GetOps get = symbol<GetOps>(cuda_library(), "sr_cuda_device_ext_ops", reason);
    if (get == nullptr) return nullptr;
    const sr_device_ext_ops* ops = get();
    if (ops == nullptr || ops->abi != SR_DEVICE_OPS_ABI) {
        if (reason) *reason = "libsparseretrain_cuda.so was built for another device-ops ABI (extension table)";
        return nullptr;
    }
    return ops;
}

sr_cuda_probe_fn sr_load_cuda_probe(std::string* reason) {
    if (std::string(SR_BUILT_CUDA) == "absent") {
        if (reason) *reason = "this build has no CUDA library (nvcc was not found at build time)";
        return nullptr;
    }
    return symbol<sr_cuda_probe_fn>(cuda_library(), "sr_cuda_probe", reason);
}

sr_lt_probe_fn sr_load_lt_probe(std::string* reason) {
    if (std::string(SR_BUILT_CUSPARSELT) == "absent") {
        if (reason) *reason = "this build has no cuSPARSELt component (cusparseLt.h was not found at build time)";
        return nullptr;
    }
    return symbol<sr_lt_probe_fn>(lt_library(), "sr_lt_probe", reason);
}

const sr_lt_ops* sr_load_lt_ops(std::string* reason) {
    if (std::string(SR_BUILT_CUSPARSELT) == "absent") {
        if (reason) *reason = "this build has no cuSPARSELt component (cusparseLt.h was not found at build time)";
        return nullptr;
    }
    using GetOps = const sr_lt_ops* (*)();
    GetOps get = symbol<GetOps>(lt_library(), "sr_lt_ops_table", reason);
    if (get == nullptr) return nullptr;
    const sr_lt_ops* ops = get();
    if (ops == nullptr || ops->abi != SR_LT_OPS_ABI) {
        if (reason) *reason = "libsparseretrain_lt.so was built for another lt-ops ABI";
        return nullptr;
    }
    return ops;
}
