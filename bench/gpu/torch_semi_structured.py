#!/usr/bin/env python3
"""The shapes of gemm_bench.cu through PyTorch on the same machine, in the same CSV columns.

Per shape (m = batch rows, n = out features, k = in features; W [n, k], bf16):
  forward     F.linear(X, W) dense | F.linear(X, to_sparse_semi_structured(W)), W 2:4 along k
  input grad  F.linear(dY, WT) dense | the same with to_sparse_semi_structured(WT), WT = W^T [k, n] 2:4
              along n (what a transposable mask gives; PyTorch compresses W^T separately)
  weight grad dY^T @ X dense (bf16 out, as autograd gives it)
  compress    to_sparse_semi_structured(W) (allocates its output: PyTorch has no in-place re-compression)
for each semi-structured backend that works here: cuSPARSELt (PyTorch's default when available) and CUTLASS
(SparseSemiStructuredTensor._FORCE_CUTLASS = True). Same rules as gemm_bench: CUDA events, median of 50
after 5 warm-ups, buffer sets rotated to >= 2x L2 or an L2 flush before each timed run, exact check on
small-integer data first. The shape list is read from gemm_bench.cu's kShapes, so both always agree.

Skips cleanly (exit 0, "skipped: <reason>", both files written with the reason) without torch, CUDA, a
compute capability >= 8.0, or any working semi-structured backend.
Usage: torch_semi_structured.py OUT.csv OUT.md [group ...]
"""
import datetime
import math
import os
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
COLUMNS = "shape,group,m,n,k,op,impl,median_ms,tflops_dense_equiv,speedup_vs_cublas,check,note"
WARMUP, RUNS, MAX_SETS = 5, 50, 8


def shapes():
    src = open(os.path.join(HERE, "gemm_bench.cu")).read()
    block = src[src.index("const Shape kShapes[] = {"):]
    block = block[: block.index("};")]
    product = lambda expr: math.prod(int(t) for t in expr.split("*"))
    found = re.findall(r'\{"([^"]+)", "([^"]+)", ([0-9 *]+), ([0-9 *]+), ([0-9 *]+)\}', block)
    return [(name, group, product(m), product(n), product(k)) for name, group, m, n, k in found]


