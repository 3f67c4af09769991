#!/usr/bin/env bash
# Compiles every bench/gpu/*.cu here (no GPU needed) for sm_90a against our header and the cuBLAS headers
# unpacked from NVIDIA's wheels (native/cmake/unpack-nvidia-wheels.sh), and links each against the
# libsparseretrain.so of a prior build: kernels_bench, gemm_bench, mlp_step_bench (bench_common.cuh is
# their shared plumbing). The programs link only our core library and cuBLAS: cuSPARSELt is reached
# through our C API. In parallel (SR_JOBS, default nproc). Usage: bench/gpu/compile-check.sh [out-dir]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
nv=${SR_NVIDIA:-$root/build/nvidia}
lib=${SR_LIBDIR:-$root/build/native/native}
out=${1:-$root/build/bench-gpu}
jobs=${SR_JOBS:-$(nproc)}
command -v nvcc > /dev/null || { echo "compile-check: skipped: no nvcc on PATH"; exit 0; }
[ -f "$nv/include/cublas_v2.h" ] || "$root/native/cmake/unpack-nvidia-wheels.sh" "$nv"
[ -f "$lib/libsparseretrain.so" ] || { echo "no $lib/libsparseretrain.so: build first (native/build.sh)"; exit 1; }
mkdir -p "$out"
compile() {
  local src=$1 bin=$out/$(basename "$1" .cu)
  # --allow-shlib-undefined: libcublasLt.so.13 (needed by libcublas) is not unpacked here; the GPU machine has it
  if nvcc -std=c++17 -O3 -gencode=arch=compute_90a,code=sm_90a -Xcompiler=-Wall,-Wextra \
       -I"$root/native/include" -I"$nv/include" "$src" -o "$bin" \
       -cudart shared -L"$lib" -L"$nv/lib" -lsparseretrain -lcublas -Xlinker -rpath -Xlinker "$lib" \
       -Xlinker --allow-shlib-undefined > "$bin.log" 2>&1; then
    echo "compile-check: OK   $(basename "$src") -> $bin"
  else
    echo "compile-check: FAIL $(basename "$src"):"; cat "$bin.log"; return 1
  fi
}
fail=0
pids=()
for src in "$root"/bench/gpu/*.cu; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || fail=1; done
  compile "$src" & pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || fail=1; done
[ "$fail" = 0 ] && echo "compile-check: OK (all of bench/gpu/*.cu)" || { echo "compile-check: FAILED"; exit 1; }
