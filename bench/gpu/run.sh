#!/usr/bin/env bash
# One GPU-machine call (device tool: command `bash bench/gpu/run.sh`, carry ['.device'] made by
# bench/gpu/pack.sh). Stages, each writing its results under $OUT as it finishes (a time-out still
# returns what was done; at most 8 files, the device tool's limit):
#   0 build     find NVIDIA's wheels, build our native library there (cmake + nvcc) and the test/bench programs
#   1 smoke     our library's build/runtime info, the org.bytedeco:cuda preset, cuSPARSELt probe, one GEMM
#   2 correct   cuda_vs_host (plain, then under compute-sanitizer) and the Java CUDA tests (JUnit console)
#   3 kernels   bench/gpu/kernels_bench: GB/s per op vs peak, SGEMM TFLOP/s
# A short table is printed last. Usage: bash bench/gpu/run.sh [stages, default "0 1 2 3"]
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:-$root/build/gpu-out}
T=${SR_GPU_TMP:-/tmp/sr-gpu}
stages=${1:-0 1 2 3}
budget=${SR_GPU_BUDGET_S:-570}   # the call's 600 s limit, less a margin for the table
mkdir -p "$OUT" "$T"
log=$OUT/build.log
table=$T/table
: > "$table"
row() { printf '| %-28s | %-6s | %s |\n' "$1" "$2" "$3" | tee -a "$table"; }
left() { echo $((budget - SECONDS)); }
# runs "$@" with at most $1 seconds, never past the call's budget
limited() { local t=$1; shift; local l; l=$(left); [ "$l" -lt "$t" ] && t=$l; [ "$t" -lt 10 ] && return 124; timeout "$t" "$@"; }
want() { [[ " $stages " == *" $1 "* ]]; }

