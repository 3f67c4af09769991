#!/usr/bin/env bash
# One GPU-machine call (device tool: command `bash bench/gpu/run.sh`, carry ['.device'] made by
# bench/gpu/pack.sh). Stages, smoke -> correctness -> benchmarks -> sanitizer, each refreshing what comes
# back as it finishes (a time-out still returns what was done):
#   0 build     find NVIDIA's wheels, build our native library there (cmake + nvcc, with the native tests)
#               and every bench/gpu/*.cu (compile-check.sh)
#   1 smoke     our library's build/runtime info, the org.bytedeco:cuda preset, cuSPARSELt probe, one GEMM
#   2 correct   native: cuda_vs_host, test_sparse_gemm, test_step_ext (graphs, bf16 GELU, plan search);
#               the Java CUDA tests (JUnit console)
#   3 kernels   kernels_bench: GB/s per op vs peak, SGEMM TFLOP/s
#   4 gemm      gemm_bench (2:4 vs cuBLAS per shape), torch_semi_structured.py (PyTorch, same shapes;
#               skips with the reason), compare.py (ours vs PyTorch)
#   5 mlp       mlp_step_bench: MLP-block training step, dense vs 2:4 plain vs transposable, eager and graph
#   7 java step JavaStepBench: the same MLP step (dense, 2:4), LeNet-300-100 and ResNet-20 through our Java
#               API, eager vs one CUDA Graph; with stage 5's CSV, Java's share of the eager - graph gap.
#               Runs BEFORE stage 6, which takes the time left.
#   6 sanitize  cuda_vs_host and test_step_ext under compute-sanitizer memcheck, with the time left
# Files back (<= 8, the device tool's limit): summary.md (stage table + every Markdown result table),
# build.log, stage1_smoke.txt, stage2_native.txt, stage2_java.txt, results.tar.gz (every CSV/MD/XML/log of
# stages 2-7: stage3_kernels.*, stage4_gemm.*, stage4_torch.*, stage4_vs_torch.md, stage5_mlp.*,
# stage7_java_step.{md,csv,log}, stage2_junit.xml, stage6_memcheck.txt, bench logs). summary.md and
# results.tar.gz are rewritten after every stage. Usage: bash bench/gpu/run.sh [stages, default "0 1 2 3 4 5 6 7"]
set -uo pipefail
export PATH=$PATH:/usr/local/cuda/bin   # nvcc where CMake would find it
root=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:-$root/build/gpu-out}
T=${SR_GPU_TMP:-/tmp/sr-gpu}
stages=${1:-0 1 2 3 4 5 6 7}
budget=${SR_GPU_BUDGET_S:-570}   # the call's 600 s limit, less a margin for the table
res=$T/res                       # everything that travels back inside results.tar.gz
mkdir -p "$OUT" "$T" "$res"
log=$OUT/build.log
table=$T/table
: > "$table"
row() { printf '| %-28s | %-6s | %s |\n' "$1" "$2" "$3" | tee -a "$table"; }
left() { echo $((budget - SECONDS)); }
# runs "$@" with at most $1 seconds, never past the call's budget
limited() { local t=$1; shift; local l; l=$(left); [ "$l" -lt "$t" ] && t=$l; [ "$t" -lt 10 ] && return 124; timeout "$t" "$@"; }
want() { [[ " $stages " == *" $1 "* ]]; }
# summary.md (the table so far + every Markdown result table) and results.tar.gz, refreshed after each stage
publish() {
  { echo "# SparseRetrain GPU run $(date -u +%FT%TZ), ${SECONDS}s"; echo; echo "| stage | result | detail |"
    echo "|---|---|---|"; cat "$table"
    for f in stage3_kernels.md stage4_gemm.md stage4_vs_torch.md stage4_torch.md stage5_mlp.md stage7_java_step.md; do
      [ -s "$res/$f" ] && { echo; echo "## $f"; echo; cat "$res/$f"; }
    done; true; } > "$OUT/summary.md.tmp" && mv "$OUT/summary.md.tmp" "$OUT/summary.md"
  tar czf "$OUT/results.tar.gz.tmp" -C "$res" . 2>/dev/null && mv "$OUT/results.tar.gz.tmp" "$OUT/results.tar.gz"
}
bench=$T/bench                   # the compiled bench/gpu programs
# the first line of a program's log that says why it skipped or failed
why() { grep -h -m1 -e '^skipped:' -e 'FAILED' -e 'error while loading' -e 'rror:' "$1" 2>/dev/null | cut -c1-110; }

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
  # the native tests (cuda_vs_host, test_sparse_gemm, test_step_ext) come with the CMake build
  SR_NVIDIA=$nv SR_LIBDIR=$lib limited 150 bash "$root/bench/gpu/compile-check.sh" "$bench" >> "$log" 2>&1 ||
    row "bench/gpu/*.cu build" FAIL "see build.log"
  publish
