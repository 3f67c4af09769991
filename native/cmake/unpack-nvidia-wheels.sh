#!/usr/bin/env bash
# Unpacks, from NVIDIA's pip wheels cached on this machine, only the headers and shared libraries that
# the CUDA build links against (cuSPARSELt, cusparse.h, cuBLAS) into an ignored folder, laid out as
#   DEST/include/{cusparseLt.h,cusparse.h,cublas*.h}  DEST/lib/{libcusparseLt.so*,libcublas.so*}
# Nothing here is ever committed. Usage: unpack-nvidia-wheels.sh [DEST] (default: build/nvidia)
# The wheel folder is searched under /opt unless NVIDIA_WHEEL_DIR names it.
set -euo pipefail
dest=${1:-build/nvidia}
find_wheel() {
  local pattern=$1
  if [ -n "${NVIDIA_WHEEL_DIR:-}" ]; then
    ls "$NVIDIA_WHEEL_DIR"/$pattern 2>/dev/null | sed -n 1p
  else
    find /opt -maxdepth 4 -name "$pattern" 2>/dev/null | sort | tail -n 1
  fi
}
lt=$(find_wheel 'nvidia_cusparselt_cu13-*.whl')
sp=$(find_wheel 'nvidia_cusparse-12*.whl')
bl=$(find_wheel 'nvidia_cublas-13*.whl')
if [ -z "$lt" ] || [ -z "$sp" ] || [ -z "$bl" ]; then
  echo "unpack-nvidia-wheels: wheel(s) not found (cusparselt='$lt' cusparse='$sp' cublas='$bl');" \
       "the build will skip cuSPARSELt/cuBLAS and say so" >&2
  exit 0
fi
mkdir -p "$dest/include" "$dest/lib"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
if [ ! -f "$dest/lib/libcusparseLt.so.0" ]; then
  unzip -q -o "$lt" 'nvidia/cusparselt/include/*' 'nvidia/cusparselt/lib/libcusparseLt.so.0' -d "$tmp"
  cp "$tmp"/nvidia/cusparselt/include/*.h "$dest/include/"
  cp "$tmp"/nvidia/cusparselt/lib/libcusparseLt.so.0 "$dest/lib/"
fi
if [ ! -f "$dest/include/cusparse.h" ]; then
  unzip -q -o "$sp" 'nvidia/cu13/include/cusparse.h' -d "$tmp"
  cp "$tmp"/nvidia/cu13/include/cusparse.h "$dest/include/"
fi
if [ ! -f "$dest/lib/libcublas.so.13" ]; then
  # libcublasLt.so.13 (540 MB) is only a run-time dependency of libcublas: linking does not need it.
  unzip -q -o "$bl" 'nvidia/cu13/include/*' 'nvidia/cu13/lib/libcublas.so.13' -d "$tmp"
  cp "$tmp"/nvidia/cu13/include/*.h "$dest/include/"
  cp "$tmp"/nvidia/cu13/lib/libcublas.so.13 "$dest/lib/"
fi
ln -sf libcusparseLt.so.0 "$dest/lib/libcusparseLt.so"
ln -sf libcublas.so.13 "$dest/lib/libcublas.so"
echo "unpack-nvidia-wheels: $(du -sh "$dest" | cut -f1) in $dest (cuSPARSELt: $(basename "$lt"), cuBLAS: $(basename "$bl"))"
