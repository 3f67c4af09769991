#!/usr/bin/env bash
# Configures and builds the native libraries with CMake into build/native (Maven runs this from
# java/native-bridge; by hand it is the same). CUDA and cuSPARSELt parts are built when found and
# skipped with a message otherwise (see CMakeLists.txt). Usage: native/build.sh [extra cmake args]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${SR_NATIVE_BUILD:-$root/build/native}
jobs=${SR_NATIVE_JOBS:-$(nproc)}
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release "$@" | grep -E 'SparseRetrain|Error|error' || true
cmake --build "$build" -j "$jobs"