# ---------------------------------------------------------------- 0: NVIDIA wheels and builds
nv=$T/nv
if want 0; then
  echo "== stage 0: build ($(date -u +%FT%TZ))" | tee -a "$log"
  { nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader; nvcc --version | tail -1; } >> "$log" 2>&1
  wheel_root=${SR_WHEEL_ROOT:-$(python3 -c 'import nvidia; print(list(nvidia.__path__)[0])' 2>/dev/null)}
  [ -d "$wheel_root" ] ||
    wheel_root=$(dirname "$(dirname "$(dirname "$(find / -name cusparseLt.h -path '*nvidia*' 2>/dev/null | head -1)")")")
  echo "wheels: $wheel_root" >> "$log"
  [ -d "$wheel_root/cusparselt" ] || row "nvidia wheels" FAIL "no nvidia/cusparselt under '$wheel_root'"
  # one include/ and lib/ folder of links, as native/cmake/unpack-nvidia-wheels.sh lays them out here
  mkdir -p "$nv/include" "$nv/lib"
  for d in "$wheel_root"/cusparselt "$wheel_root"/cu13 "$wheel_root"/*; do
    for sub in include lib; do
      [ -d "$d/$sub" ] || continue
      for f in "$d/$sub"/*; do [ -e "$nv/$sub/$(basename "$f")" ] || ln -s "$f" "$nv/$sub/"; done
    done
  done
  ln -sf libcusparseLt.so.0 "$nv/lib/libcusparseLt.so"; ln -sf libcublas.so.13 "$nv/lib/libcublas.so"
  ln -sf libcublasLt.so.13 "$nv/lib/libcublasLt.so"
  if limited 240 bash -c "cmake -S '$root' -B '$T/build' -DCMAKE_BUILD_TYPE=Release -DCUSPARSELT_ROOT='$nv' -DCUBLAS_ROOT='$nv' \
        && cmake --build '$T/build' -j 16" >> "$log" 2>&1; then
    row "native build" ok "$(grep -ho 'SparseRetrain: CUDA [^(]*' "$log" | head -1)"
  else
    row "native build" FAIL "see build.log"
  fi
  lib=$T/build/native
  g++ -std=c++17 -O2 -Wall -Wextra -I"$root/native/include" "$root/native/tests/cuda/cuda_vs_host.cpp" \
    -L"$lib" -lsparseretrain -Wl,-rpath,"$lib" -o "$T/cuda_vs_host" >> "$log" 2>&1 || row "cuda_vs_host build" FAIL "see build.log"
  SR_NVIDIA=$nv SR_LIBDIR=$lib bash "$root/bench/gpu/compile-check.sh" "$T/kernels_bench" >> "$log" 2>&1 ||
    row "kernels_bench build" FAIL "see build.log"
fi
export LD_LIBRARY_PATH=$nv/lib:/usr/local/cuda/lib64${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}

# ---------------------------------------------------------------- Java runtime and class path (.device)
dev=$root/.device
java=$T/jre/bin/java
if [ -f "$dev/jre.tar.xz" ] && [ ! -x "$java" ]; then tar xJf "$dev/jre.tar.xz" -C "$T"; fi
cp_main=$(ls "$dev"/jars/*.jar 2>/dev/null | grep -v -e console-standalone -e '\-tests.jar' | tr '\n' ':')
jopts=(-Dorg.bytedeco.javacpp.cachedir="$T/javacpp-cache" -Djava.util.logging.ConsoleHandler.level=INFO)

# ---------------------------------------------------------------- 1: load smoke test
if want 1; then
  echo "== stage 1: smoke" | tee -a "$log"
  s1=$OUT/stage1_smoke.txt
  { echo "# ldd of the freshly built CUDA library"; ldd "$T/build/native/libsparseretrain_cuda.so" 2>&1 | grep -E 'not found|cublas|cudart|cusparse'
    echo "# ldd of the cuSPARSELt component"; ldd "$T/build/native/libsparseretrain_lt.so" 2>&1 | grep -E 'not found|cusparse'; } > "$s1"
  if [ -x "$java" ]; then
    limited 90 "$java" "${jopts[@]}" -cp "$cp_main" io.sparseretrain.backend.cuda.CudaSmoke >> "$s1" 2>&1
    rc=$?
    row "java smoke (preset, gemm)" "$([ $rc = 0 ] && grep -q 'smoke: OK' "$s1" && echo ok || echo FAIL)" \
      "$(grep -h '^smoke:' "$s1" | head -1 | cut -c1-110)"
  else
    row "java smoke" SKIP "no .device/jre.tar.xz (run bench/gpu/pack.sh and carry .device)"
  fi
fi

# ---------------------------------------------------------------- 2: correctness
if want 2; then
  echo "== stage 2: correctness" | tee -a "$log"
  s2=$OUT/stage2_cuda_vs_host.txt
  if [ -x "$T/cuda_vs_host" ]; then
    limited 90 "$T/cuda_vs_host" > "$s2" 2>&1; rc=$?
    row "cuda_vs_host" "$([ $rc = 0 ] && echo ok || echo FAIL)" "$(tail -1 "$s2")"
    san=$(command -v compute-sanitizer || ls /usr/local/cuda*/bin/compute-sanitizer 2>/dev/null | head -1)
    if [ -n "$san" ]; then
      echo "# ---- under compute-sanitizer memcheck" >> "$s2"
      limited 150 "$san" --tool memcheck --error-exitcode 9 "$T/cuda_vs_host" >> "$s2" 2>&1; rc=$?
      row "cuda_vs_host memcheck" "$([ $rc = 0 ] && echo ok || echo "rc=$rc")" "$(grep -h 'ERROR SUMMARY' "$s2" | tail -1)"
    else
      row "cuda_vs_host memcheck" SKIP "compute-sanitizer not found"
    fi
  else
    row "cuda_vs_host" SKIP "not built (stage 0)"
  fi
  s2j=$OUT/stage2_java.txt
  console=$(ls "$dev"/jars/*console-standalone*.jar 2>/dev/null | head -1)
  if [ -x "$java" ] && [ -n "$console" ]; then
    limited 180 "$java" "${jopts[@]}" -jar "$console" execute --disable-banner --details=tree --fail-if-no-tests \
      --class-path "$cp_main$(ls "$dev"/jars/*-tests.jar | tr '\n' ':')" --select-package io.sparseretrain.backend.cuda \
      --reports-dir "$T/junit" > "$s2j" 2>&1; rc=$?
    cp "$T"/junit/*.xml "$OUT/stage2_junit.xml" 2>/dev/null
    row "java CUDA tests" "$([ $rc = 0 ] && echo ok || echo FAIL)" \
      "$(grep -hE 'tests (successful|failed|aborted)' "$s2j" | tr -s ' \n' ' ' | cut -c1-100)"
  else
    row "java CUDA tests" SKIP "no JRE or JUnit console jar in .device"
  fi
fi

# ---------------------------------------------------------------- 3: kernel benchmarks
if want 3; then
  echo "== stage 3: kernels" | tee -a "$log"
  if [ -x "$T/kernels_bench" ]; then
    limited 180 "$T/kernels_bench" "$OUT/stage3_kernels.csv" "$OUT/stage3_kernels.md" >> "$log" 2>&1; rc=$?
    row "kernels_bench" "$([ $rc = 0 ] && echo ok || echo "rc=$rc")" "stage3_kernels.md"
  else
    row "kernels_bench" SKIP "not built (stage 0)"
  fi
fi

{ echo "# SparseRetrain GPU run $(date -u +%FT%TZ), ${SECONDS}s"; echo; echo "| stage | result | detail |"
  echo "|---|---|---|"; cat "$table"; echo; [ -f "$OUT/stage3_kernels.md" ] && cat "$OUT/stage3_kernels.md"; } > "$OUT/summary.md"
echo; cat "$OUT/summary.md"
