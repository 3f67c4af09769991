#!/usr/bin/env bash
# Compiles bench/gpu/kernels_bench.cu here (no GPU needed) for sm_90a against our header and the
# cuBLAS headers unpacked from NVIDIA's wheels (native/cmake/unpack-nvidia-wheels.sh), and links it
# against the libsparseretrain.so of a prior build. Usage: bench/gpu/compile-check.sh [out-binary]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
nv=${SR_NVIDIA:-$root/build/nvidia}
lib=${SR_LIBDIR:-$root/build/native/native}
out=${1:-$root/build/bench-gpu/kernels_bench}
[ -f "$nv/include/cublas_v2.h" ] || "$root/native/cmake/unpack-nvidia-wheels.sh" "$nv"
[ -f "$lib/libsparseretrain.so" ] || { echo "no $lib/libsparseretrain.so: build first (native/build.sh)"; exit 1; }
mkdir -p "$(dirname "$out")"
nvcc -std=c++17 -O3 -gencode=arch=compute_90a,code=sm_90a -Xcompiler=-Wall \
  -I"$root/native/include" -I"$nv/include" "$root/bench/gpu/kernels_bench.cu" -o "$out" \
  -cudart shared -L"$lib" -L"$nv/lib" -lsparseretrain -lcublas -Xlinker -rpath -Xlinker "$lib" \
  -Xlinker --allow-shlib-undefined  # libcublasLt.so.13 (needed by libcublas) is not unpacked here; the GPU machine has it
echo "compile-check: OK -> $out"
