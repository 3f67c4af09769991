#!/usr/bin/env bash
# Configures and builds the native libraries with CMake into build/native (Maven runs this from
# java/native-bridge; by hand it is the same). CUDA and cuSPARSELt parts are built when found and
# skipped with a message otherwise (see CMakeLists.txt). Usage: native/build.sh [extra cmake args]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${SR_NATIVE_BUILD:-$root/build/native}
jobs=${SR_NATIVE_JOBS:-$(nproc)}
# cuBLAS / cuSPARSELt headers and libraries come from NVIDIA's wheels cached on these machines, unpacked
# into the ignored build/nvidia once (a few seconds); where there are no wheels this says so and the
# build goes on without those components.
if [ -z "${CUSPARSELT_ROOT:-}" ] && [ ! -f "$root/build/nvidia/lib/libcusparseLt.so.0" ]; then
  "$root/native/cmake/unpack-nvidia-wheels.sh" "$root/build/nvidia" || true
fi
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release "$@" | grep -E 'SparseRetrain|Error|error' || true
cmake --build "$build" -j "$jobs"