def skip(out_csv, out_md, reason):
    with open(out_csv, "w") as f:
        f.write(f"# skipped: {reason}\n{COLUMNS}\n")
    with open(out_md, "w") as f:
        f.write(f"PyTorch comparison skipped: {reason}\n")
    print(f"skipped: {reason}")
    sys.exit(0)


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    out_csv, out_md, groups = sys.argv[1], sys.argv[2], set(sys.argv[3:])
    try:
        import torch
        import torch.nn.functional as F
    except Exception as e:  # noqa: BLE001 - any import failure is a reason to skip
        skip(out_csv, out_md, f"no torch in {sys.executable}: {e}")
    if not torch.cuda.is_available():
        skip(out_csv, out_md, f"torch {torch.__version__} sees no CUDA device")
    if torch.cuda.get_device_capability(0) < (8, 0):
        skip(out_csv, out_md, f"compute capability {torch.cuda.get_device_capability(0)} < 8.0: no sparse tensor cores")
    try:
        from torch.sparse import SparseSemiStructuredTensor, to_sparse_semi_structured
    except ImportError as e:
        skip(out_csv, out_md, f"torch {torch.__version__} has no semi-structured sparsity: {e}")

    dev = torch.device("cuda", 0)

    def mask24(t):
        """t with the 2 largest |t| of every 4 along the last dim kept (plain 2:4)."""
        r, c = t.shape
        g = t.view(r, c // 4, 4)
        idx = g.abs().float().topk(2, dim=-1).indices
        keep = torch.zeros_like(g, dtype=torch.bool).scatter_(-1, idx, True)
        return (g * keep).view(r, c).contiguous()

    def small_int(shape, seed):
        gen = torch.Generator(device=dev).manual_seed(seed)
        return torch.randint(-2, 3, shape, generator=gen, device=dev).to(torch.bfloat16)

    def uniform(shape, seed):
        gen = torch.Generator(device=dev).manual_seed(seed)
        return (torch.rand(shape, generator=gen, device=dev) * 2 - 1).to(torch.bfloat16)

    backends = {}
    probe = mask24(uniform((128, 256), 1))
    for name, force_cutlass in (("cusparselt", False), ("cutlass", True)):
        SparseSemiStructuredTensor._FORCE_CUTLASS = force_cutlass
        try:
            s = to_sparse_semi_structured(probe)
            F.linear(uniform((128, 256), 2), s)
            torch.cuda.synchronize()
            backends[name] = type(s).__name__
        except Exception as e:  # noqa: BLE001
            backends[name] = None
            print(f"backend {name} unavailable: {type(e).__name__}: {e}")
    if not any(backends.values()):
        skip(out_csv, out_md, "no semi-structured backend works here (see the lines above)")

    props = torch.cuda.get_device_properties(0)
    l2 = getattr(props, "L2_cache_size", 50 << 20)
    try:
        driver = subprocess.run(["nvidia-smi", "--query-gpu=driver_version", "--format=csv,noheader"],
                                capture_output=True, text=True, timeout=20).stdout.strip().splitlines()[0]
    except Exception:  # noqa: BLE001
        driver = "unknown"
    lt = getattr(getattr(torch.backends, "cusparselt", None), "version", lambda: None)()
    head = (f"device={props.name} sm_{props.major}{props.minor} SMs={props.multi_processor_count} L2={l2 >> 20}MiB "
            f"driver={driver} torch={torch.__version__} cuda={torch.version.cuda} torch_cusparselt={lt} "
            f"backends={','.join(k for k, v in backends.items() if v)} "
            f"date={datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')}")
    print(head)
    flush_buf = torch.empty(2 * l2, dtype=torch.uint8, device=dev)

    def median_ms(fn, sets, flush):
        times = []
        for r in range(WARMUP + RUNS):
            if flush:
                flush_buf.fill_(r & 0xFF)
            a, b = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            a.record()
            fn(r % sets)
            b.record()
            b.synchronize()
            if r >= WARMUP:
                times.append(a.elapsed_time(b))
        return statistics.median(times)

    csv = open(out_csv, "w")
    md = open(out_md, "w")
    csv.write(f"# {head}\n# median of {RUNS} after {WARMUP} warm-ups\n{COLUMNS}\n")
    md.write(f"{head}\n\nms = median of {RUNS} CUDA-event runs after {WARMUP} warm-ups; (x) = torch dense time / "
             "this. Compress = to_sparse_semi_structured(W) (allocates).\n\n"
             "| shape | m x n x k | dense fwd ms (TF) | semi fwd cuSPARSELt | semi fwd CUTLASS | dense dX ms | "
             "semi dX cuSPARSELt | semi dX CUTLASS | compress ms (cuSPARSELt / CUTLASS) | check | note |\n"
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|\n")
    csv.flush()
    md.flush()

    for name, group, m, n, k in shapes():
        if groups and group not in groups:
            continue
        flops = 2.0 * m * n * k

        def row(op, impl, ms, dense_ms, check="", note=""):
            tf = f"{flops / (ms * 1e-3) / 1e12:.6f}" if ms and not op.startswith("compress") else ""
            ratio = f"{dense_ms / ms:.6f}" if ms and dense_ms else ""
            note = str(note).replace('"', "'").replace("\n", " ")[:300]
            csv.write(f'"{name}",{group},{m},{n},{k},{op},{impl},{ms or ""},{tf},{ratio},{check},"{note}"\n')
            csv.flush()

        cells = {key: "-" for key in ("dfwd", "cfwd", "tfwd", "ddx", "cdx", "tdx", "comp", "check")}
        note = ""
        try:
            set_bytes = 2 * (m * k + 2 * n * k + 2 * m * n)
            sets = max(2, min(MAX_SETS, math.ceil(2 * l2 / set_bytes)))
            flush = sets * set_bytes < 2 * l2
            print(f"{name:42s} m={m} n={n} k={k} ({sets} sets{' + L2 flush' if flush else ''})", flush=True)
            sparse_ok = k % 16 == 0 and n % 16 == 0 and m % 8 == 0
            with torch.no_grad():
                X = [uniform((m, k), 10 * i + 1) for i in range(sets)]
                dY = [uniform((m, n), 10 * i + 2) for i in range(sets)]
                W = [uniform((n, k), 10 * i + 3) for i in range(sets)]
                WT = [uniform((k, n), 10 * i + 4) for i in range(sets)]
                if k % 4 == 0:
                    W = [mask24(w) for w in W]
                if n % 4 == 0:
                    WT = [mask24(w) for w in WT]
                d_fwd = median_ms(lambda s: F.linear(X[s], W[s]), sets, flush)
                d_dx = median_ms(lambda s: F.linear(dY[s], WT[s]), sets, flush)
                d_dw = median_ms(lambda s: dY[s].t() @ X[s], sets, flush)
                row("forward", "torch_dense", d_fwd, d_fwd)
                row("input_grad", "torch_dense", d_dx, d_dx)
                row("weight_grad", "torch_dense", d_dw, d_dw, note="bf16 output")
                cells["dfwd"] = f"{d_fwd:.3f} ({flops / (d_fwd * 1e-3) / 1e12:.0f})"
                cells["ddx"] = f"{d_dx:.3f}"
                checks, comps = [], []
                for backend, cls in backends.items():
                    if not cls:
                        continue
                    SparseSemiStructuredTensor._FORCE_CUTLASS = backend == "cutlass"
                    tag = "c" if backend == "cusparselt" else "t"
                    impl = f"torch_semi_{backend}"
                    try:
                        # exact check first: small integers, float sums exact, one bf16 rounding on both sides
                        xi, wi = small_int((m, k), 7), mask24(small_int((n, k), 8))
                        same = torch.equal(F.linear(xi, to_sparse_semi_structured(wi)), F.linear(xi, wi))
                        checks.append(f"{backend} {'exact' if same else 'DIFFERS'}")
                        row("forward", f"{impl}", 0, 0, "exact" if same else "differs", "check vs dense, small ints")
                        Ws = [to_sparse_semi_structured(w) for w in W]
                        t = median_ms(lambda s: F.linear(X[s], Ws[s]), sets, flush)
                        row("forward", impl, t, d_fwd, note=cls)
                        cells[tag + "fwd"] = f"{t:.3f} ({d_fwd / t:.2f}x)"
                        c = median_ms(lambda s: to_sparse_semi_structured(W[s]), sets, flush)
                        row("compress_forward", impl, c, 0, note="to_sparse_semi_structured, allocates")
                        comps.append(f"{c:.3f}")
                    except Exception as e:  # noqa: BLE001 - the backend refuses this shape: record why
                        row("forward", impl, 0, d_fwd, note=f"refused: {type(e).__name__}: {e}")
                        cells[tag + "fwd"] = "refused"
                        note = f"{backend}: {type(e).__name__}: {str(e)[:120]}"
                    try:
                        WTs = [to_sparse_semi_structured(w) for w in WT]
                        t = median_ms(lambda s: F.linear(dY[s], WTs[s]), sets, flush)
                        row("input_grad", impl, t, d_dx, note=cls + "; W^T compressed separately")
                        cells[tag + "dx"] = f"{t:.3f} ({d_dx / t:.2f}x)"
                    except Exception as e:  # noqa: BLE001
                        row("input_grad", impl, 0, d_dx, note=f"refused: {type(e).__name__}: {e}")
                        cells[tag + "dx"] = "refused"
                cells["check"] = ", ".join(checks) or "-"
                cells["comp"] = " / ".join(comps) or "-"
                if not sparse_ok and not note:
                    note = "fails cuSPARSELt's alignment (m % 8, n % 16, k % 16)"
        except Exception as e:  # noqa: BLE001
            row("all", "error", 0, 0, note=f"{type(e).__name__}: {e}")
            note = f"FAILED: {type(e).__name__}: {str(e)[:160]}"
        md.write(f"| {name} | {m}x{n}x{k} | {cells['dfwd']} | {cells['cfwd']} | {cells['tfwd']} | {cells['ddx']} | "
                 f"{cells['cdx']} | {cells['tdx']} | {cells['comp']} | {cells['check']} | {note} |\n")
        md.flush()
        torch.cuda.empty_cache()
    csv.close()
    md.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
