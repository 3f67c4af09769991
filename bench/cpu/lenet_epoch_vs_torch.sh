#!/usr/bin/env bash
# CPU epoch time of the standard dense recipe (LeNet-300-100, batch 128, Fashion-MNIST): SparseRetrain
# vs PyTorch (Debian's python3-torch, 2 threads, OpenBLAS), measured interleaved — ours, theirs, ours,
# … — ROUNDS times each, EPOCHS epochs per run; the first epoch of every run is warm-up and dropped.
# Writes bench/results/cpu-lenet-epoch.md with the medians and every epoch time.
# Usage: bench/cpu/lenet_epoch_vs_torch.sh [ROUNDS=3] [EPOCHS=6]   (after mvn -B install -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-3}
epochs=${2:-6}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ours=(); theirs=()
for r in $(seq 1 "$rounds"); do
  rm -rf "$tmp/ours"
  bin/sparseretrain train --backend cpu --epochs "$epochs" --out "$tmp/ours" > "$tmp/ours-$r.log" 2>&1
  ours+=($(tail -n +3 "$tmp/ours/metrics.csv" | cut -d, -f6))
  OMP_NUM_THREADS=2 /usr/bin/python3 scripts/torch_dense_reference.py --epochs "$epochs" --threads 2 --csv "$tmp/theirs.csv" > "$tmp/theirs-$r.log" 2>&1
  theirs+=($(tail -n +3 "$tmp/theirs.csv" | cut -d, -f2))
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
mo=$(median "${ours[@]}"); mt=$(median "${theirs[@]}")
ratio=$(awk -v a="$mo" -v b="$mt" 'BEGIN {printf "%.2f", a / b}')
out=${SR_EPOCH_OUT:-bench/results/cpu-lenet-epoch.md}
{
  echo "# CPU epoch time, LeNet-300-100 standard recipe: SparseRetrain vs PyTorch"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD), $(nproc) cores: $(lscpu | sed -n 's/^Model name: *//p')"
  echo "- ours: $(java -version 2>&1 | head -1), ND4J 1.0.0-M2.1, OpenBLAS $(sed -n "s|.*<openblas.version>\\(.*\\)</openblas.version>.*|\\1|p" pom.xml) from org.bytedeco (cblas_sgemm) + native host kernels; theirs: torch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'), 2 threads, $(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3)"
  echo "- load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- command: \`bench/cpu/lenet_epoch_vs_torch.sh $rounds $epochs\` ($rounds interleaved rounds of $epochs epochs each; first epoch of each run dropped)"
  echo
  echo "| | median epoch (s) | warm epochs measured |"
  echo "|---|---|---|"
  echo "| SparseRetrain (cpu) | $mo | ${#ours[@]} |"
  echo "| PyTorch | $mt | ${#theirs[@]} |"
  echo "| ratio ours / theirs | **$ratio** (target ≤ 1.25) | |"
  echo
  echo "every warm epoch, ours: ${ours[*]}"
  echo
  echo "every warm epoch, theirs: ${theirs[*]}"
} > "$out"
cat "$out"