fi
tests=$T/build/native
export LD_LIBRARY_PATH=$nv/lib:/usr/local/cuda/lib64${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
# cuSPARSELt says why it refuses a descriptor or plan only with logging on; level 1 = errors only, printed
# into the failing program's output (its stage log), so a first GPU run explains its own failures
export CUSPARSELT_LOG_LEVEL=${CUSPARSELT_LOG_LEVEL:-1}

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
  s2=$OUT/stage2_native.txt
  : > "$s2"
  for t in cuda_vs_host test_sparse_gemm test_step_ext; do
    if [ -x "$tests/$t" ]; then
      echo "# ---- $t" >> "$s2"
      limited 90 "$tests/$t" > "$T/$t.out" 2>&1; rc=$?
      cat "$T/$t.out" >> "$s2"
      # a CUDA part that printed "skipped:" on a GPU machine is a failure to report, not a pass
      if [ $rc = 0 ] && grep -q '^skipped:' "$T/$t.out"; then st=SKIP; elif [ $rc = 0 ]; then st=ok; else st="FAIL rc=$rc"; fi
      last=$(tail -1 "$T/$t.out"); sk=$(grep -h -m1 '^skipped:' "$T/$t.out")
      row "$t" "$st" "$(echo "$last" | cut -c1-70)$([ -n "$sk" ] && [ "$sk" != "$last" ] && echo "; $sk" | cut -c1-110)"
    else
      row "$t" SKIP "not built (stage 0)"
    fi
  done
  publish
  s2j=$OUT/stage2_java.txt
  console=$(ls "$dev"/jars/*console-standalone*.jar 2>/dev/null | head -1)
  if [ -x "$java" ] && [ -n "$console" ]; then
    limited 180 "$java" "${jopts[@]}" -jar "$console" execute --disable-banner --details=tree --fail-if-no-tests \
      --class-path "$cp_main$(ls "$dev"/jars/*-tests.jar | tr '\n' ':')" --select-package io.sparseretrain.backend.cuda \
      --reports-dir "$T/junit" > "$s2j" 2>&1; rc=$?
    cp "$T"/junit/*.xml "$res/stage2_junit.xml" 2>/dev/null
    row "java CUDA tests" "$([ $rc = 0 ] && echo ok || echo FAIL)" \
      "$(grep -hE 'tests (successful|failed|aborted)' "$s2j" | tr -s ' \n' ' ' | cut -c1-100)"
  else
    row "java CUDA tests" SKIP "no JRE or JUnit console jar in .device"
  fi
  publish
fi

# ---------------------------------------------------------------- 3: kernel benchmarks
if want 3; then
  echo "== stage 3: kernels" | tee -a "$log"
  if [ -x "$bench/kernels_bench" ]; then
    limited 120 "$bench/kernels_bench" "$res/stage3_kernels.csv" "$res/stage3_kernels.md" > "$res/stage3_kernels.log" 2>&1; rc=$?
    row "kernels_bench" "$([ $rc = 0 ] && echo ok || echo "rc=$rc")" "stage3_kernels.md $(why "$res/stage3_kernels.log")"
  else
    row "kernels_bench" SKIP "not built (stage 0)"
  fi
  publish
fi

# ---------------------------------------------------------------- 4: 2:4 GEMMs vs cuBLAS and PyTorch
if want 4; then
  echo "== stage 4: gemm" | tee -a "$log"
  if [ -x "$bench/gemm_bench" ]; then
    # search iterations 3 (SR_GEMM_SEARCH); rows are written as each shape finishes
    limited 180 "$bench/gemm_bench" "$res/stage4_gemm.csv" "$res/stage4_gemm.md" "${SR_GEMM_SEARCH:-3}" \
      > "$res/stage4_gemm.log" 2>&1; rc=$?
    row "gemm_bench" "$([ $rc = 0 ] && echo ok || echo "rc=$rc")" \
      "$(grep -c '^  dense fwd' "$res/stage4_gemm.log") shapes; $(why "$res/stage4_gemm.log")"
  else
    row "gemm_bench" SKIP "not built (stage 0)"
  fi
  publish
  py=$(command -v python3 || true)
  if [ -n "$py" ]; then
    PYTHONUNBUFFERED=1 limited 150 "$py" "$root/bench/gpu/torch_semi_structured.py" "$res/stage4_torch.csv" \
      "$res/stage4_torch.md" > "$res/stage4_torch.log" 2>&1; rc=$?
    sk=$(grep -h '^skipped:' "$res/stage4_torch.log" | head -1)
    row "torch semi-structured" "$([ -n "$sk" ] && echo SKIP || ([ $rc = 0 ] && echo ok || echo "rc=$rc"))" \
      "${sk:-$(grep -h '^device=' "$res/stage4_torch.log" | grep -o 'torch=[^ ]*\|backends=[^ ]*' | tr '\n' ' ')}"
    "$py" "$root/bench/gpu/compare.py" "$res/stage4_gemm.csv" "$res/stage4_torch.csv" "$res/stage4_vs_torch.md" >> "$log" 2>&1
  else
    row "torch semi-structured" SKIP "no python3 on PATH"
  fi
  publish
fi

# ---------------------------------------------------------------- 5: MLP-block training step
if want 5; then
  echo "== stage 5: mlp" | tee -a "$log"
  if [ -x "$bench/mlp_step_bench" ]; then
    # 16384 tokens; plans made with cusparseLtMatmulSearch, 3 iterations (SR_MLP_SEARCH; 0 = default algorithm)
    limited 150 "$bench/mlp_step_bench" "$res/stage5_mlp.csv" "$res/stage5_mlp.md" 16384 "${SR_MLP_SEARCH:-3}" \
      > "$res/stage5_mlp.log" 2>&1; rc=$?
    row "mlp_step_bench" "$([ $rc = 0 ] && echo ok || echo "rc=$rc")" \
      "$(why "$res/stage5_mlp.log")"
  else
    row "mlp_step_bench" SKIP "not built (stage 0)"
  fi
  publish
fi

# ---------------------------------------------------------------- 7: the training step through the Java API
# (before 6, which takes whatever time is left). Eager vs one CUDA Graph per model; stage 5's CSV, when this
# machine has one (this call's, or an earlier call's on the same warm machine), adds the native eager - graph
# gap and Java's share. SR_JAVA_STEP_ARGS adds options
# (e.g. "--models mlp --steps 20"); the class path is every carried jar (sparseretrain-bench-gpu.jar holds it).
if want 7; then
  echo "== stage 7: java step" | tee -a "$log"
  if [ -x "$java" ] && [ -f "$dev/jars/sparseretrain-bench-gpu.jar" ]; then
    nat=(); [ -s "$res/stage5_mlp.csv" ] && nat=(--native "$res/stage5_mlp.csv")
    # shellcheck disable=SC2086
    limited 120 "$java" "${jopts[@]}" -cp "$cp_main" io.sparseretrain.bench.gpu.JavaStepBench --backend cuda \
      --models-dir "$root/models" --out "$res/stage7_java_step.md" ${nat[@]+"${nat[@]}"} ${SR_JAVA_STEP_ARGS:-} \
      > "$res/stage7_java_step.log" 2>&1; rc=$?
    j=$res/stage7_java_step.log
    # the summary line (eager - graph % per case), else the first failure, else the last line (e.g. no backend)
    d=$(grep -h -m1 '^summary:' "$j" | cut -c10-110); [ -z "$d" ] && d=$(why "$j"); [ -z "$d" ] && d=$(tail -1 "$j" | cut -c1-110)
    row "java step (eager vs graph)" "$([ $rc = 0 ] && echo ok || echo "rc=$rc")" "$d"
  else
    row "java step (eager vs graph)" SKIP "no JRE or sparseretrain-bench-gpu.jar in .device (run bench/gpu/pack.sh)"
  fi
  publish
fi

# ---------------------------------------------------------------- 6: compute-sanitizer, with the time left
if want 6; then
  echo "== stage 6: sanitize" | tee -a "$log"
  s6=$res/stage6_memcheck.txt
  : > "$s6"
  san=$(command -v compute-sanitizer || ls /usr/local/cuda*/bin/compute-sanitizer 2>/dev/null | head -1)
  for t in cuda_vs_host test_step_ext; do
    if [ -z "$san" ]; then row "$t memcheck" SKIP "compute-sanitizer not found"; continue; fi
    [ -x "$tests/$t" ] || { row "$t memcheck" SKIP "not built (stage 0)"; continue; }
    echo "# ---- $t under compute-sanitizer memcheck" >> "$s6"
    limited 150 "$san" --tool memcheck --error-exitcode 9 "$tests/$t" >> "$s6" 2>&1; rc=$?
    row "$t memcheck" "$([ $rc = 0 ] && echo ok || echo "rc=$rc")" "$(grep -h 'ERROR SUMMARY' "$s6" | tail -1)"
  done
  publish
fi

publish
echo; cat "$OUT/summary.md"
